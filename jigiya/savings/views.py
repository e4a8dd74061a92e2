import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import has_perm_anywhere, require_perm_anywhere, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.core.errors import Conflict, validation_fields
from jigiya.core.views import form_page
from jigiya.savings import forms, limits, selectors, services
from jigiya.savings.models import Approval


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.SAVINGS_VIEW)
    search = request.GET.get("q", "").strip()
    context = {
        "groups": selectors.group_list(user=request.user, search=search)[:200],
        "search": search,
        "can_create": has_perm_anywhere(request.user, Perm.SAVINGS_RECORD),
    }
    return render(request, "savings/group_list.html", context)


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.SAVINGS_RECORD)
    form = forms.GroupCreateForm(
        request.POST or None, communities=selectors.communities_to_record(user=request.user)
    )
    return form_page(
        request,
        form,
        save=lambda data: services.group_create(
            actor=request.user, facilitator=request.user, **data
        ),
        template="savings/form.html",
        context={"title": _("New savings group")},
        done=lambda group: group.get_absolute_url(),
        message=_("Group created."),
    )


@login_required
def group_detail(request: HttpRequest, group_id: str) -> HttpResponse:
    group = selectors.group_get(user=request.user, group_id=group_id)
    return render(
        request, "savings/group_detail.html", selectors.group_page(user=request.user, group=group)
    )


@login_required
def group_status(request: HttpRequest, group_id: str) -> HttpResponse:
    group = selectors.group_get(user=request.user, group_id=group_id)
    require_perm_at(request.user, Perm.SAVINGS_RECORD, group.community)
    form = forms.StatusForm(request.POST or None, initial={"on": timezone.localdate()})
    return form_page(
        request,
        form,
        save=lambda data: services.group_status_change(actor=request.user, group=group, **data),
        template="savings/form.html",
        context={"title": _("Status of %(group)s") % {"group": group}, "group": group},
        done=lambda group: group.get_absolute_url(),
        message=_("Status changed."),
    )


@login_required
def cycle_start(request: HttpRequest, group_id: str) -> HttpResponse:
    group = selectors.group_get(user=request.user, group_id=group_id)
    require_perm_at(request.user, Perm.SAVINGS_RECORD, group.community)
    last = selectors.last_cycle(group)
    initial: dict[str, Any] = {"starts_on": timezone.localdate()}
    if last is not None:  # the next cycle starts from the last one's constitution
        initial.update({name: getattr(last, name) for name in services.CONSTITUTION_FIELDS})
        initial["fines"] = "\n".join(f"{f['reason']} = {f['amount']}" for f in last.fines)
    form = forms.CycleForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        save=lambda data: services.cycle_start(actor=request.user, group=group, **data),
        template="savings/form.html",
        context={"title": _("New cycle of %(group)s") % {"group": group}, "group": group},
        done=lambda cycle: cycle.get_absolute_url(),
        message=_("Cycle started."),
    )


