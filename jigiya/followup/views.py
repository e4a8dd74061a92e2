import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jigiya.accounts.access import (
    access_key,
    has_perm_anywhere,
    has_perm_at,
    require_perm_anywhere,
    require_perm_at,
)
from jigiya.accounts.roles import Perm
from jigiya.core import pagecache
from jigiya.core.params import parse_day
from jigiya.core.periods import Month
from jigiya.core.views import form_page
from jigiya.followup import forms, selectors, services
from jigiya.followup.models import ReferralStatus, Urgency, Visit
from jigiya.followup.signs import REFERRAL_REASONS
from jigiya.registry import selectors as registry_selectors
from jigiya.registry.models import Household, Pregnancy


def _day(request: HttpRequest) -> datetime.date:
    """`?day=` (today without it); a bad or far-off day answers 400 naming `day`."""
    return parse_day(request.GET.get("day"))


WORKLIST = "followup.worklist"  # the page cache's scope: a version per community


def records_changed(*, source: str, cells: list[tuple[Any, datetime.date]]) -> None:
    """Listens to `core.changes` (apps.py): a change to a community's records retires the
    worklists cached for its CHWs."""
    pagecache.bump(WORKLIST, {community_id for community_id, _day in cells})


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    """The CHW's worklist on a phone: overdue, today and this week, or (`?by=household`) the
    same tasks by household. One view at a time: ~200 tasks shown twice made a long page and
    half the server time. The list is cached a few seconds (core.pagecache) under the user,
    her access, the language, the day, the view and her communities' versions: her own visit
    shows at once, a change no service announces (a household renamed) within seconds.
    `?chw=<id>`: a supervisor reads one of her CHWs' worklists (her places only)."""
    require_perm_anywhere(request.user, Perm.HEALTH_VIEW)
    day = _day(request)
    search = request.GET.get("q", "").strip()[:100]
    chw = None
    if request.GET.get("chw"):
        chw = selectors.supervised_chw(user=request.user, chw_id=request.GET["chw"])
    context = {
        "today": day,
        "search": search,
        "by_household": request.GET.get("by") == "household",
        "can_record": has_perm_anywhere(request.user, Perm.HEALTH_RECORD),
        "can_supervise": has_perm_anywhere(request.user, Perm.HEALTH_SUPERVISE),
        "chw_id": str(chw.pk) if chw else "",
    }

    def body() -> str:
        worklist = selectors.tasks_for_chw(request.user, day, search=search, chw=chw)
        return render_to_string("followup/_worklist.html", context | {"worklist": worklist})

    communities = selectors.chw_community_ids(request.user, chw=chw)
    versions = pagecache.versions(WORKLIST, communities)
    key = (WORKLIST, access_key(request.user), get_language(), sorted(context.items()), versions)
    context["body"] = pagecache.fragment(key, body)
    context["chw"] = chw
    return render(request, "followup/worklist.html", context)


@login_required
def month(request: HttpRequest) -> HttpResponse:
    """The CHW's month so far: her coverage against the target, and who is still to see."""
    context = {"month": selectors.chw_month(user=request.user, today=_day(request))}
    return render(request, "followup/month.html", context)


FLAGGED_DAYS = 60  # the supervision page lists the measurements confirmed this long back


def _period(request: HttpRequest, today: datetime.date) -> Month:
    """`?month=yyyy-mm` (this month without it); a month after this one answers 400."""
    text = request.GET.get("month", "")
    month = Month.parse(text, field="month") if text else Month.of(today)
    if month > Month.of(today):
        raise ValidationError({"month": _("%(month)s has not begun.") % {"month": month}})
    return month


@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    """Per CHW, for a month (this one, the last one, any other): her counts, each linked to
    the list it counts (her worklist, her referrals), and the measurements to check."""
    today = _day(request)
    month = _period(request, today)
    rows = selectors.supervisor_overview(user=request.user, today=today, month=month)
    since = today - datetime.timedelta(days=FLAGGED_DAYS)
    flagged = selectors.flagged_checks(user=request.user, since=since)
    this_month = Month.of(today)
    context = {
        "rows": rows,
        "today": today,
        "flagged": flagged,
        "since": since,
        "month": month,
        "this_month": this_month,
        "last_month": this_month.previous(),
        "in_progress": month == this_month,
    }
    return render(request, "followup/supervision.html", context)


def safe_next(request: HttpRequest, value: str | None) -> str:
    """`next` when it is a path of this site (never another host, `//host` or a scheme),
    else ""."""
    value = (value or "").strip()
    if not value.startswith("/") or value.startswith(("//", "/\\")):
        return ""
    allowed = url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return value if allowed else ""


