"""The care pages: thin — each finds its object in the user's places (404 outside), checks the
permission of its action (403), then calls one service or selector."""

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jigiya.accounts.access import (
    has_perm_anywhere,
    has_perm_at,
    require_perm_anywhere,
    require_perm_at,
)
from jigiya.accounts.roles import Perm
from jigiya.care import forms, selectors, services, uploads
from jigiya.care.models import Claim
from jigiya.core.spreadsheets import XLSX_CONTENT_TYPE, xlsx_bytes
from jigiya.core.views import form_page

FORM = "care/form.html"


def _viewer(request: HttpRequest) -> None:
    require_perm_anywhere(request.user, Perm.CARE_VIEW)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    user = request.user
    context = {
        "can_create": has_perm_anywhere(user, Perm.CARE_PAY),
        "centers": selectors.health_centers(user=user)[:100],
        "claims": selectors.claim_list(user=user)[:50],
        "schemes": selectors.scheme_list(user=user)[:50],
        "alerts": selectors.alerts(user=user),
        "uses": selectors.budget_uses(user=user),
    }
    return render(request, "care/home.html", context)


@login_required
def scheme_detail(request: HttpRequest, scheme_id: str) -> HttpResponse:
    _viewer(request)
    scheme = selectors.scheme_get(user=request.user, scheme_id=scheme_id)
    uses = selectors.budget_uses(user=request.user, scheme=scheme)
    context = {
        "scheme": scheme,
        "uses": uses,
        "revisions": selectors.budget_revisions(scheme=scheme, budgets=[u.budget for u in uses]),
        "can_budget": selectors.scheme_centers(
            user=request.user, scheme=scheme, perm=Perm.CARE_PAY
        ).exists(),
        "can_close": has_perm_at(request.user, Perm.CARE_PAY, scheme.place.path),
    }
    return render(request, "care/scheme.html", context)


@login_required
def scheme_new(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.CARE_PAY)
    form = forms.SchemeForm(request.POST or None, **selectors.scheme_choices(user=request.user))
    return form_page(
        request,
        form,
        save=lambda data: services.scheme_create(actor=request.user, **data),
        template=FORM,
        context={"title": _("New coverage scheme")},
        done=lambda scheme: scheme.get_absolute_url(),
        message=_("Scheme created."),
    )


@login_required
def budget_new(request: HttpRequest, scheme_id: str) -> HttpResponse:
    _viewer(request)
    scheme = selectors.scheme_get(user=request.user, scheme_id=scheme_id)
    centers = selectors.scheme_centers(user=request.user, scheme=scheme, perm=Perm.CARE_PAY)
    if not centers.exists():
        raise PermissionDenied
    return form_page(
        request,
        forms.BudgetForm(request.POST or None, centers=centers),
        save=lambda data: services.budget_set(actor=request.user, scheme=scheme, **data),
        template=FORM,
        context={"title": _("Budget · %(scheme)s") % {"scheme": scheme}},
        done=lambda budget: scheme.get_absolute_url(),
        message=_("Budget set."),
    )


@login_required
def scheme_close(request: HttpRequest, scheme_id: str) -> HttpResponse:
    _viewer(request)
    scheme = selectors.scheme_get(user=request.user, scheme_id=scheme_id)
    require_perm_at(request.user, Perm.CARE_PAY, scheme.place)
    return form_page(
        request,
        forms.SchemeCloseForm(request.POST or None),
        save=lambda data: services.scheme_close(actor=request.user, scheme=scheme, **data),
        template=FORM,
        context={"title": _("Close the scheme: %(scheme)s") % {"scheme": scheme}},
        done=lambda closed: closed.get_absolute_url(),
        message=_("Scheme closed."),
    )


@login_required
def budget_edit(request: HttpRequest, budget_id: str) -> HttpResponse:
    _viewer(request)
    budget = selectors.budget_get(user=request.user, budget_id=budget_id)
    require_perm_at(request.user, Perm.CARE_PAY, budget.health_center.place)
    initial = {"amount": budget.amount, "end": budget.end, "over_budget": budget.over_budget}
    return form_page(
        request,
        forms.BudgetEditForm(request.POST or None, initial=initial),
        save=lambda data: services.budget_edit(actor=request.user, budget=budget, **data),
        template=FORM,
        context={"title": _("Change the budget: %(budget)s") % {"budget": budget}},
        done=lambda changed: changed.scheme.get_absolute_url(),
        message=_("Budget changed."),
    )


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    """The user's own budget alerts, unread first; a POST marks the one named (`notice`) read,
    or all of them."""
    _viewer(request)
    if request.method == "POST":
        try:
            named = [uuid.UUID(value) for value in request.POST.getlist("notice")]
        except ValueError:
            return HttpResponseBadRequest()
        services.notices_read(actor=request.user, notice_ids=named or None)
        return redirect("care:alerts")
    notices = list(selectors.notices(user=request.user))
    unread = any(notice.read_at is None for notice in notices)
    return render(request, "care/alerts.html", {"notices": notices, "unread": unread})


