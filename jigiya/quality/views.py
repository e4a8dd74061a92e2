from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import (
    has_perm_anywhere,
    has_perm_at,
    require_perm_anywhere,
    require_perm_at,
)
from jigiya.accounts.roles import Perm
from jigiya.core.params import parse_day
from jigiya.core.views import form_page
from jigiya.places.models import HealthCenter
from jigiya.quality import forms, selectors, services
from jigiya.quality.models import Party


def _profile_url(center: HealthCenter) -> str:
    return reverse("quality:profile", args=[center.pk])


@login_required
def league(request: HttpRequest) -> HttpResponse:
    """The league table at a date (`?on=`, today by default), and who changed quartile since
    the same day a year before."""
    require_perm_anywhere(request.user, Perm.QUALITY_VIEW)
    on = parse_day(request.GET.get("on"), field="on")
    now = selectors.ranking(user=request.user, on=on)
    then = selectors.ranking(user=request.user, on=selectors.year_before(on))
    context = {
        "ranking": now,
        "before": then.on,
        "moves": selectors.moves(now, then),
        "version": selectors.current_version(),
        "can_configure": has_perm_anywhere(request.user, Perm.QUALITY_RECORD),
    }
    return render(request, "quality/league.html", context)


@login_required
def profile(request: HttpRequest, health_center_id: str) -> HttpResponse:
    center = selectors.center_get(user=request.user, health_center_id=health_center_id)
    on = parse_day(request.GET.get("on"), field="on")
    context = selectors.partner_profile(user=request.user, center=center, on=on)
    return render(request, "quality/profile.html", context)


def _recordable(request: HttpRequest, health_center_id: str) -> HealthCenter:
    center = selectors.center_get(user=request.user, health_center_id=health_center_id)
    require_perm_at(request.user, Perm.QUALITY_RECORD, center.place)
    return center


@login_required
def assessment_new(request: HttpRequest, health_center_id: str) -> HttpResponse:
    """The scorecard entry page (laptop or tablet at the CSCom): pre-filled where the
    platform's records know the answer."""
    center = _recordable(request, health_center_id)
    version = selectors.current_version()
    if version is None:
        raise Http404
    criteria = selectors.version_criteria(version)
    today = timezone.localdate()
    form = forms.AssessmentForm(
        request.POST or None,
        criteria=criteria,
        prefilled=selectors.prefill(center, criteria, today),
        initial={"assessed_on": today},
    )
    return form_page(
        request,
        form,
        save=lambda data: services.assessment_record(
            actor=request.user,
            health_center=center,
            version=version,
            assessed_on=data["assessed_on"],
            assessors=data["assessors"],
            answers=form.answers(),
            party=data["party"] or Party.ASSESSORS,
            id=data["id"],
        ),
        template="quality/assessment_form.html",
        context={"center": center, "version": version},
        done=lambda assessment: assessment.get_absolute_url(),
        message=_("Assessment recorded."),
    )


@login_required
def assessment_detail(request: HttpRequest, assessment_id: str) -> HttpResponse:
    """The one-page scorecard, printable for the community meeting."""
    assessment = selectors.assessment_get(user=request.user, assessment_id=assessment_id)
    context = {
        "assessment": assessment,
        "center": assessment.health_center,
        "domains": selectors.answers_by_domain(assessment),
    }
    return render(request, "quality/scorecard.html", context)


@login_required
def interview_new(request: HttpRequest, health_center_id: str) -> HttpResponse:
    """One exit interview: a patient's answers on leaving the CSCom (tablet or phone)."""
    center = _recordable(request, health_center_id)
    form = forms.ExitInterviewForm(
        request.POST or None, initial={"interviewed_on": timezone.localdate()}
    )
    return form_page(
        request,
        form,
        save=lambda data: services.exit_interview_record(
            actor=request.user,
            health_center=center,
            interviewed_on=data["interviewed_on"],
            answers=form.answers(),
            id=data["id"],
        ),
        template="quality/interview_form.html",
        context={"center": center},
        done=lambda _interview: reverse("quality:interview_new", args=[center.pk]),
        message=_("Interview recorded. Next respondent."),
    )


@login_required
def reported_return_new(request: HttpRequest, health_center_id: str) -> HttpResponse:
    center = _recordable(request, health_center_id)
    form = forms.ReportedReturnForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.reported_return_record(
            actor=request.user, health_center=center, **data
        ),
        template="quality/form.html",
        context={"center": center, "title": _("Return to deliver reported by the health center")},
        done=lambda _record: _profile_url(center),
        message=_("Figure recorded."),
    )


@login_required
def handover_new(request: HttpRequest, health_center_id: str) -> HttpResponse:
    center = _recordable(request, health_center_id)
    form = forms.HandoverForm(request.POST or None, initial={"reached_on": timezone.localdate()})
    return form_page(
        request,
        form,
        save=lambda data: services.handover_advance(
            actor=request.user, health_center=center, **data
        ),
        template="quality/form.html",
        context={"center": center, "title": _("Handover stage")},
        done=lambda _step: _profile_url(center),
        message=_("Handover stage recorded."),
    )


@login_required
def project_detail(request: HttpRequest, project_id: str) -> HttpResponse:
    project = selectors.project_get(user=request.user, project_id=project_id)
    center = project.health_center
    months = selectors.month_list(timezone.localdate(), 24)
    view = next(
        v
        for v in selectors.projects(user=request.user, center=center, months=months)
        if v.project.pk == project.pk
    )
    return render(
        request,
        "quality/project.html",
        {
            "view": view,
            "project": project,
            "center": center,
            "can_record": selectors.can_record(request.user, center),
        },
    )


