"""``client.articles``: list (filters articleNumber, gtin, type), iter_all, get, create,
update (read-merge-put), delete (§5.4)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from lexware._http import ParamValue
from lexware.errors import InvalidRequestError
from lexware.models import ActionResult, Article, Page
from lexware.pagination import MAX_PAGE_SIZE, check_page_args, iter_items
from lexware.resources._base import Body, RawRecords, deep_merge, require_id, to_body

ARTICLE_TYPES = ("PRODUCT", "SERVICE")


class Articles(RawRecords):
    name = "articles"
    path = "/v1/articles"

    @staticmethod
    def _params(
        article_number: str | None, gtin: str | None, type: str | None, sort: str | None
    ) -> dict[str, ParamValue]:
        if type is not None and type not in ARTICLE_TYPES:
            raise InvalidRequestError(f"type must be one of {ARTICLE_TYPES}")
        return {"articleNumber": article_number, "gtin": gtin, "type": type, "sort": sort}

    def list(
        self,
        *,
        article_number: str | None = None,
        gtin: str | None = None,
        type: str | None = None,
        sort: str | None = None,
        page: int = 0,
        size: int = 25,
    ) -> Page[Article]:
        check_page_args(page, size)
        params = self._params(article_number, gtin, type, sort)
        params.update(page=page, size=size)
        return Page[Article].model_validate(self._get_json(self.path, params=params))

    def iter_all(
        self,
        *,
        article_number: str | None = None,
        gtin: str | None = None,
        type: str | None = None,
        sort: str | None = None,
        size: int = MAX_PAGE_SIZE,
    ) -> Iterator[Article]:
        check_page_args(0, size)
        params = self._params(article_number, gtin, type, sort)

        def fetch(page: int) -> dict[str, Any]:
            result: dict[str, Any] = self._get_json(
                self.path, params={**params, "page": page, "size": size}
            )
            return result

        return iter_items(fetch, Article.model_validate)

    def get(self, article_id: str) -> Article:
        return self._get_model(Article, f"{self.path}/{require_id(article_id, 'article_id')}")

    def create(self, article: Body) -> ActionResult:
        raw = self._request("POST", self.path, json=to_body(article))
        return ActionResult.model_validate(raw.json())

    def update(
        self, article_id: str, changes: Body, *, expected_version: int | None = None
    ) -> ActionResult:
        """Read-merge-put like contacts; a stale version is answered with ConflictError (409)."""
        path = f"{self.path}/{require_id(article_id, 'article_id')}"
        current = self._get_json(path)
        if not isinstance(current, Mapping):
            raise InvalidRequestError("unexpected article body from Lexware")
        changes_dict = to_body(changes)
        changes_dict.pop("version", None)
        body = deep_merge(current, changes_dict)
        if expected_version is not None:
            body["version"] = expected_version
        raw = self._request("PUT", path, json=body)
        return ActionResult.model_validate(raw.json())

    def delete(self, article_id: str) -> None:
        self._request("DELETE", f"{self.path}/{require_id(article_id, 'article_id')}")
