"""Reference data: countries (§5.6), payment conditions (§5.16), posting categories (§5.17),
print layouts (§5.18) and the profile (§5.19) of lexware-api.md. The list endpoints answer bare
JSON arrays; parse them with `pydantic.TypeAdapter(list[Country])` or per item."""

from __future__ import annotations

from pydantic import Field

from .common import LexwareDateTime, LexwareModel
from .enums import (
    BusinessFeature,
    DistanceSalesPrinciple,
    PostingCategoryType,
    TaxClassification,
    TaxType,
    Tolerant,
)
from .sales_common import PaymentDiscountConditions

__all__ = [
    "Country",
    "PaymentCondition",
    "PostingCategory",
    "PrintLayout",
    "Profile",
    "ProfileCreated",
]


class Country(LexwareModel):
    country_code: str
    # The API capitalises the language suffix, which to_camel would not produce.
    country_name_de: str | None = Field(default=None, alias="countryNameDE")
    country_name_en: str | None = Field(default=None, alias="countryNameEN")
    tax_classification: Tolerant[TaxClassification] | None = None


class PaymentCondition(LexwareModel):
    """An organisation's payment condition; exactly one has `organizationDefault: true`."""

    id: str | None = None
    organization_default: bool | None = None
    payment_term_label_template: str | None = None
    payment_term_duration: int | None = None
    payment_discount_conditions: PaymentDiscountConditions | None = None


class PostingCategory(LexwareModel):
    id: str
    name: str | None = None
    type: Tolerant[PostingCategoryType] | None = None
    contact_required: bool | None = None
    split_allowed: bool | None = None
    group_name: str | None = None


class PrintLayout(LexwareModel):
    id: str
    name: str | None = None
    default: bool | None = None


class ProfileCreated(LexwareModel):
    """Who created the organisation, and when (`created` in the profile)."""

    user_id: str | None = None
    user_name: str | None = None
    user_email: str | None = None
    date: LexwareDateTime | None = None


class Profile(LexwareModel):
    """`connectionId` is what `token.revoked` events refer to; `taxType` is one of
    net/gross/vatfree; `distanceSalesPrinciple` may be absent."""

    organization_id: str | None = None
    company_name: str | None = None
    created: ProfileCreated | None = None
    connection_id: str | None = None
    features: list[str] | None = None
    business_features: list[Tolerant[BusinessFeature]] | None = None
    subscription_status: str | None = None
    tax_type: Tolerant[TaxType] | None = None
    distance_sales_principle: Tolerant[DistanceSalesPrinciple] | None = None
    small_business: bool | None = None
