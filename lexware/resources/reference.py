"""Reference data and read-only resources: countries, payment conditions, posting categories,
print layouts (bare arrays), profile, payments, recurring templates (§5.6, §5.15–§5.19, §5.21)."""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import Any, ClassVar, Generic, TypeVar, cast

from lexware._http import ParamValue
from lexware.errors import InvalidRequestError
from lexware.models import (
    Country,
    LexwareModel,
    Page,
    Payment,
    PaymentCondition,
    PostingCategory,
    PrintLayout,
    Profile,
    RecurringTemplate,
)
from lexware.pagination import MAX_PAGE_SIZE, check_page_args, iter_items
from lexware.resources._base import Resource, require_id

ItemT = TypeVar("ItemT", bound=LexwareModel)
RECURRING_SORT_FIELDS = ("createdDate", "updatedDate", "lastExecutionDate", "nextExecutionDate")


class _ArrayResource(Resource, Generic[ItemT]):
    model: ClassVar[type[LexwareModel]]

    def list(self) -> builtins.list[ItemT]:
        data = self._get_json(self.path)
        if not isinstance(data, builtins.list):
            raise InvalidRequestError(f"{self.path} did not return an array")
        return [cast(ItemT, self.model.model_validate(item)) for item in data]


class Countries(_ArrayResource[Country]):
    name = "countries"
    path = "/v1/countries"
    model = Country


class PaymentConditions(_ArrayResource[PaymentCondition]):
    name = "payment_conditions"
    path = "/v1/payment-conditions"
    model = PaymentCondition


class PostingCategories(_ArrayResource[PostingCategory]):
    name = "posting_categories"
    path = "/v1/posting-categories"
    model = PostingCategory


class PrintLayouts(_ArrayResource[PrintLayout]):
    name = "print_layouts"
    path = "/v1/print-layouts"
    model = PrintLayout


class ProfileResource(Resource):
    name = "profile"
    path = "/v1/profile"

    def get(self) -> Profile:
        return self._get_model(Profile, self.path)


class Payments(Resource):
    name = "payments"
    path = "/v1/payments"

    def get(self, voucher_id: str) -> Payment:
        """Payment state of a voucher; drafts are answered with ValidationError (406)."""
        return self._get_model(Payment, f"{self.path}/{require_id(voucher_id, 'voucher_id')}")


class RecurringTemplates(Resource):
    name = "recurring_templates"
    path = "/v1/recurring-templates"

    @staticmethod
    def _sort(sort: str | None) -> str | None:
        if sort is None:
            return None
        field, _, direction = sort.partition(",")
        if field not in RECURRING_SORT_FIELDS or direction.upper() not in ("ASC", "DESC"):
            raise InvalidRequestError(
                f"sort must be '<field>,ASC|DESC' with field in {RECURRING_SORT_FIELDS}"
            )
        return f"{field},{direction.upper()}"

    def list(
        self, *, page: int = 0, size: int = 25, sort: str | None = None
    ) -> Page[RecurringTemplate]:
        check_page_args(page, size)
        params: dict[str, ParamValue] = {"page": page, "size": size, "sort": self._sort(sort)}
        return Page[RecurringTemplate].model_validate(self._get_json(self.path, params=params))

    def iter_all(
        self, *, size: int = MAX_PAGE_SIZE, sort: str | None = None
    ) -> Iterator[RecurringTemplate]:
        check_page_args(0, size)
        sort_value = self._sort(sort)

        def fetch(page: int) -> dict[str, Any]:
            result: dict[str, Any] = self._get_json(
                self.path, params={"page": page, "size": size, "sort": sort_value}
            )
            return result

        return iter_items(fetch, RecurringTemplate.model_validate)

    def get(self, template_id: str) -> RecurringTemplate:
        return self._get_model(
            RecurringTemplate, f"{self.path}/{require_id(template_id, 'template_id')}"
        )
