"""Who may do what: one table, read top to bottom.

A user holds a role *at a place* (an `Assignment`); a permission held at a place holds for that
place and everything below it. Nothing here knows about particular places: `accounts.access`
combines this table with a user's assignments.
"""

from enum import StrEnum

from django.db import models
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    PROGRAM_MANAGER = "program_manager", _("Program manager")
    ME_OFFICER = "me_officer", _("M&E officer")
    CHW_SUPERVISOR = "chw_supervisor", _("CHW supervisor")
    CHW = "chw", _("Community health worker")
    SAVINGS_FACILITATOR = "savings_facilitator", _("Savings group facilitator")
    COOPERATIVE_MANAGER = "cooperative_manager", _("Cooperative manager")
    QI_COACH = "qi_coach", _("QI coach")
    HEALTH_CENTER_STAFF = "health_center_staff", _("Health center staff")
    PARTNER = "partner", _("Partner (read-only)")


class Perm(StrEnum):
    # Places, health centers and ASACOs.
    PLACES_VIEW = "places.view"
    PLACES_MANAGE = "places.manage"
    ASACO_MANAGE = "places.asaco_manage"
    # People who use Jigiya, and the audit trail.
    USERS_VIEW = "accounts.users_view"
    USERS_MANAGE = "accounts.users_manage"
    AUDIT_VIEW = "core.audit_view"
    # Programs (each program's app checks these).
    HEALTH_VIEW = "health.view"  # households, people, visits, referrals
    HEALTH_RECORD = "health.record"
    HEALTH_SUPERVISE = "health.supervise"
    REFERRAL_CLOSE = "health.referral_close"  # record whether a referred person was seen
    SAVINGS_VIEW = "savings.view"
    SAVINGS_RECORD = "savings.record"
    SAVINGS_APPROVE = "savings.approve"  # the second officer of a large posting (maker-checker)
    COOPERATIVES_VIEW = "cooperatives.view"
    COOPERATIVES_RECORD = "cooperatives.record"
    COOPERATIVES_APPROVE = "cooperatives.approve"  # the second officer of a stock count
    QUALITY_VIEW = "quality.view"
    QUALITY_RECORD = "quality.record"
    # Free and subsidized care (the `care` app).
    CARE_VIEW = "care.view"  # coverage, care lines, claims, payments, budgets
    CARE_DECIDE = "care.decide"  # coverage decisions: who is covered, from when to when
    CARE_CLAIM = "care.claim"  # a health center records its care lines and claims
    CARE_VERIFY = "care.verify"  # approve or reject care lines and claims
    CARE_PAY = "care.pay"  # pay an approved claim; set budgets
    INDICATORS_VIEW = "indicators.view"  # aggregate figures only
    INDICATORS_MANAGE = "indicators.manage"  # freshness, rebuilds
    EXPORT_RECORDS = "indicators.export_records"  # record-level exports
    DHIS2_PUSH = "interop.dhis2_push"
    # Donors, their fundings and partner logins (the `donors` app).
    DONORS_MANAGE = "donors.manage"


R = Role
EVERYONE = frozenset(Role)
STAFF = frozenset({R.ADMIN, R.PROGRAM_MANAGER, R.ME_OFFICER})

