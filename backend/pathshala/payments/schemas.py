"""Request and response bodies of /api/payments and /api/admin/payments. Money is integer paise."""

from __future__ import annotations

import marshmallow as ma

from pathshala.courses.models import CURRENCIES
from pathshala.courses.schemas import EnrollmentSchema
from pathshala.pagination import BlankFiltersOmitted, PageArgs
from pathshala.payments.models import ORDER_STATUSES, PAYMENT_METHODS, PAYMENT_STATUSES
from pathshala.payments.service import LEDGER_SORTS

#: Razorpay ids (order_…, pay_…), Stripe's (cs_…, pi_…; up to 255 characters) and the
#: sandbox's: letters, digits and underscores only, so an id can never change the path of a
#: provider API call it is put into.
PROVIDER_ID = ma.validate.Regexp(
    r"^[A-Za-z0-9_]{1,255}$", error="Not a valid id (letters, digits and _ only)."
)
MAX_AMOUNT = 1_000_000_000  # paise: ₹1,00,00,000


def _provider_id(**kwargs) -> ma.fields.String:
    return ma.fields.String(validate=PROVIDER_ID, **kwargs)


class _Stripped(ma.Schema):
    @ma.pre_load
    def strip(self, data, **kwargs):
        if isinstance(data, dict):
            return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        return data


# ---- requests ----------------------------------------------------------------------------------


class CreateOrderSchema(ma.Schema):
    course_id = ma.fields.UUID(required=True)


class VerifySchema(_Stripped):
    razorpay_order_id = _provider_id(required=True)
    razorpay_payment_id = _provider_id(required=True)
    razorpay_signature = ma.fields.String(
        required=True, validate=ma.validate.Length(min=1, max=128)
    )


class ConfirmSchema(_Stripped):
    order_id = _provider_id(
        required=True, metadata={"description": "The provider's order id (Stripe: cs_…)"}
    )


class SandboxPaySchema(_Stripped):
    order_id = _provider_id(required=True)
    outcome = ma.fields.String(required=True, validate=ma.validate.OneOf(("success", "fail")))


class ManualRecordSchema(_Stripped):
    course_id = ma.fields.UUID(required=True)
    user_id = ma.fields.UUID(load_default=None)
    email = ma.fields.Email(load_default=None, validate=ma.validate.Length(max=254))
    name = ma.fields.String(load_default=None, validate=ma.validate.Length(min=1, max=120))
    amount = ma.fields.Integer(
        strict=True,
        load_default=None,
        validate=ma.validate.Range(min=1, max=MAX_AMOUNT),
        metadata={"description": "Paise; default: the order's amount, else the course price"},
    )
    currency = ma.fields.String(load_default=None, validate=ma.validate.OneOf(CURRENCIES))
    provider_order_id = _provider_id(load_default=None)
    provider_payment_id = ma.fields.String(
        load_default=None,
        validate=ma.validate.Length(min=1, max=64),
        metadata={"description": "Razorpay payment id, bank UTR or other reference"},
    )
    notes = ma.fields.String(load_default=None, validate=ma.validate.Length(max=2000))

    @ma.validates_schema
    def names_the_payer(self, data, **kwargs):
        if data.get("user_id") and data.get("email"):
            raise ma.ValidationError("Give user_id or email, not both.", "user_id")
        if not (data.get("user_id") or data.get("email") or data.get("provider_order_id")):
            raise ma.ValidationError("Give user_id, or email and name.", "user_id")


class RefundSchema(_Stripped):
    amount = ma.fields.Integer(
        strict=True,
        load_default=None,
        validate=ma.validate.Range(min=1, max=MAX_AMOUNT),
        metadata={"description": "Paise; default: everything not yet refunded"},
    )
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class OrderListArgs(BlankFiltersOmitted, PageArgs):
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(ORDER_STATUSES))