@login_required
def version_detail(request: HttpRequest) -> HttpResponse:
    """The scorecard instrument: its current version, or `?version=N` (past ones stay)."""
    version = selectors.version_get(user=request.user, number=request.GET.get("version", ""))
    return render(
        request,
        "quality/version.html",
        {"version": version, "criteria": selectors.version_criteria(version)},
    )


def _qi_form(
    request: HttpRequest, center: HealthCenter, form: Any, save: Any, title: str, done: str
) -> HttpResponse:
    return form_page(
        request,
        form,
        save=save,
        template="quality/form.html",
        context={"center": center, "title": title},
        done=lambda _record: done,
        message=_("Saved."),
    )


@login_required
def coach_assign(request: HttpRequest, health_center_id: str) -> HttpResponse:
    """The CSCom's coaches, newest first (the history), and for who records quality work, the
    form that assigns or changes the coach."""
    center = selectors.center_get(user=request.user, health_center_id=health_center_id)
    can_assign = has_perm_at(request.user, Perm.QUALITY_RECORD, center.place.path)
    context = {
        "center": center,
        "history": selectors.coach_history(center=center),
        "can_assign": can_assign,
    }
    if not can_assign:
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "quality/coach.html", context)
    form = forms.CoachForm(
        request.POST or None,
        coaches=selectors.coaches_for(center=center),
        initial={"since": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        save=lambda data: services.coach_assign(actor=request.user, health_center=center, **data),
        template="quality/coach.html",
        context=context,
        done=lambda _record: reverse("quality:coach", args=[center.pk]),
        message=_("Coach assigned."),
    )


@login_required
def team_member_new(request: HttpRequest, health_center_id: str) -> HttpResponse:
    center = _recordable(request, health_center_id)
    form = forms.TeamMemberForm(request.POST or None, initial={"since": timezone.localdate()})
    return _qi_form(
        request,
        center,
        form,
        lambda data: services.team_member_add(actor=request.user, health_center=center, **data),
        _("New QI team member"),
        _profile_url(center),
    )


@login_required
def session_new(request: HttpRequest, health_center_id: str) -> HttpResponse:
    center = _recordable(request, health_center_id)
    form = forms.CoachingSessionForm(
        request.POST or None, initial={"held_on": timezone.localdate()}
    )
    return _qi_form(
        request,
        center,
        form,
        lambda data: services.coaching_session_record(
            actor=request.user, health_center=center, **data
        ),
        _("Coaching session"),
        _profile_url(center),
    )


@login_required
def project_new(request: HttpRequest, health_center_id: str) -> HttpResponse:
    center = _recordable(request, health_center_id)
    form = forms.ProjectForm(request.POST or None, initial={"started_on": timezone.localdate()})
    return form_page(
        request,
        form,
        save=lambda _data: services.project_create(
            actor=request.user, health_center=center, **form.service_data()
        ),
        template="quality/form.html",
        context={"center": center, "title": _("New improvement project")},
        done=lambda project: project.get_absolute_url(),
        message=_("Saved."),
    )


def _project_recordable(request: HttpRequest, project_id: str) -> Any:
    project = selectors.project_get(user=request.user, project_id=project_id)
    require_perm_at(request.user, Perm.QUALITY_RECORD, project.health_center.place)
    return project


@login_required
def pdsa_new(request: HttpRequest, project_id: str) -> HttpResponse:
    project = _project_recordable(request, project_id)
    form = forms.PdsaForm(request.POST or None, initial={"started_on": timezone.localdate()})
    return _qi_form(
        request,
        project.health_center,
        form,
        lambda data: services.pdsa_record(actor=request.user, project=project, **data),
        _("PDSA cycle"),
        project.get_absolute_url(),
    )


@login_required
def score_new(request: HttpRequest, project_id: str) -> HttpResponse:
    project = _project_recordable(request, project_id)
    form = forms.ProgressScoreForm(
        request.POST or None, initial={"scored_on": timezone.localdate()}
    )
    return _qi_form(
        request,
        project.health_center,
        form,
        lambda data: services.progress_score_record(actor=request.user, project=project, **data),
        _("Progress score"),
        project.get_absolute_url(),
    )


@login_required
def action_new(request: HttpRequest, health_center_id: str) -> HttpResponse:
    """An item of the action plan agreed at a community score card round."""
    center = _recordable(request, health_center_id)
    form = forms.ActionItemForm(request.POST or None, initial={"agreed_on": timezone.localdate()})
    return _qi_form(
        request,
        center,
        form,
        lambda data: services.action_item_add(actor=request.user, health_center=center, **data),
        _("Action plan item"),
        _profile_url(center),
    )


@login_required
def action_status(request: HttpRequest, item_id: str) -> HttpResponse:
    item = selectors.action_item_get(user=request.user, item_id=item_id)
    center = item.health_center
    require_perm_at(request.user, Perm.QUALITY_RECORD, center.place)
    form = forms.ActionStatusForm(request.POST or None, initial={"status": item.status})
    return _qi_form(
        request,
        center,
        form,
        lambda data: services.action_item_status(actor=request.user, item=item, **data),
        str(item),
        _profile_url(center),
    )
