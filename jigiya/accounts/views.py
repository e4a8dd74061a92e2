from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jigiya.accounts import selectors, services
from jigiya.accounts.access import has_perm_anywhere, require_perm_anywhere
from jigiya.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from jigiya.accounts.forms import (
    AssignmentForm,
    PasswordSetForm,
    TokenForm,
    UserCreateForm,
    UserEditForm,
)
from jigiya.accounts.lockout import too_many_attempts
from jigiya.accounts.models import User
from jigiya.accounts.roles import Perm
from jigiya.accounts.throttling import LoginThrottle
from jigiya.core.errors import add_to_form
from jigiya.core.params import parse_day
from jigiya.places.models import Place
from jigiya.places.selectors import place_list


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Beside the lockout after failed logins: one address may only try so often.
        throttle = LoginThrottle()
        if not throttle.allow_request(request):
            return too_many_attempts(request, retry_after=throttle.retry_after())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # A language picked on this device wins; otherwise the account's own language applies.
        if settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                form.get_user().language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            context["demo_users"] = DEMO_USERS
            context["demo_password"] = DEMO_PASSWORD
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        # Django's form has checked the current password and run the validators; the service
        # sets the new one and lifts `must_change_password`.
        try:
            services.password_change(user=form.user, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("new_password1", message)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Your password was changed."))
        return HttpResponseRedirect(self.get_success_url())


def _me(request: HttpRequest) -> User:
    """The logged-in user (the views that call this are behind `login_required`)."""
    return cast(User, request.user)


def _profile(request: HttpRequest, token_form: TokenForm, status: int = 200) -> HttpResponse:
    me = _me(request)
    context = {
        "assignments": selectors.assignment_list(user=me),
        "tokens": selectors.token_list(user=me),
        "token_form": token_form,
        "new_key": request.session.pop("new_token_key", None),
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The user's own account: roles, language, API tokens."""
    return _profile(request, TokenForm())


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            _token, key = services.token_create(
                actor=request.user, user=_me(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            # Shown once, on the next page; only its hash is kept.
            request.session["new_token_key"] = key
            return redirect("accounts:profile")
    return _profile(request, form, status=400)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    token = selectors.token_get(actor=request.user, token_id=token_id)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    if token.user_id == request.user.pk:
        return redirect("accounts:profile")
    return redirect("accounts:user_detail", user_id=token.user_id)


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.USERS_VIEW)
    search = request.GET.get("q", "").strip()
    users = selectors.user_list(actor=request.user, search=search)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "search": search,
        "can_manage": has_perm_anywhere(request.user, Perm.USERS_MANAGE),
    }
    return render(request, "accounts/user_list.html", context)


def _manageable_places(request: HttpRequest) -> Any:
    return place_list(user=request.user, perm=Perm.USERS_MANAGE).filter(is_active=True)


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.USERS_MANAGE)
    form = UserCreateForm(request.POST or None, places=_manageable_places(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("User %(name)s was created.") % {"name": user})
            return redirect(user.get_absolute_url())
    status = 400 if form.errors else 200
    return render(request, "accounts/user_form.html", {"form": form}, status=status)


@login_required
def user_detail(request: HttpRequest, user_id: str) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.USERS_VIEW)
    person = selectors.user_get(actor=request.user, user_id=user_id)
    context = {
        "person": person,
        "assignments": selectors.assignment_list(user=person),
        "tokens": selectors.token_list(user=person),
        "assignment_form": AssignmentForm(places=_manageable_places(request)),
        "can_manage": has_perm_anywhere(request.user, Perm.USERS_MANAGE),
    }
    return render(request, "accounts/user_detail.html", context)


@login_required
def user_edit(request: HttpRequest, user_id: str) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.USERS_MANAGE)
    person = selectors.user_get(actor=request.user, user_id=user_id)
    initial = {field: getattr(person, field) for field in UserEditForm.base_fields}
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=person, **form.cleaned_data)
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(person.get_absolute_url())
    status = 400 if form.errors else 200
    return render(
        request, "accounts/user_edit.html", {"form": form, "person": person}, status=status
    )


@login_required
def user_password(request: HttpRequest, user_id: str) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.USERS_MANAGE)
    person = selectors.user_get(actor=request.user, user_id=user_id)
    form = PasswordSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=person, password=form.cleaned_data["password"]
            )
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("The new password is set."))
            return redirect(person.get_absolute_url())
    status = 400 if form.errors else 200
    return render(
        request, "accounts/user_password.html", {"form": form, "person": person}, status=status
    )


@login_required
@require_POST
def assignment_add(request: HttpRequest, user_id: str) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.USERS_MANAGE)
    person = selectors.user_get(actor=request.user, user_id=user_id)
    form = AssignmentForm(request.POST, places=_manageable_places(request))
    if form.is_valid():
        try:
            services.assignment_add(actor=request.user, user=person, **form.cleaned_data)
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Role added."))
            return redirect(person.get_absolute_url())
    context = {
        "person": person,
        "assignments": selectors.assignment_list(user=person),
        "tokens": selectors.token_list(user=person),
        "assignment_form": form,
        "can_manage": True,
    }
    return render(request, "accounts/user_detail.html", context, status=400)


@login_required
@require_POST
def assignment_remove(request: HttpRequest, assignment_id: str) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.USERS_MANAGE)
    assignment = selectors.assignment_get(actor=request.user, assignment_id=assignment_id)
    try:
        services.assignment_remove(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Role removed."))
    return redirect("accounts:user_detail", user_id=assignment.user_id)


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    """The audit trail, newest first, for administrators: one sentence per change, narrowed
    by who, kind of record, place and days."""
    require_perm_anywhere(request.user, Perm.AUDIT_VIEW)
    filters = _audit_filters(request)
    entries = selectors.audit_list(actor=request.user, filters=filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "sentences": selectors.audit_sentences(list(page)),
        "filters": filters,
        "kinds": selectors.audit_kinds(),
        "places": place_list(user=request.user, perm=Perm.AUDIT_VIEW).filter(is_active=True),
        "query": urlencode([(k, str(v)) for k, v in request.GET.items() if k != "page" and v]),
    }
    return render(request, "accounts/audit.html", context)


def _audit_filters(request: HttpRequest) -> selectors.AuditFilters:
    """The audit page's query: a bad day or an unknown place answers 400 naming it."""
    place = None
    if request.GET.get("place"):
        try:
            place = Place.objects.get(pk=request.GET["place"])
        except (Place.DoesNotExist, ValidationError, ValueError) as exc:
            raise ValidationError({"place": _("Unknown place.")}) from exc
    return selectors.AuditFilters(
        model=request.GET.get("kind", "") or request.GET.get("model", ""),
        object_id=request.GET.get("object", ""),
        who=request.GET.get("who", "").strip(),
        place=place,
        since=parse_day(request.GET["since"], field="since") if request.GET.get("since") else None,
        until=parse_day(request.GET["until"], field="until") if request.GET.get("until") else None,
    )