def _months(birth: datetime.date | None, day: datetime.date) -> int | None:
    """Whole months of age on a day (as on the growth card)."""
    if birth is None:
        return None
    return (day.year - birth.year) * 12 + day.month - birth.month - (day.day < birth.day)


@login_required
def visit_person(request: HttpRequest, person_id: str) -> HttpResponse:
    """Record a visit seen from one person (a child, or a pregnant woman). A child's form
    shows her age in months, her last weight, height and MUAC with their dates and the
    vaccines already given (ticked, not offered again); a change implausible against the
    last measurement asks for confirmation. Saved, it goes back to `next` (the worklist,
    the household) or the person's page."""
    person = registry_selectors.person_get(user=request.user, person_id=person_id)
    household = person.household
    require_perm_at(request.user, Perm.HEALTH_RECORD, household.community)
    today = timezone.localdate()
    age = person.age_days(today)
    pregnancy = selectors.open_pregnancy(person=person)
    child = age is not None and 0 <= age <= selectors.CHILD_DAYS
    last = (
        selectors.last_measures(person_ids=[person.pk], before=today).get(person.pk)
        if child
        else None
    )
    given = selectors.vaccines_received(person_ids=[person.pk]).get(person.pk) if child else None
    form = forms.VisitForm(
        request.POST or None,
        child=child,
        pregnant=pregnancy is not None,
        given=frozenset(given or ()),
        initial={
            "date": today,
            "measured_lying": last.height.lying if last and last.height else True,
            "next": safe_next(request, request.GET.get("next")),
        },
    )

    def save(data: dict) -> Visit:
        return _visit_record(
            request,
            household,
            data,
            seen=[person.pk],
            children=[_child_check(person.pk, data, "child_danger_signs")] if child else [],
            pregnancies=[_pregnancy_check(pregnancy.pk, data, "pregnancy_danger_signs")]
            if pregnancy
            else [],
            renamed=_field_of,
        )

    return form_page(
        request,
        form,
        save=save,
        template="followup/visit_form.html",
        context={
            "person": person,
            "title": _("Visit: %(person)s") % {"person": person},
            "child": child,
            "age_months": _months(person.birth_date, today) if child else None,
            "last": last,
        },
        done=lambda _visit: (
            safe_next(request, form.cleaned_data.get("next")) or person.get_absolute_url()
        ),
        message=_("Visit of %(person)s recorded.") % {"person": person},
    )


def _visit_record(
    request: HttpRequest,
    household: Household,
    data: dict,
    *,
    seen: list[uuid.UUID],
    children: list[services.ChildCheckIn],
    pregnancies: list[services.PregnancyCheckIn],
    renamed: Callable[[ValidationError], ValidationError],
) -> Visit:
    """The visit a form describes (the topics taught to everyone seen), through the service;
    its refusals under the form's names (`renamed`)."""
    try:
        return services.visit_record(
            actor=request.user,
            household=household,
            id=data["id"],
            date=data["date"],
            people=seen,
            children=children,
            pregnancies=pregnancies,
            education=[
                services.EducationIn(topic=topic, attendee_ids=seen)
                for topic in data.get("topics") or []
            ],
            notes=data.get("notes") or "",
            made_at=data.get("made_at"),
        )
    except ValidationError as exc:
        raise renamed(exc) from exc


