import importlib
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import has_perm_anywhere, has_perm_at
from jigiya.accounts.roles import Perm
from jigiya.core.views import form_page
from jigiya.followup import charts
from jigiya.followup import selectors as followup_selectors
from jigiya.places.models import Place
from jigiya.registry import forms, selectors, services
from jigiya.registry.models import LEAST_ACCESS_CRITERIA, FollowupProgram, Household

FORM = "registry/form.html"


def _require_record(request: HttpRequest, community: Place) -> None:
    if not has_perm_at(request.user, Perm.HEALTH_RECORD, community.path):
        raise PermissionDenied


def _memberships(user: Any, person_ids: list[Any]) -> dict[Any, list[Any]]:
    """Savings-group (and other programs') memberships of these people, when the savings app
    offers `memberships_of`; nothing otherwise."""
    try:
        module = importlib.import_module("jigiya.savings.selectors")
    except ImportError:
        return {}
    memberships_of = getattr(module, "memberships_of", None)
    if memberships_of is None:
        return {}
    return memberships_of(user=user, person_ids=person_ids)


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    if not has_perm_anywhere(request.user, Perm.HEALTH_VIEW):
        raise PermissionDenied
    search = request.GET.get("q", "").strip()
    households = selectors.household_list(user=request.user, search=search)
    context = {
        "households": households[:100],
        "search": search,
        "can_record": has_perm_anywhere(request.user, Perm.HEALTH_RECORD),
    }
    return render(request, "registry/household_list.html", context)


@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    if not has_perm_anywhere(request.user, Perm.HEALTH_RECORD):
        raise PermissionDenied
    form = forms.HouseholdForm(
        request.POST or None, communities=selectors.recording_communities(user=request.user)
    )
    return form_page(
        request,
        form,
        save=lambda data: services.household_create(
            actor=request.user,
            chw=request.user if _is_chw(request.user, data["community"]) else None,
            **data,
        ),
        template=FORM,
        context={"title": _("New household")},
        done=lambda household: household.get_absolute_url(),
        message=_("Household registered."),
    )


def _is_chw(user: Any, community: Place) -> bool:
    return user.assignments.filter(role="chw", place=community).exists()


@login_required
def household_detail(request: HttpRequest, household_id: str) -> HttpResponse:
    household = selectors.household_get(user=request.user, household_id=household_id)
    today = timezone.localdate()
    members = selectors.household_members(household=household)
    memberships = _memberships(request.user, [person.pk for person in members])
    assessment = selectors.household_assessment(household=household)
    context = {
        "household": household,
        "members": [(person, memberships.get(person.pk, [])) for person in members],
        "tasks": followup_selectors.household_open_tasks(household=household, today=today),
        "visits": followup_selectors.household_visits(household=household),
        "referrals": followup_selectors.household_referrals(household=household),
        "assessment": assessment,
        "criteria_labels": [
            LEAST_ACCESS_CRITERIA[code][0] for code in (assessment.criteria if assessment else [])
        ],
        "can_record": has_perm_at(request.user, Perm.HEALTH_RECORD, household.community.path),
        "today": today,
    }
    return render(request, "registry/household_detail.html", context)


def _household_for_record(request: HttpRequest, household_id: str) -> Household:
    household = selectors.household_get(user=request.user, household_id=household_id)
    _require_record(request, household.community)
    return household


@login_required
def person_create(request: HttpRequest, household_id: str) -> HttpResponse:
    household = _household_for_record(request, household_id)
    return form_page(
        request,
        forms.PersonForm(request.POST or None),
        save=lambda data: services.person_register(actor=request.user, household=household, **data),
        template=FORM,
        context={"title": _("New member of %(household)s") % {"household": household}},
        done=lambda person: household.get_absolute_url(),
        message=_("Person registered."),
    )


@login_required
def household_assess(request: HttpRequest, household_id: str) -> HttpResponse:
    household = _household_for_record(request, household_id)
    return form_page(
        request,
        forms.AssessmentForm(request.POST or None, initial={"assessed_on": timezone.localdate()}),
        save=lambda data: services.least_access_assess(
            actor=request.user, household=household, **data
        ),
        template=FORM,
        context={"title": _("Least-access assessment of %(household)s") % {"household": household}},
        done=lambda _assessment: household.get_absolute_url(),
        message=_("Assessment recorded."),
    )


@login_required
def person_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    person = selectors.person_get(user=request.user, person_id=person_id)
    today = timezone.localdate()
    checks = followup_selectors.person_growth(person=person)
    weights = [
        (c.age_days, float(c.weight_kg)) for c in checks if c.weight_kg and c.age_days is not None
    ]
    heights = [
        (c.age_days, float(c.height_cm)) for c in checks if c.height_cm and c.age_days is not None
    ]
    age = person.age_days(today)
    is_child = age is not None and age <= 1856
    pregnancies = selectors.person_pregnancies(person=person) if person.sex == "F" else []
    context = {
        "person": person,
        "household": person.household,
        "checks": checks,
        "is_child": is_child,
        "wfa_chart": charts.growth_svg(
            indicator="wfa", sex=person.sex, points=weights, title=_("Weight for age")
        )
        if is_child
        else "",
        "lhfa_chart": charts.growth_svg(
            indicator="lhfa", sex=person.sex, points=heights, title=_("Length/height for age")
        )
        if is_child
        else "",
        "pregnancies": [(p, charts.pregnancy_svg(p, today=today)) for p in pregnancies],
        "enrollments": selectors.person_enrollments(person=person),
        "tasks": followup_selectors.person_tasks(person=person, today=today),
        "referrals": followup_selectors.person_referrals(person=person),
        "can_record": has_perm_at(
            request.user, Perm.HEALTH_RECORD, person.household.community.path
        ),
        "today": today,
    }
    return render(request, "registry/person_detail.html", context)