@login_required
def person_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    _viewer(request)
    person = selectors.person_get(user=request.user, person_id=person_id)
    context = {
        "person": person,
        "coverages": selectors.coverages_of(person=person),
        "lines": selectors.care_history(person=person),
        "can_decide": has_perm_at(request.user, Perm.CARE_DECIDE, person.household.community.path),
        "today": timezone.localdate(),
    }
    return render(request, "care/person.html", context)


@login_required
def coverage_new(request: HttpRequest, person_id: str) -> HttpResponse:
    _viewer(request)
    person = selectors.person_get(user=request.user, person_id=person_id)
    require_perm_at(request.user, Perm.CARE_DECIDE, person.household.community)
    form = forms.CoverageForm(request.POST or None, schemes=selectors.schemes_for(person=person))
    return form_page(
        request,
        form,
        save=lambda data: services.coverage_decide(actor=request.user, person=person, **data),
        template=FORM,
        context={"title": _("Coverage of %(person)s") % {"person": person}, "back": person},
        done=lambda coverage: f"/care/people/{person.pk}/",
        message=_("Coverage decided."),
    )


@login_required
def coverage_end(request: HttpRequest, coverage_id: str) -> HttpResponse:
    _viewer(request)
    coverage = selectors.coverage_get(user=request.user, coverage_id=coverage_id)
    require_perm_at(request.user, Perm.CARE_DECIDE, coverage.person.household.community)
    return form_page(
        request,
        forms.CoverageEndForm(request.POST or None),
        save=lambda data: services.coverage_end(actor=request.user, coverage=coverage, **data),
        template=FORM,
        context={"title": _("End the coverage: %(coverage)s") % {"coverage": coverage}},
        done=lambda ended: f"/care/people/{coverage.person_id}/",
        message=_("Coverage ended."),
    )


@login_required
def center_detail(request: HttpRequest, health_center_id: str) -> HttpResponse:
    _viewer(request)
    center = selectors.health_center_get(user=request.user, health_center_id=health_center_id)
    context = {
        "center": center,
        "claims": selectors.claim_list(user=request.user, center=center)[:36],
        "uses": selectors.budget_uses(user=request.user, center=center),
        "can_claim": selectors.can(request.user, Perm.CARE_CLAIM, center),
    }
    return render(request, "care/center.html", context)


@login_required
def line_new(request: HttpRequest, health_center_id: str) -> HttpResponse:
    _viewer(request)
    center = selectors.health_center_get(user=request.user, health_center_id=health_center_id)
    require_perm_at(request.user, Perm.CARE_CLAIM, center.place)
    people = selectors.beneficiaries(center=center, day=timezone.localdate())
    form = forms.CareLineForm(request.POST or None, people=people)
    return form_page(
        request,
        form,
        save=lambda data: services.care_line_record(
            actor=request.user, health_center=center, **data
        ),
        template=FORM,
        context={"title": _("Care line · %(center)s") % {"center": center}},
        done=lambda line: line.claim.get_absolute_url(),
        message=_("Care line recorded."),
    )


