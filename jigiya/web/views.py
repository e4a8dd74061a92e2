from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from jigiya.accounts.access import has_perm_anywhere
from jigiya.accounts.roles import PROGRAMS, Perm, Role
from jigiya.accounts.selectors import assignment_list
from jigiya.indicators.summary import home_summaries
from jigiya.places import selectors as places
from jigiya.web.middleware import error_page

# Each program's own pages, linked from its card on the home page (added as programs land).
PROGRAM_LINKS: dict[str, list[tuple[str, StrPromise]]] = {
    "health": [
        ("followup:worklist", _("Worklist")),
        ("registry:households", _("Households")),
        ("followup:referrals", _("Referrals")),
        ("followup:supervision", _("Supervision")),
        ("care:home", _("Free and subsidized care")),
    ],
    "savings": [("savings:list", _("Savings groups")), ("savings:approvals", _("To check"))],
    "quality": [("quality:league", _("League table of partners"))],
    "cooperatives": [("cooperatives:list", _("Cooperatives"))],
}

# A link shown only to whoever may open its page (a program's view permission is not enough).
LINK_PERMS: dict[str, Perm] = {
    "followup:supervision": Perm.HEALTH_SUPERVISE,
    "care:home": Perm.CARE_VIEW,
}


# Roles whose home opens with the month's indicators of their programs at their places.
SUMMARY_ROLES = frozenset({Role.PROGRAM_MANAGER, Role.ME_OFFICER})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The places and programs this user may see; for a program manager or an M&E officer,
    first the summary of their programs' indicators at their places."""
    roots = list(places.place_roots(user=request.user))
    assignments = list(assignment_list(user=request.user))
    summary_places = list(
        dict.fromkeys(a.place for a in assignments if a.role in SUMMARY_ROLES and a.place)
    )
    programs = [
        {
            "key": key,
            "label": label,
            "summary": summary,
            "links": [
                (reverse(name), text)
                for name, text in PROGRAM_LINKS.get(key, [])
                if name not in LINK_PERMS or has_perm_anywhere(request.user, LINK_PERMS[name])
            ],
            "dashboard": reverse(f"indicators:program_{key}"),
        }
        for key, perm, label, summary in PROGRAMS
        if has_perm_anywhere(request.user, perm)
    ]
    context = {
        "can_push_dhis2": has_perm_anywhere(request.user, Perm.DHIS2_PUSH),
        "roots": roots,
        "programs": programs,
        "assignments": assignments,
        "summaries": home_summaries(user=request.user, places=summary_places),
        "health_centers": places.health_center_list(user=request.user)[:12],
    }
    return render(request, "web/home.html", context)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring; also the benchmarks' baseline. HealthCheckMiddleware
    answers GET and HEAD before any other middleware; the route stays so the URL is named."""
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its token (expired page, or sent from another site): nothing saved."""
    return render(request, "403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the server error page in the user's language (the plain bilingual text if
    even that cannot be drawn)."""
    return error_page(request, 500)
