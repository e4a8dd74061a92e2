"""Every write of the care app, in one place to import (views, API, demo, tests): each family
of actions lives in its own module."""

from jigiya.care.budgets import budget_edit, budget_set, notices_read
from jigiya.care.claims import (
    care_line_record,
    claim_approve,
    claim_close,
    claim_second_approve,
    claim_verify,
    line_check,
    line_reject,
)
from jigiya.care.common import SOURCE_COVERAGE, SOURCE_LINES
from jigiya.care.coverage import (
    coverage_decide,
    coverage_end,
    coverage_renew,
    scheme_close,
    scheme_create,
)
from jigiya.care.payments import claim_pay, payment_reverse
from jigiya.care.uploads import UploadResult, lines_upload

__all__ = [
    "SOURCE_COVERAGE",
    "SOURCE_LINES",
    "UploadResult",
    "budget_edit",
    "budget_set",
    "care_line_record",
    "claim_approve",
    "claim_close",
    "claim_pay",
    "claim_second_approve",
    "claim_verify",
    "coverage_decide",
    "coverage_end",
    "coverage_renew",
    "line_check",
    "line_reject",
    "lines_upload",
    "notices_read",
    "payment_reverse",
    "scheme_close",
    "scheme_create",
]
