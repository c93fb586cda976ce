"""``client.contacts``: list (all filters of §5.5), iter_all, get, create, update."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from lexware._http import ParamValue
from lexware.encoding import escape_like_wildcards, html_escape_search
from lexware.errors import InvalidRequestError
from lexware.models import ActionResult, Contact, Page
from lexware.pagination import MAX_PAGE_SIZE, check_page_args, iter_items
from lexware.resources._base import Body, RawRecords, deep_merge, require_id, to_body

_MIN_SEARCH_CHARS = 3  # §5.5: shorter email/name filters are answered with 400


class Contacts(RawRecords):
    name = "contacts"
    path = "/v1/contacts"

    def _params(
        self,
        *,
        email: str | None,
        name: str | None,
        number: int | str | None,
        customer: bool | None,
        vendor: bool | None,
        literal: bool,
    ) -> dict[str, ParamValue]:
        params: dict[str, ParamValue] = {}
        for field, value in (("email", email), ("name", name)):
            if value is None:
                continue
            if len(value.strip()) < _MIN_SEARCH_CHARS:
                raise InvalidRequestError(
                    f"the {field} filter needs at least {_MIN_SEARCH_CHARS} characters"
                )
            # §5.5: _ and % are wildcards unless escaped; §1.3: HTML-escape & < > (the request
            # loop URL-encodes afterwards).
            text = escape_like_wildcards(value) if literal else value
            params[field] = html_escape_search(text)
        params["number"] = None if number is None else str(number)
        params["customer"] = customer
        params["vendor"] = vendor
        return params

    def list(
        self,
        *,
        email: str | None = None,
        name: str | None = None,
        number: int | str | None = None,
        customer: bool | None = None,
        vendor: bool | None = None,
        literal: bool = False,
        page: int = 0,
        size: int = 25,
    ) -> Page[Contact]:
        """One page, sorted by name (contacts cannot be re-sorted). ``literal=True`` escapes the
        ``_``/``%`` wildcards so the text matches as typed."""
        check_page_args(page, size)
        params = self._params(
            email=email,
            name=name,
            number=number,
            customer=customer,
            vendor=vendor,
            literal=literal,
        )
        params.update(page=page, size=size)
        return Page[Contact].model_validate(self._get_json(self.path, params=params))

    def iter_all(
        self,
        *,
        email: str | None = None,
        name: str | None = None,
        number: int | str | None = None,
        customer: bool | None = None,
        vendor: bool | None = None,
        literal: bool = False,
        size: int = MAX_PAGE_SIZE,
    ) -> Iterator[Contact]:
        check_page_args(0, size)
        params = self._params(
            email=email,
            name=name,
            number=number,
            customer=customer,
            vendor=vendor,
            literal=literal,
        )

        def fetch(page: int) -> dict[str, Any]:
            result: dict[str, Any] = self._get_json(
                self.path, params={**params, "page": page, "size": size}
            )
            return result

        return iter_items(fetch, Contact.model_validate)

    def get(self, contact_id: str) -> Contact:
        return self._get_model(Contact, f"{self.path}/{require_id(contact_id, 'contact_id')}")

    def create(self, contact: Body) -> ActionResult:
        """§5.5: ``version`` must be 0 on create; it is set when missing."""
        body = to_body(contact)
        body.setdefault("version", 0)
        raw = self._request("POST", self.path, json=body)
        return ActionResult.model_validate(raw.json())

    def update(
        self, contact_id: str, changes: Body, *, expected_version: int | None = None
    ) -> ActionResult:
        """Read-merge-put: GET the contact, apply ``changes`` (nested objects merged, lists
        replaced), PUT it back with the current ``version``. Pass ``expected_version`` (the
        version the user edited) to get a ConflictError instead of overwriting a newer change.
        """
        contact_id = require_id(contact_id, "contact_id")
        path = f"{self.path}/{contact_id}"
        current = self._get_json(path)
        if not isinstance(current, Mapping):
            raise InvalidRequestError("unexpected contact body from Lexware")
        changes_dict = to_body(changes)
        changes_dict.pop("version", None)
        body = deep_merge(current, changes_dict)
        if expected_version is not None:
            body["version"] = expected_version
        raw = self._request("PUT", path, json=body)
        return ActionResult.model_validate(raw.json())