class LedgerArgs(BlankFiltersOmitted, PageArgs):
    date_from = ma.fields.Date(load_default=None, data_key="from")
    date_to = ma.fields.Date(load_default=None, data_key="to")
    method = ma.fields.String(load_default=None, validate=ma.validate.OneOf(PAYMENT_METHODS))
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(PAYMENT_STATUSES))
    course_id = ma.fields.UUID(load_default=None)
    sort = ma.fields.String(load_default="newest", validate=ma.validate.OneOf(list(LEDGER_SORTS)))
    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(("json", "csv")))

    @ma.validates_schema
    def range_in_order(self, data, **kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ma.ValidationError("'from' is after 'to'.", "from")


# ---- responses -------------------------------------------------------------------------------


class PaymentsConfigSchema(ma.Schema):
    provider = ma.fields.String(
        allow_none=True,
        metadata={"enum": ["razorpay", "sandbox", "stripe"], "description": "null: off"},
    )
    key_id = ma.fields.String(allow_none=True)
    sandbox = ma.fields.Boolean()
    currency = ma.fields.String()
    merchant_name = ma.fields.String()


class CourseRefSchema(ma.Schema):
    id = ma.fields.UUID()
    title = ma.fields.String()
    slug = ma.fields.String()


class PersonSchema(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    email = ma.fields.String()


class CheckoutSchema(ma.Schema):
    """What Checkout.js (or the sandbox checkout) is opened with."""

    order_id = ma.fields.String(
        attribute="provider_order_id", metadata={"description": "The provider's order id"}
    )
    amount = ma.fields.Integer(metadata={"description": "Paise"})
    currency = ma.fields.String()
    key_id = ma.fields.String(
        allow_none=True, metadata={"description": "Null for redirect checkouts (Stripe)"}
    )
    provider = ma.fields.String(metadata={"enum": ["razorpay", "sandbox", "stripe"]})
    checkout_url = ma.fields.String(
        allow_none=True,
        metadata={"description": "Stripe: the hosted checkout page to send the buyer to"},
    )
    id = ma.fields.UUID(metadata={"description": "The platform's id of the order"})
    status = ma.fields.String()
    receipt = ma.fields.String()
    name = ma.fields.Constant("Pathshala")
    description = ma.fields.Function(lambda checkout: checkout.course.title)
    course = ma.fields.Nested(CourseRefSchema)
    prefill = ma.fields.Function(
        lambda checkout: {"name": checkout.user.name, "email": checkout.user.email}
    )


class RefundSummarySchema(ma.Schema):
    id = ma.fields.UUID()
    amount = ma.fields.Integer()
    currency = ma.fields.String()
    reason = ma.fields.String()
    status = ma.fields.String(metadata={"enum": ["pending", "processed", "failed"]})
    provider_refund_id = ma.fields.String(allow_none=True)
    created_by_user_id = ma.fields.UUID(allow_none=True)
    created_at = ma.fields.DateTime()
    processed_at = ma.fields.DateTime(allow_none=True)


class PaymentSummarySchema(ma.Schema):
    id = ma.fields.UUID()
    method = ma.fields.String(metadata={"enum": list(PAYMENT_METHODS)})
    status = ma.fields.String(metadata={"enum": list(PAYMENT_STATUSES)})
    amount = ma.fields.Integer()
    amount_refunded = ma.fields.Integer()
    currency = ma.fields.String()
    provider_payment_id = ma.fields.String(allow_none=True)
    paid_at = ma.fields.DateTime()


class OrderSchema(ma.Schema):
    id = ma.fields.UUID()
    order_id = ma.fields.String(attribute="provider_order_id", allow_none=True)
    provider = ma.fields.String(metadata={"enum": ["razorpay", "sandbox", "stripe", "manual"]})
    status = ma.fields.String(metadata={"enum": list(ORDER_STATUSES)})
    amount = ma.fields.Integer()
    currency = ma.fields.String()
    receipt_number = ma.fields.Integer(allow_none=True)
    receipt_label = ma.fields.String(allow_none=True, metadata={"example": "PS-000042"})
    course = ma.fields.Nested(CourseRefSchema)
    payment = ma.fields.Nested(PaymentSummarySchema, allow_none=True)
    created_at = ma.fields.DateTime()
    paid_at = ma.fields.DateTime(allow_none=True)


class OrderPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(OrderSchema))
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()


class SettlementSchema(ma.Schema):
    status = ma.fields.String(metadata={"enum": ["paid", "refunded"]})
    enrollment = ma.fields.Nested(EnrollmentSchema, allow_none=True)
    order = ma.fields.Nested(OrderSchema)
    payment = ma.fields.Nested(PaymentSummarySchema)


class SandboxFailureSchema(ma.Schema):
    code = ma.fields.String()
    description = ma.fields.String()
    source = ma.fields.String()
    step = ma.fields.String()
    reason = ma.fields.String()
    metadata = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


class SandboxPaymentSchema(ma.Schema):
    """Checkout.js's success handler argument, or its payment.failed error."""

    outcome = ma.fields.String(metadata={"enum": ["success", "fail"]})
    razorpay_order_id = ma.fields.String()
    razorpay_payment_id = ma.fields.String()
    razorpay_signature = ma.fields.String()
    error = ma.fields.Nested(SandboxFailureSchema)


class WebhookAnswerSchema(ma.Schema):
    status = ma.fields.String(metadata={"description": "What was done with the event"})


class PaymentSchema(PaymentSummarySchema):
    """A payment with everything an admin needs."""

    order_id = ma.fields.UUID()
    provider_order_id = ma.fields.Function(lambda payment: payment.order.provider_order_id)
    receipt_number = ma.fields.Function(lambda payment: payment.order.receipt_number)
    receipt_label = ma.fields.Function(lambda payment: payment.order.receipt_label)
    order_status = ma.fields.Function(lambda payment: payment.order.status)
    user_id = ma.fields.UUID()
    user = ma.fields.Nested(PersonSchema)
    course_id = ma.fields.UUID()
    course = ma.fields.Nested(CourseRefSchema)
    notes = ma.fields.String(allow_none=True)
    recorded_by_user_id = ma.fields.UUID(allow_none=True)
    created_at = ma.fields.DateTime()


class ManualPaymentSchema(PaymentSchema):
    enrollment = ma.fields.Nested(EnrollmentSchema)
    user_created = ma.fields.Boolean(
        metadata={"description": "A new student account was made and mailed a set-password link"}
    )


class RefundResultSchema(RefundSummarySchema):
    payment = ma.fields.Nested(PaymentSummarySchema)


class LedgerTotalsSchema(ma.Schema):
    amount = ma.fields.Integer()
    amount_refunded = ma.fields.Integer()
    net = ma.fields.Integer()


class LedgerPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PaymentSchema))
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    totals = ma.fields.Nested(LedgerTotalsSchema)