@login_required
def person_enroll(request: HttpRequest, person_id: str) -> HttpResponse:
    person = selectors.person_get(user=request.user, person_id=person_id)
    _require_record(request, person.household.community)
    initial = {
        "start": timezone.localdate(),
        "program": FollowupProgram.CHILD if person.sex == "M" else None,
    }
    return form_page(
        request,
        forms.EnrollmentForm(request.POST or None, initial=initial),
        save=lambda data: services.enrollment_start(actor=request.user, person=person, **data),
        template=FORM,
        context={"title": _("Enroll %(person)s") % {"person": person}},
        done=lambda _enrollment: person.get_absolute_url(),
        message=_("Enrolled."),
    )


@login_required
def enrollment_end(request: HttpRequest, enrollment_id: str) -> HttpResponse:
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    person = enrollment.person
    _require_record(request, person.household.community)
    return form_page(
        request,
        forms.EnrollmentEndForm(request.POST or None, initial={"end": timezone.localdate()}),
        save=lambda data: services.enrollment_end(
            actor=request.user, enrollment=enrollment, **data
        ),
        template=FORM,
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
    person = selectors.person_get(user=request.user, person_id=person_id)
    _require_record(request, person.household.community)
    return form_page(
        request,
        forms.PregnancyForm(request.POST or None),
        save=lambda data: services.pregnancy_register(actor=request.user, woman=person, **data),
        template=FORM,
        context={"title": _("Pregnancy of %(person)s") % {"person": person}},
        done=lambda _pregnancy: person.get_absolute_url(),
        message=_("Pregnancy registered."),
    )


@login_required
def anc_contact_add(request: HttpRequest, pregnancy_id: str) -> HttpResponse:
    pregnancy = selectors.pregnancy_get(user=request.user, pregnancy_id=pregnancy_id)
    _require_record(request, pregnancy.woman.household.community)
    return form_page(
        request,
        forms.AncContactForm(request.POST or None),
        save=lambda data: services.anc_contact_record(
            actor=request.user, pregnancy=pregnancy, **data
        ),
        template=FORM,
        context={"title": _("ANC contact of %(person)s") % {"person": pregnancy.woman}},
        done=lambda _contact: pregnancy.woman.get_absolute_url(),
        message=_("ANC contact recorded."),
    )


@login_required
def pregnancy_outcome(request: HttpRequest, pregnancy_id: str) -> HttpResponse:
    pregnancy = selectors.pregnancy_get(user=request.user, pregnancy_id=pregnancy_id)
    _require_record(request, pregnancy.woman.household.community)
    return form_page(
        request,
        forms.OutcomeForm(request.POST or None),
        save=lambda data: services.pregnancy_outcome_record(
            actor=request.user, pregnancy=pregnancy, **data
        ),
        template=FORM,
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


@login_required
def newborn_create(request: HttpRequest, pregnancy_id: str) -> HttpResponse:
    """Register a baby of a delivery already recorded (a twin, or one not registered then)."""
    pregnancy = selectors.pregnancy_get(user=request.user, pregnancy_id=pregnancy_id)
    _require_record(request, pregnancy.woman.household.community)
    return form_page(
        request,
        forms.NewbornForm(request.POST or None),
        save=lambda data: services.newborn_register(
            actor=request.user, pregnancy=pregnancy, **data
        ),
        template=FORM,
        context={"title": _("Newborn of %(person)s") % {"person": pregnancy.woman}},
        done=lambda baby: baby.get_absolute_url(),
        message=_("Newborn registered."),
    )


@login_required
def household_edit(request: HttpRequest, household_id: str) -> HttpResponse:
    household = _household_for_record(request, household_id)
    members = selectors.household_active_members(household=household)
    initial = {
        field: getattr(household, field)
        for field in ("name", "landmark", "phone", "latitude", "longitude", "head")
    }
    return form_page(
        request,
        forms.HouseholdEditForm(request.POST or None, initial=initial, members=members),
        save=lambda data: services.household_update(
            actor=request.user, household=household, **data
        ),
        template=FORM,
        context={"title": _("Edit %(household)s") % {"household": household}},
        done=lambda _household: household.get_absolute_url(),
        message=_("Household saved."),
    )


@login_required
def person_edit(request: HttpRequest, person_id: str) -> HttpResponse:
    person = selectors.person_get(user=request.user, person_id=person_id)
    _require_record(request, person.household.community)
    initial = {
        field: getattr(person, field) for field in services.PERSON_DETAILS if field != "birth_date"
    }
    if person.birth_date_estimated and person.birth_date is not None:
        initial["age_years"] = timezone.localdate().year - person.birth_date.year
    else:
        initial["birth_date"] = person.birth_date
    return form_page(
        request,
        forms.PersonForm(request.POST or None, initial=initial),
        save=lambda data: services.person_update(actor=request.user, person=person, **data),
        template=FORM,
        context={"title": _("Edit %(person)s") % {"person": person}},
        done=lambda _person: person.get_absolute_url(),
        message=_("Details saved."),
    )


@login_required
def person_deactivate(request: HttpRequest, person_id: str) -> HttpResponse:
    person = selectors.person_get(user=request.user, person_id=person_id)
    _require_record(request, person.household.community)
    return form_page(
        request,
        forms.DeactivateForm(request.POST or None, initial={"day": timezone.localdate()}),
        save=lambda data: services.person_deactivate(actor=request.user, person=person, **data),
        template=FORM,
        context={
            "title": _("%(person)s moved, died or left") % {"person": person},
            "help": _(
                "The follow-up ends and the tasks still open are cancelled; the record is kept."
            ),
        },
        done=lambda _person: person.household.get_absolute_url(),
        message=_("Person deactivated."),
    )