# Permission → the roles that hold it. Read a row to see who may do a thing.
GRANTS: dict[Perm, frozenset[Role]] = {
    Perm.PLACES_VIEW: EVERYONE,
    Perm.PLACES_MANAGE: frozenset({R.ADMIN}),
    Perm.ASACO_MANAGE: frozenset({R.ADMIN, R.PROGRAM_MANAGER, R.QI_COACH}),
    Perm.USERS_VIEW: frozenset({R.ADMIN, R.PROGRAM_MANAGER, R.CHW_SUPERVISOR}),
    Perm.USERS_MANAGE: frozenset({R.ADMIN}),
    Perm.AUDIT_VIEW: frozenset({R.ADMIN}),
    Perm.HEALTH_VIEW: STAFF
    | {R.CHW_SUPERVISOR, R.CHW, R.HEALTH_CENTER_STAFF, R.SAVINGS_FACILITATOR},
    Perm.HEALTH_RECORD: frozenset({R.ADMIN, R.CHW_SUPERVISOR, R.CHW}),
    Perm.HEALTH_SUPERVISE: frozenset({R.ADMIN, R.PROGRAM_MANAGER, R.CHW_SUPERVISOR}),
    Perm.REFERRAL_CLOSE: frozenset({R.ADMIN, R.CHW_SUPERVISOR, R.CHW, R.HEALTH_CENTER_STAFF}),
    Perm.SAVINGS_VIEW: STAFF | {R.SAVINGS_FACILITATOR, R.CHW_SUPERVISOR},
    Perm.SAVINGS_RECORD: frozenset({R.ADMIN, R.SAVINGS_FACILITATOR}),
    Perm.SAVINGS_APPROVE: frozenset({R.ADMIN, R.PROGRAM_MANAGER, R.SAVINGS_FACILITATOR}),
    Perm.COOPERATIVES_VIEW: STAFF | {R.COOPERATIVE_MANAGER},
    Perm.COOPERATIVES_RECORD: frozenset({R.ADMIN, R.COOPERATIVE_MANAGER}),
    Perm.COOPERATIVES_APPROVE: frozenset({R.ADMIN, R.PROGRAM_MANAGER, R.COOPERATIVE_MANAGER}),
    Perm.QUALITY_VIEW: STAFF | {R.QI_COACH, R.HEALTH_CENTER_STAFF},
    Perm.QUALITY_RECORD: frozenset({R.ADMIN, R.QI_COACH, R.HEALTH_CENTER_STAFF}),
    Perm.CARE_VIEW: STAFF | {R.CHW_SUPERVISOR, R.HEALTH_CENTER_STAFF},
    Perm.CARE_DECIDE: frozenset({R.ADMIN, R.PROGRAM_MANAGER, R.CHW_SUPERVISOR}),
    Perm.CARE_CLAIM: frozenset({R.ADMIN, R.HEALTH_CENTER_STAFF}),
    Perm.CARE_VERIFY: frozenset({R.ADMIN, R.PROGRAM_MANAGER, R.ME_OFFICER}),
    Perm.CARE_PAY: frozenset({R.ADMIN, R.PROGRAM_MANAGER}),
    Perm.INDICATORS_VIEW: EVERYONE,
    Perm.INDICATORS_MANAGE: frozenset({R.ADMIN, R.ME_OFFICER}),
    Perm.DONORS_MANAGE: frozenset({R.ADMIN, R.PROGRAM_MANAGER}),
    Perm.EXPORT_RECORDS: STAFF,
    Perm.DHIS2_PUSH: frozenset({R.ADMIN, R.ME_OFFICER}),
}

assert set(GRANTS) == set(Perm), "every permission must have a row"


def perms_of(role: Role | str) -> frozenset[Perm]:
    return frozenset(perm for perm, roles in GRANTS.items() if role in roles)


# The programs a role works in, for the home page (a program shows if its view permission is held).
PROGRAMS: list[tuple[str, Perm, StrPromise, StrPromise]] = [
    (
        "health",
        Perm.HEALTH_VIEW,
        _("Community health"),
        _("Families followed twice a month, children's growth, pregnancies, referrals."),
    ),
    (
        "savings",
        Perm.SAVINGS_VIEW,
        _("Health savings groups"),
        _("Meetings, savings, loans, the health fund and the share-out."),
    ),
    (
        "cooperatives",
        Perm.COOPERATIVES_VIEW,
        _("Cooperatives"),
        _("Members, production, stock, sales, orders and distributions."),
    ),
    (
        "quality",
        Perm.QUALITY_VIEW,
        _("Health-center quality and governance"),
        _("ASACO scores, patient satisfaction, returning to deliver, QI coaching."),
    ),
]