def _field_of(exc: ValidationError) -> ValidationError:
    """The service's "children.0.weight_kg" as "weight_kg": the one-person form's field."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({key.split(".")[-1]: value for key, value in exc.error_dict.items()})


def _child_check(
    person_id: uuid.UUID, values: dict, signs: str = "danger_signs"
) -> services.ChildCheckIn:
    """A child's part of a visit form as the service takes it (`signs`: the form's name of
    the danger signs field)."""
    return services.ChildCheckIn(
        person_id=person_id,
        weight_kg=values.get("weight_kg"),
        height_cm=values.get("height_cm"),
        measured_lying=bool(values.get("measured_lying")),
        muac_mm=values.get("muac_mm"),
        oedema=bool(values.get("oedema")),
        danger_signs=values.get(signs) or [],
        vaccines=values.get("vaccines") or [],
        confirmed=bool(values.get("confirmed")),
    )


def _pregnancy_check(
    pregnancy_id: uuid.UUID, values: dict, signs: str = "danger_signs"
) -> services.PregnancyCheckIn:
    return services.PregnancyCheckIn(
        pregnancy_id=pregnancy_id,
        anc_since_last_visit=bool(values.get("anc_since_last_visit")),
        danger_signs=values.get(signs) or [],
        birth_plan=values.get("birth_plan") or "undecided",
    )


def _household_checks(
    form: forms.HouseholdVisitForm, people: selectors.VisitPeople
) -> tuple[list[services.ChildCheckIn], list[services.PregnancyCheckIn], dict[str, str]]:
    """The sections of the household visit form filled in, as the service takes them, and
    the service's names of each ("children.0") → the form's ("c2")."""
    names: dict[str, str] = {}
    children: list[services.ChildCheckIn] = []
    for index, values in form.child_checks():
        names[f"children.{len(children)}"] = f"c{index}"
        children.append(_child_check(people.children[index].pk, values))
    checks: list[services.PregnancyCheckIn] = []
    for index, values in form.pregnancy_checks():
        names[f"pregnancies.{len(checks)}"] = f"p{index}"
        checks.append(_pregnancy_check(people.pregnancies[index].pk, values))
    return children, checks, names


@login_required
def visit_detail(request: HttpRequest, visit_id: str) -> HttpResponse:
    visit = selectors.visit_get(user=request.user, visit_id=visit_id)
    return render(request, "followup/visit_detail.html", {"visit": visit})


REFERRAL_PAGE = 200  # the most a page lists; the count above it says how many in all


def _referral_link(user: Any, referral: Any) -> str:
    """Where a referral of the list leads: its outcome form for whoever may record it, else the
    person's page for whoever may open it, else nowhere (never to a page that would refuse)."""
    if referral.status == ReferralStatus.OPEN and selectors.can_close_referral(user, referral):
        return reverse("followup:referral_close", args=[referral.pk])
    if selectors.referral_person_visible(user, referral):
        return str(referral.person.get_absolute_url())
    return ""


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    """Referrals without an outcome (`?status=all`: every one), oldest first, with the days
    each has been open and the CHW; `?chw=` keeps one CHW's, `?overdue=1` those open more
    than 3 days, `?month=` those made in a month — the lists the supervisor's counts link to."""
    require_perm_anywhere(request.user, Perm.HEALTH_VIEW)
    today = timezone.localdate()
    chw = None
    if request.GET.get("chw"):
        chw = selectors.supervised_chw(user=request.user, chw_id=request.GET["chw"])
    overdue = request.GET.get("overdue") == "1"
    every = request.GET.get("status") == "all"
    month = Month.parse(request.GET["month"], field="month") if request.GET.get("month") else None
    referrals = selectors.referral_list(
        user=request.user,
        status="" if every else ReferralStatus.OPEN,
        chw=chw,
        overdue_on=today if overdue else None,
        month=month,
    )
    shown = list(referrals[:REFERRAL_PAGE])
    for referral in shown:
        end = referral.closed_on or today  # open: days so far; closed: days until its outcome
        referral.days_open = (end - referral.referred_on).days  # type: ignore[attr-defined]
        referral.link = _referral_link(request.user, referral)  # type: ignore[attr-defined]
    filters = {"chw": str(chw.pk) if chw else "", "month": str(month) if month else ""}
    context = {
        "referrals": shown,
        "total": referrals.count() if len(shown) == REFERRAL_PAGE else len(shown),
        "chw": chw,
        "overdue": overdue,
        "every": every,
        "month": month,
        "query": urlencode({k: v for k, v in filters.items() if v}),
    }
    return render(request, "followup/referral_list.html", context)


@login_required
def referral_create(request: HttpRequest, person_id: str) -> HttpResponse:
    """Refer a person by hand (from their page): the health center defaults to their
    community's CSCom."""
    person = registry_selectors.person_get(user=request.user, person_id=person_id)
    community = person.household.community
    if not (person.is_active and has_perm_at(request.user, Perm.HEALTH_RECORD, community.path)):
        raise PermissionDenied
    age = person.age_days(timezone.localdate())
    open_referral = selectors.open_referral(person=person)
    if open_referral is not None and str(open_referral.pk) == request.POST.get("id"):
        open_referral = None  # this form sent again: the service replays it
    form = forms.ReferralForm(
        request.POST or None,
        health_centers=selectors.referral_centers(user=request.user, community=community),
        child=age is not None and 0 <= age <= selectors.CHILD_DAYS,
        pregnant=selectors.open_pregnancy(person=person) is not None,
        open_referral=open_referral,
        initial={
            "health_center": community.health_center_id,
            "referred_on": timezone.localdate(),
            "urgency": Urgency.ROUTINE,
        },
    )
    return form_page(
        request,
        form,
        save=lambda data: services.referral_create(actor=request.user, person=person, **data),
        template="followup/referral_form.html",
        context={
            "person": person,
            "title": _("Refer %(person)s") % {"person": person},
            "open_referral": open_referral,
            "can_close": open_referral is not None
            and selectors.can_close_referral(request.user, open_referral),
        },
        done=lambda _referral: person.get_absolute_url(),
        message=_("Referral recorded."),
    )