@login_required
def upload(request: HttpRequest, health_center_id: str) -> HttpResponse:
    _viewer(request)
    center = selectors.health_center_get(user=request.user, health_center_id=health_center_id)
    require_perm_at(request.user, Perm.CARE_CLAIM, center.place)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            result = services.lines_upload(
                actor=request.user, health_center=center, data=form.cleaned_data["file"].read()
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
    if form.errors:
        status = 400
    context = {"center": center, "form": form, "result": result}
    return render(request, "care/upload.html", context, status=status)


@login_required
def template(request: HttpRequest, health_center_id: str) -> HttpResponse:
    _viewer(request)
    center = selectors.health_center_get(user=request.user, health_center_id=health_center_id)
    require_perm_at(request.user, Perm.CARE_CLAIM, center.place)
    people = selectors.beneficiaries(center=center, day=timezone.localdate())
    response = HttpResponse(uploads.template_bytes(people), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="care-{center.code}.xlsx"'
    return response


@login_required
def claim_detail(request: HttpRequest, claim_id: str) -> HttpResponse:
    _viewer(request)
    claim = selectors.claim_get(user=request.user, claim_id=claim_id)
    return render(request, "care/claim.html", selectors.claim_page(user=request.user, claim=claim))


def _claim_action(
    request: HttpRequest, claim_id: str, perm: Perm, action: Callable[..., Any], done: str
) -> HttpResponse:
    _viewer(request)
    claim = selectors.claim_get(user=request.user, claim_id=claim_id)
    require_perm_at(request.user, perm, claim.health_center.place)
    try:
        action(actor=request.user, claim=claim)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(claim.get_absolute_url())


@login_required
@require_POST
def claim_verify(request: HttpRequest, claim_id: str) -> HttpResponse:
    return _claim_action(
        request, claim_id, Perm.CARE_VERIFY, services.claim_verify, _("Lines verified.")
    )


@login_required
@require_POST
def claim_approve(request: HttpRequest, claim_id: str) -> HttpResponse:
    return _claim_action(
        request, claim_id, Perm.CARE_VERIFY, services.claim_approve, _("Claim approved.")
    )


@login_required
@require_POST
def claim_second(request: HttpRequest, claim_id: str) -> HttpResponse:
    return _claim_action(
        request, claim_id, Perm.CARE_PAY, services.claim_second_approve, _("Claim approved.")
    )


@login_required
@require_POST
def claim_close(request: HttpRequest, claim_id: str) -> HttpResponse:
    return _claim_action(request, claim_id, Perm.CARE_PAY, services.claim_close, _("Closed."))


@login_required
def claim_pay(request: HttpRequest, claim_id: str) -> HttpResponse:
    _viewer(request)
    claim = selectors.claim_get(user=request.user, claim_id=claim_id)
    require_perm_at(request.user, Perm.CARE_PAY, claim.health_center.place)
    initial = {"amount": claim.approved_amount, "paid_on": timezone.localdate()}
    return form_page(
        request,
        forms.PayForm(request.POST or None, initial=initial),
        save=lambda data: services.claim_pay(actor=request.user, claim=claim, **data),
        template=FORM,
        context={"title": _("Pay the claim %(claim)s") % {"claim": claim}},
        done=lambda entry: claim.get_absolute_url(),
        message=_("Payment recorded."),
    )


@login_required
def line_reject(request: HttpRequest, line_id: str) -> HttpResponse:
    _viewer(request)
    line = selectors.line_get(user=request.user, line_id=line_id)
    require_perm_at(request.user, Perm.CARE_VERIFY, line.claim.health_center.place)
    return form_page(
        request,
        forms.RejectForm(request.POST or None),
        save=lambda data: services.line_reject(actor=request.user, line=line, **data),
        template=FORM,
        context={"title": _("Reject the line: %(line)s") % {"line": line}},
        done=lambda rejected: line.claim.get_absolute_url(),
        message=_("Line rejected."),
    )


@login_required
def payment_reverse(request: HttpRequest, payment_id: str) -> HttpResponse:
    _viewer(request)
    entry = selectors.payment_get(user=request.user, payment_id=payment_id)
    require_perm_at(request.user, Perm.CARE_PAY, entry.claim.health_center.place)
    return form_page(
        request,
        forms.ReverseForm(request.POST or None, initial={"on": timezone.localdate()}),
        save=lambda data: services.payment_reverse(actor=request.user, entry=entry, **data),
        template=FORM,
        context={"title": _("Correct the payment %(entry)s") % {"entry": entry}},
        done=lambda reversal: entry.claim.get_absolute_url(),
        message=_("Payment reversed."),
    )


@login_required
def statement(request: HttpRequest, claim_id: str) -> HttpResponse:
    _viewer(request)
    claim = selectors.claim_get(user=request.user, claim_id=claim_id)
    return render(
        request, "care/statement.html", selectors.claim_page(user=request.user, claim=claim)
    )


@login_required
def statement_xlsx(request: HttpRequest, claim_id: str) -> HttpResponse:
    _viewer(request)
    claim: Claim = selectors.claim_get(user=request.user, claim_id=claim_id)
    header, rows = selectors.statement_rows(claim=claim)
    response = HttpResponse(xlsx_bytes(header, rows, title="claim"), content_type=XLSX_CONTENT_TYPE)
    name = f"claim-{claim.health_center.code}-{claim.month:%Y-%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
