"""Donor management pages (administrators and program managers): donors, their fundings and
the partner logins that speak for them. The donor reports themselves are indicator pages
(`indicators.views.donor_list`, `donor_report`)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jigiya.accounts.access import Actor, require_perm_anywhere
from jigiya.accounts.roles import Perm
from jigiya.core.views import form_page
from jigiya.donors import forms, selectors, services
from jigiya.donors.models import Donor, Funding

View = Callable[..., HttpResponse]
FORM = "donors/donor_form.html"


def manager_page(view: View) -> View:
    """Signed in, GET or POST, and only for those who manage donors (403 otherwise)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_perm_anywhere(request.user, Perm.DONORS_MANAGE)
        return view(request, *args, **kwargs)

    return login_required(require_http_methods(["GET", "POST"])(wrapper))


def _manage_url(donor: Donor) -> str:
    return reverse("donors:donor_manage", args=[donor.pk])


@login_required
@require_GET
def donor_manage_list(request: HttpRequest) -> HttpResponse:
    """The donors a manager may change, with a link to create one."""
    donors = selectors.donor_manage_list(user=request.user)
    return render(request, "donors/donor_manage_list.html", {"donors": donors})


@login_required
@require_GET
def donor_manage(request: HttpRequest, donor_id: str) -> HttpResponse:
    """One donor: its fundings and partner logins in the manager's places, and the actions."""
    donor = selectors.donor_manage_get(user=request.user, donor_id=donor_id)
    context = {
        "donor": donor,
        "fundings": selectors.donor_manage_fundings(user=request.user, donor=donor),
        "links": selectors.donor_manage_users(user=request.user, donor=donor),
    }
    return render(request, "donors/donor_manage.html", context)


@manager_page
def donor_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        forms.DonorForm(request.POST or None),
        save=lambda data: services.donor_create(actor=request.user, **data),
        template=FORM,
        context={"title": _("New donor")},
        done=_manage_url,
        message=_("Donor created."),
    )


@manager_page
def donor_edit(request: HttpRequest, donor_id: str) -> HttpResponse:
    donor = selectors.donor_manage_get(user=request.user, donor_id=donor_id)
    form = forms.DonorEditForm(
        request.POST or None,
        initial={"name": donor.name, "code": donor.code, "is_active": donor.is_active},
    )
    return form_page(
        request,
        form,
        save=lambda data: services.donor_update(actor=request.user, donor=donor, **data),
        template=FORM,
        context={"donor": donor, "title": _("Change %(donor)s") % {"donor": donor}},
        done=_manage_url,
        message=_("Changes saved."),
    )


def _funding_add(user: Actor, donor: Donor, data: dict[str, Any]) -> Funding:
    place = selectors.funding_place_by_code(code=data["place"])
    if place is None:
        raise ValidationError(
            {"place": [_("There is no place with the code “%(code)s”.") % {"code": data["place"]}]}
        )
    return services.funding_add(
        actor=user,
        donor=donor,
        program=data["program"],
        place=place,
        start=data["start"],
        end=data["end"],
    )


@manager_page
def funding_create(request: HttpRequest, donor_id: str) -> HttpResponse:
    donor = selectors.donor_manage_get(user=request.user, donor_id=donor_id)
    return form_page(
        request,
        forms.FundingForm(request.POST or None),
        save=lambda data: _funding_add(request.user, donor, data),
        template=FORM,
        context={"donor": donor, "title": _("New funding by %(donor)s") % {"donor": donor}},
        done=lambda funding: _manage_url(funding.donor),
        message=_("Funding added."),
    )


@manager_page
def funding_end(request: HttpRequest, funding_id: str) -> HttpResponse:
    funding = selectors.funding_manage_get(user=request.user, funding_id=funding_id)
    return form_page(
        request,
        forms.FundingEndForm(request.POST or None, initial={"end": funding.end}),
        save=lambda data: services.funding_end(
            actor=request.user, funding=funding, end=data["end"]
        ),
        template=FORM,
        context={
            "donor": funding.donor,
            "title": _("End the funding %(funding)s") % {"funding": funding},
        },
        done=lambda funding: _manage_url(funding.donor),
        message=_("Funding ended."),
    )


@manager_page
def donor_user_link(request: HttpRequest, donor_id: str) -> HttpResponse:
    donor = selectors.donor_manage_get(user=request.user, donor_id=donor_id)
    form = forms.DonorUserForm(
        request.POST or None, partners=selectors.partner_choices(user=request.user)
    )
    return form_page(
        request,
        form,
        save=lambda data: services.donor_user_link(
            actor=request.user, user=data["user"], donor=donor
        ),
        template=FORM,
        context={
            "donor": donor,
            "title": _("Link a partner login to %(donor)s") % {"donor": donor},
        },
        done=lambda link: _manage_url(donor),
        message=_("Partner login linked."),
    )