@login_required
def referral_close(request: HttpRequest, referral_id: str) -> HttpResponse:
    """The outcome of a referral, by the CHW or the health center's staff. Staff of the center
    who may not see the person's community see the referral only, and go back to the list."""
    referral = selectors.referral_get(user=request.user, referral_id=referral_id)
    if not selectors.can_close_referral(request.user, referral):
        raise PermissionDenied
    person_visible = selectors.referral_person_visible(request.user, referral)
    return form_page(
        request,
        forms.ReferralCloseForm(request.POST or None),
        save=lambda data: services.referral_close(actor=request.user, referral=referral, **data),
        template="followup/referral_close.html",
        context={
            "title": _("Outcome of the referral of %(person)s") % {"person": referral.person},
            "referral": referral,
            "reasons": [str(REFERRAL_REASONS.get(code, code)) for code in referral.reasons],
            "person_visible": person_visible,
        },
        done=lambda _referral: (
            referral.person.get_absolute_url() if person_visible else reverse("followup:referrals")
        ),
        message=_("Referral closed."),
    )


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """The service's field names ("children.0.weight_kg") as the form's ("c2_weight_kg")."""
    if not hasattr(exc, "error_dict"):
        return exc
    renamed = {}
    for key, value in exc.error_dict.items():
        parts = key.split(".")
        if len(parts) == 3 and f"{parts[0]}.{parts[1]}" in names:
            field = {"person_id": "seen", "pregnancy_id": "seen"}.get(parts[2], parts[2])
            renamed[f"{names[parts[0] + '.' + parts[1]]}_{field}"] = value
        elif parts[0] == "education":
            renamed["topics"] = value
        else:
            renamed[key] = value
    return ValidationError(renamed)


@login_required
def visit_household(request: HttpRequest, household_id: str) -> HttpResponse:
    """Record a visit to a household seeing several people: each child's measurements and
    each pregnant woman's check in one submission (no JavaScript needed)."""
    household = registry_selectors.household_get(user=request.user, household_id=household_id)
    require_perm_at(request.user, Perm.HEALTH_RECORD, household.community)
    today = timezone.localdate()
    people = selectors.household_visit_people(household=household, today=today)
    form = forms.HouseholdVisitForm(
        request.POST or None,
        children=people.children,
        pregnancies=people.pregnancies,
        others=people.others,
        initial={"date": today},
    )

    def save(data: dict) -> Visit:
        children, checks, names = _household_checks(form, people)
        seen = [check.person_id for check in children]
        seen += [people.pregnancies[index].woman_id for index, _v in form.pregnancy_checks()]
        seen += [uuid.UUID(pk) for pk in data.get("people") or []]
        return _visit_record(
            request,
            household,
            data,
            seen=seen,
            children=children,
            pregnancies=checks,
            renamed=lambda exc: _renamed(exc, names),
        )

    return form_page(
        request,
        form,
        save=save,
        template="followup/household_visit_form.html",
        context={
            "household": household,
            "title": _("Visit: %(household)s") % {"household": household},
        },
        done=lambda _visit: household.get_absolute_url(),  # where she came from
        message=_("Visit recorded."),
    )


# --- pages of enrollments and pregnancies, under the registry's URLs and names -------------
# (`registry:person_enroll`, … : registered by `FollowupConfig.ready` through `registry.plugins`)

REGISTRY_FORM = "registry/form.html"


@login_required
def person_enroll(request: HttpRequest, person_id: str) -> HttpResponse:
    person = registry_selectors.person_get(user=request.user, person_id=person_id)
    require_perm_at(request.user, Perm.HEALTH_RECORD, person.household.community)
    today = timezone.localdate()
    programs = selectors.enrollable_programs(person=person, day=today)
    return form_page(
        request,
        forms.EnrollmentForm(request.POST or None, initial={"start": today}, programs=programs),
        save=lambda data: services.enrollment_start(actor=request.user, person=person, **data),
        template=REGISTRY_FORM,
        context={
            "title": _("Enroll %(person)s") % {"person": person},
            "help": ""
            if programs
            else _("No program fits %(person)s now, or every one that fits is already open.")
            % {"person": person},
        },
        done=lambda _enrollment: person.get_absolute_url(),
        message=_("Enrolled."),
    )


