import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import (
    Actor,
    acting_user,
    has_perm_anywhere,
    has_perm_at,
    require_perm_anywhere,
    require_perm_at,
)
from jigiya.accounts.models import User
from jigiya.accounts.roles import Perm
from jigiya.core.views import form_page
from jigiya.places.models import Place
from jigiya.registry import forms, plugins, selectors, services
from jigiya.registry.models import LEAST_ACCESS_CRITERIA, Household

FORM = "registry/form.html"


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.HEALTH_VIEW)
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
    require_perm_anywhere(request.user, Perm.HEALTH_RECORD)
    form = forms.HouseholdForm(
        request.POST or None, communities=selectors.recording_communities(user=request.user)
    )
    return form_page(
        request,
        form,
        save=lambda data: services.household_create(
            actor=request.user,
            chw=acting_user(request.user) if _is_chw(request.user, data["community"]) else None,
            **data,
        ),
        template=FORM,
        context={"title": _("New household"), "locate": True},
        done=lambda household: household.get_absolute_url(),
        message=_("Household registered."),
    )


def _is_chw(user: Actor, community: Place) -> bool:
    return isinstance(user, User) and user.assignments.filter(role="chw", place=community).exists()


@login_required
def household_detail(request: HttpRequest, household_id: str) -> HttpResponse:
    """The household, its members and what every program registered in `plugins` shows."""
    household = selectors.household_get(user=request.user, household_id=household_id)
    members = selectors.household_members(household=household)
    panels = plugins.household_panels(request.user, household)
    badges: dict[uuid.UUID, list[Any]] = {}
    for panel in panels:
        for person_id, shown in panel.badges.items():
            badges.setdefault(person_id, []).extend(shown)
    assessment = selectors.household_assessment(household=household)
    context = {
        "household": household,
        "members": [(person, badges.get(person.pk, [])) for person in members],
        "assessment": assessment,
        "criteria_labels": [
            LEAST_ACCESS_CRITERIA[code][0] for code in (assessment.criteria if assessment else [])
        ],
        "can_record": has_perm_at(request.user, Perm.HEALTH_RECORD, household.community.path),
        "panels": plugins.render_panels(request, panels),
    }
    return render(request, "registry/household_detail.html", context)


def _household_for_record(request: HttpRequest, household_id: str) -> Household:
    household = selectors.household_get(user=request.user, household_id=household_id)
    require_perm_at(request.user, Perm.HEALTH_RECORD, household.community)
    return household


@login_required
def person_create(request: HttpRequest, household_id: str) -> HttpResponse:
    household = _household_for_record(request, household_id)
    return form_page(
        request,
        forms.PersonNewForm(request.POST or None),
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
    """The person's details and what every program registered in `plugins` shows."""
    person = selectors.person_get(user=request.user, person_id=person_id)
    context = {
        "person": person,
        "household": person.household,
        "can_record": has_perm_at(
            request.user, Perm.HEALTH_RECORD, person.household.community.path
        ),
        "panels": plugins.render_panels(request, plugins.person_panels(request.user, person)),
    }
    return render(request, "registry/person_detail.html", context)


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
        context={"title": _("Edit %(household)s") % {"household": household}, "locate": True},
        done=lambda _household: household.get_absolute_url(),
        message=_("Household saved."),
    )


@login_required
def person_edit(request: HttpRequest, person_id: str) -> HttpResponse:
    person = selectors.person_get(user=request.user, person_id=person_id)
    require_perm_at(request.user, Perm.HEALTH_RECORD, person.household.community)
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
    require_perm_at(request.user, Perm.HEALTH_RECORD, person.household.community)
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
