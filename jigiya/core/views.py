"""The one shape every form page has: parse, call one service, redirect or show the errors."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jigiya.core.errors import Conflict, add_to_form


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    save: Callable[[dict[str, Any]], Any],
    template: str,
    context: dict[str, Any] | None = None,
    done: Callable[[Any], str],
    message: str = "",
) -> HttpResponse:
    """On a valid POST, `save(cleaned_data)` (a service call) and redirect to `done(result)`;
    otherwise show the form, with the service's field errors if it refused (status 400), or
    its message when the same id was already sent with other content (status 409)."""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            add_to_form(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            if message:
                messages.success(request, message)
            return redirect(done(result))
    if form.errors and status == 200:
        status = 400
    return render(request, template, {"form": form, **(context or {})}, status=status)