@login_required
def enrollment_end(request: HttpRequest, enrollment_id: str) -> HttpResponse:
    enrollment = registry_selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    person = enrollment.person
    require_perm_at(request.user, Perm.HEALTH_RECORD, person.household.community)
    return form_page(
        request,
        forms.EnrollmentEndForm(request.POST or None, initial={"end": timezone.localdate()}),
        save=lambda data: services.enrollment_end(
            actor=request.user, enrollment=enrollment, **data
        ),
        template=REGISTRY_FORM,
        context={
            "title": _("End the follow-up of %(person)s (%(program)s)")
            % {"person": person, "program": enrollment.get_program_display()},
            "help": _("The tasks still open in this follow-up are cancelled."),
        },
        done=lambda _enrollment: person.get_absolute_url(),
        message=_("Follow-up ended."),
    )


@login_required
def pregnancy_create(request: HttpRequest, person_id: str) -> HttpResponse:
    person = registry_selectors.person_get(user=request.user, person_id=person_id)
    require_perm_at(request.user, Perm.HEALTH_RECORD, person.household.community)
    return form_page(
        request,
        forms.PregnancyForm(request.POST or None),
        save=lambda data: services.pregnancy_register(actor=request.user, woman=person, **data),
        template=REGISTRY_FORM,
        context={
            "title": _("Pregnancy of %(person)s") % {"person": person},
            "help": _(
                "Give the last menstrual period, or the expected delivery date; when she knows "
                "neither, how many months she has been pregnant: the dates are then estimated."
            ),
        },
        done=lambda _pregnancy: person.get_absolute_url(),
        message=_("Pregnancy registered."),
    )


def _pregnancy_to_record(request: HttpRequest, pregnancy_id: str) -> Pregnancy:
    """A pregnancy the user sees (404 otherwise) and may record about (403 otherwise)."""
    pregnancy = registry_selectors.pregnancy_get(user=request.user, pregnancy_id=pregnancy_id)
    require_perm_at(request.user, Perm.HEALTH_RECORD, pregnancy.woman.household.community)
    return pregnancy


@login_required
def anc_contact_add(request: HttpRequest, pregnancy_id: str) -> HttpResponse:
    pregnancy = _pregnancy_to_record(request, pregnancy_id)
    return form_page(
        request,
        forms.AncContactForm(request.POST or None),
        save=lambda data: services.anc_contact_record(
            actor=request.user, pregnancy=pregnancy, **data
        ),
        template=REGISTRY_FORM,
        context={"title": _("ANC contact of %(person)s") % {"person": pregnancy.woman}},
        done=lambda _contact: pregnancy.woman.get_absolute_url(),
        message=_("ANC contact recorded."),
    )


@login_required
def pregnancy_outcome(request: HttpRequest, pregnancy_id: str) -> HttpResponse:
    pregnancy = _pregnancy_to_record(request, pregnancy_id)

    def save(data: dict) -> Pregnancy:
        services.pregnancy_outcome_record(actor=request.user, pregnancy=pregnancy, **data)
        for baby in pregnancy.newborns.all():
            _newborn_message(request, baby)
        return pregnancy

    return form_page(
        request,
        forms.OutcomeForm(request.POST or None),
        save=save,
        template=REGISTRY_FORM,
        context={
            "title": _("Delivery of %(person)s") % {"person": pregnancy.woman},
            "help": _(
                "For a live birth, give the newborn's sex: the baby is registered in the "
                "household, born on the day of the delivery, and enrolled in the child follow-up."
            ),
        },
        done=lambda _pregnancy: pregnancy.woman.get_absolute_url(),
        message=_("Delivery recorded."),
    )


def _newborn_message(request: HttpRequest, baby: Any) -> None:
    """What the CHW relies on once a baby is registered: enrolled, and when she sees it first."""
    task = selectors.next_open_task(person=baby)
    messages.success(
        request,
        _("%(baby)s is registered and followed; first visit due %(day)s.")
        % {"baby": baby, "day": date_format(task.due_date, "SHORT_DATE_FORMAT") if task else "—"},
    )


@login_required
def newborn_create(request: HttpRequest, pregnancy_id: str) -> HttpResponse:
    """Register a baby of a delivery already recorded (a twin, or one not registered then)."""
    pregnancy = _pregnancy_to_record(request, pregnancy_id)

    def save(data: dict) -> Any:
        baby = services.newborn_register(actor=request.user, pregnancy=pregnancy, **data)
        _newborn_message(request, baby)
        return baby

    return form_page(
        request,
        forms.NewbornForm(request.POST or None),
        save=save,
        template=REGISTRY_FORM,
        context={"title": _("Newborn of %(person)s") % {"person": pregnancy.woman}},
        done=lambda baby: baby.get_absolute_url(),
    )