@login_required
def member_add(request: HttpRequest, group_id: str) -> HttpResponse:
    group = selectors.group_get(user=request.user, group_id=group_id)
    require_perm_at(request.user, Perm.SAVINGS_RECORD, group.community)
    form = forms.MemberAddForm(
        request.POST or None,
        people=selectors.people_to_add(group),
        initial={"joined_on": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        save=lambda data: services.membership_add(actor=request.user, group=group, **data),
        template="savings/form.html",
        context={"title": _("New member of %(group)s") % {"group": group}, "group": group},
        done=lambda membership: group.get_absolute_url(),
        message=_("Member added."),
    )


@login_required
def meeting_new(request: HttpRequest, group_id: str) -> HttpResponse:
    """The meeting entry page: one row per member, defaults that match most rows."""
    group = selectors.group_get(user=request.user, group_id=group_id)
    require_perm_at(request.user, Perm.SAVINGS_RECORD, group.community)
    cycle = selectors.open_cycle(group)
    if cycle is None:
        messages.warning(request, _("Start a cycle before recording meetings."))
        return redirect(group.get_absolute_url())
    form = forms.MeetingForm(
        request.POST or None,
        members=selectors.members_on(group, timezone.localdate()),
        cycle=cycle,
        last_shares=selectors.last_shares(group),
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(actor=request.user, group=group, data=form.to_data())
        except ValidationError as exc:
            for key, errors in validation_fields(exc).items():
                target = form.field_for(key)
                for error in errors:
                    form.add_error(target, error)
        except Conflict as exc:
            form.add_error(None, exc.message)
            conflict = True
        else:
            if isinstance(meeting, Approval):
                messages.warning(
                    request,
                    _(
                        "A movement is above the approval threshold: the meeting waits for a "
                        "second officer; nothing is posted yet."
                    ),
                )
            else:
                messages.success(request, _("Meeting recorded and sealed."))
            return redirect(meeting.get_absolute_url())
    status = 409 if conflict else 400 if form.errors else 200
    totals = form.totals(selectors.cash_in_boxes(group))
    return render(
        request,
        "savings/meeting_form.html",
        {
            "form": form,
            "group": group,
            "cycle": cycle,
            "ceiling": limits.movement_ceiling(cycle),
            "threshold": limits.approval_threshold(cycle),
            "difference_threshold": limits.cash_difference_threshold(cycle),
            "totals": totals,
            "counted_boxes": form.counted_boxes(totals),
        },
        status=status,
    )


@login_required
def meeting_detail(request: HttpRequest, meeting_id: str) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    context = selectors.meeting_page(meeting=meeting)
    context["can_record"] = selectors.can_record(request.user, meeting.group)
    return render(request, "savings/meeting_detail.html", context)


@login_required
def passbook(request: HttpRequest, membership_id: str) -> HttpResponse:
    membership = selectors.membership_get(user=request.user, membership_id=membership_id)
    context = selectors.passbook(membership=membership)
    context["can_record"] = selectors.can_record(request.user, membership.group)
    return render(request, "savings/passbook.html", context)


@login_required
def member_role(request: HttpRequest, membership_id: str) -> HttpResponse:
    membership = selectors.membership_get(user=request.user, membership_id=membership_id)
    require_perm_at(request.user, Perm.SAVINGS_RECORD, membership.group.community)
    form = forms.RoleForm(request.POST or None, initial={"role": membership.role})
    return form_page(
        request,
        form,
        save=lambda data: services.membership_update(
            actor=request.user, membership=membership, **data
        ),
        template="savings/form.html",
        context={
            "title": _("Role of %(member)s") % {"member": membership.person},
            "group": membership.group,
        },
        done=lambda membership: membership.get_absolute_url(),
        message=_("Role changed."),
    )


@login_required
def member_leave(request: HttpRequest, membership_id: str) -> HttpResponse:
    """A member leaves: the page shows her settlement as of today before it is posted."""
    membership = selectors.membership_get(user=request.user, membership_id=membership_id)
    require_perm_at(request.user, Perm.SAVINGS_RECORD, membership.group.community)
    form = forms.LeaveForm(request.POST or None, initial={"left_on": timezone.localdate()})
    return form_page(
        request,
        form,
        save=lambda data: services.membership_leave(
            actor=request.user, membership=membership, **data
        ),
        template="savings/member_leave.html",
        context={
            "membership": membership,
            "group": membership.group,
            "plan": selectors.leave_plan(membership, timezone.localdate()),
        },
        done=lambda membership: membership.get_absolute_url(),
        message=_("The member has left; her settlement is posted."),
    )


@login_required
def member_leave_cancel(request: HttpRequest, membership_id: str) -> HttpResponse:
    """Cancel a leaving recorded by mistake: her settlement is reversed."""
    membership = selectors.membership_get(user=request.user, membership_id=membership_id)
    require_perm_at(request.user, Perm.SAVINGS_RECORD, membership.group.community)
    form = forms.LeaveCancelForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.membership_leave_cancel(
            actor=request.user, membership=membership, **data
        ),
        template="savings/form.html",
        context={
            "title": _("Cancel the leaving of %(person)s") % {"person": membership.person},
            "group": membership.group,
        },
        done=lambda membership: membership.get_absolute_url(),
        message=_("Her leaving is cancelled; her settlement is reversed."),
    )


@login_required
def cycle_detail(request: HttpRequest, cycle_id: str) -> HttpResponse:
    cycle = selectors.cycle_get(user=request.user, cycle_id=cycle_id)
    context = selectors.cycle_summary(cycle=cycle)
    context["can_record"] = selectors.can_record(request.user, cycle.group)
    context["ceiling"] = limits.movement_ceiling(cycle)
    context["threshold"] = limits.approval_threshold(cycle)
    return render(request, "savings/cycle_detail.html", context)


@login_required
def share_out(request: HttpRequest, cycle_id: str) -> HttpResponse:
    """The share-out sheet (printable); before the share-out, a preview and the button."""
    cycle = selectors.cycle_get(user=request.user, cycle_id=cycle_id)
    done = selectors.share_out_of(cycle)
    if done is not None:
        return render(
            request,
            "savings/share_out.html",
            {
                "cycle": cycle,
                "share_out": done,
                "lines": selectors.share_out_lines(share_out=done),
            },
        )
    if request.method == "POST":
        require_perm_at(request.user, Perm.SAVINGS_RECORD, cycle.group.community)
    form = forms.ShareOutForm(request.POST or None, initial={"held_on": timezone.localdate()})
    plan = None
    problem = ""
    try:
        plan = selectors.share_out_plan(cycle, timezone.localdate())
    except ValidationError as exc:
        problem = " ".join(exc.messages)
    return form_page(
        request,
        form,
        save=lambda data: services.share_out(actor=request.user, cycle=cycle, **data),
        template="savings/share_out.html",
        context={
            "cycle": cycle,
            "plan": plan,
            "problem": problem,
            "can_record": selectors.can_record(request.user, cycle.group),
        },
        done=lambda result: result.get_absolute_url(),
        message=_("Share-out recorded."),
    )


@login_required
def loan_detail(request: HttpRequest, loan_id: str) -> HttpResponse:
    loan = selectors.loan_get(user=request.user, loan_id=loan_id)
    form = forms.WriteOffForm(
        request.POST or None,
        officers=selectors.write_off_approvers(loan),
        initial={"on": timezone.localdate()},
    )
    if request.method == "POST":
        require_perm_at(request.user, Perm.SAVINGS_RECORD, loan.group.community)
    position = selectors.loan_positions([loan])[loan.pk]
    return form_page(
        request,
        form,
        save=lambda data: services.loan_write_off(actor=request.user, loan=loan, **data),
        template="savings/loan_detail.html",
        context={
            "loan": loan,
            "position": position,
            "can_record": selectors.can_record(request.user, loan.group),
        },
        done=lambda loan: loan.get_absolute_url(),
        message=_("Loan written off."),
    )


@login_required
def entry_correct(request: HttpRequest, entry_id: str) -> HttpResponse:
    entry = selectors.entry_get(user=request.user, entry_id=entry_id)
    require_perm_at(request.user, Perm.SAVINGS_RECORD, entry.group.community)
    form = forms.CorrectionForm(request.POST or None, initial={"id": uuid.uuid4()})
    return form_page(
        request,
        form,
        save=lambda data: services.entry_correct(actor=request.user, entry=entry, **data),
        template="savings/form.html",
        context={
            "title": _("Correct entry %(entry)s") % {"entry": entry},
            "group": entry.group,
            "entry": entry,
        },
        done=lambda entries: (
            entry.meeting.get_absolute_url() if entry.meeting else entry.group.get_absolute_url()
        ),
        message=_("Correction posted."),
    )


@login_required
def approval_list(request: HttpRequest) -> HttpResponse:
    """The postings waiting for a second officer in the user's places, and the sealed meetings
    whose cash count was off by more than the threshold (what the supervisor looks at)."""
    require_perm_anywhere(request.user, Perm.SAVINGS_VIEW)
    approvals = list(selectors.approvals_waiting(user=request.user)[:200])
    return render(
        request,
        "savings/approval_list.html",
        {
            "approvals": [(a, selectors.can_decide(request.user, a)) for a in approvals],
            "flagged": selectors.flagged_counts(user=request.user),
            "difference_threshold": limits.cash_difference_threshold(),
        },
    )


@login_required
def approval_detail(request: HttpRequest, approval_id: str) -> HttpResponse:
    """A held posting: what it would post, and for a second officer the buttons to approve
    (it is posted) or reject it (a reason, nothing posted)."""
    approval = selectors.approval_get(user=request.user, approval_id=approval_id)
    approving = request.POST.get("decision") == "approve"
    if request.method == "POST":
        require_perm_at(request.user, Perm.SAVINGS_APPROVE, approval.group.community)
    data = request.POST if request.method == "POST" else None
    form = forms.ApproveForm(data) if approving else forms.RejectForm(data)
    context = selectors.approval_page(user=request.user, approval=approval)
    context["reject_form"] = forms.RejectForm() if approving else form
    return form_page(
        request,
        form,
        save=lambda data: (
            services.approval_approve(actor=request.user, approval=approval)
            if approving
            else services.approval_reject(actor=request.user, approval=approval, **data)
        ),
        template="savings/approval_detail.html",
        context=context,
        done=lambda result: (
            result.meeting.get_absolute_url() if result.meeting else result.get_absolute_url()
        ),
        message=_("Approved: the meeting is posted.")
        if approving
        else _("Rejected: nothing is posted."),
    )
