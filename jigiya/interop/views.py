import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jigiya.accounts.access import has_perm_anywhere, require_perm_anywhere, scope_q
from jigiya.accounts.roles import Perm
from jigiya.core.errors import Conflict, add_to_form
from jigiya.core.periods import Month
from jigiya.core.views import form_page
from jigiya.interop import adx, forms, selectors, services
from jigiya.interop.models import DataElementMapping, OrgUnitMapping, PushStatus
from jigiya.places.models import HealthCenter, Place


@login_required
def server_list(request: HttpRequest) -> HttpResponse:
    servers = list(selectors.server_list(user=request.user))
    context = {
        "servers": [(server, selectors.may_manage(request.user, server)) for server in servers],
        "can_create": has_perm_anywhere(request.user, Perm.DHIS2_PUSH),
    }
    return render(request, "interop/server_list.html", context)


@login_required
def server_create(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.DHIS2_PUSH)
    places = Place.objects.filter(scope_q(request.user, Perm.DHIS2_PUSH), is_active=True)
    return form_page(
        request,
        forms.ServerForm(request.POST or None, places=places, initial={"timeout": 30}),
        save=lambda data: services.server_create(actor=request.user, **data),
        template="interop/form.html",
        context={"title": _("New DHIS2 server")},
        done=lambda server: server.get_absolute_url(),
        message=_("DHIS2 server saved."),
    )


@login_required
def server_detail(request: HttpRequest, dhis2_server_id: str) -> HttpResponse:
    server = selectors.server_get(user=request.user, server_id=dhis2_server_id)
    can_manage = selectors.may_manage(request.user, server)
    elements, org_units = selectors.mappings(server=server) if can_manage else ([], [])
    context = {
        "server": server,
        "can_manage": can_manage,
        "elements": elements,
        "org_units": org_units,
        "pushes": selectors.last_pushes(server=server) if can_manage else [],
        "period": Month.current().previous(),
    }
    return render(request, "interop/server_detail.html", context)


@login_required
def server_edit(request: HttpRequest, dhis2_server_id: str) -> HttpResponse:
    server = selectors.server_get(user=request.user, server_id=dhis2_server_id, manage=True)
    initial = {
        field: getattr(server, field)
        for field in (
            "name",
            "base_url",
            "username",
            "id_scheme",
            "data_set",
            "attribute_option_combo",
            "timeout",
            "is_active",
        )
    }
    return form_page(
        request,
        forms.ServerForm(request.POST or None, initial=initial),
        save=lambda data: services.server_update(actor=request.user, server=server, **data),
        template="interop/form.html",
        context={"title": _("Change %(server)s") % {"server": server}},
        done=lambda server: server.get_absolute_url(),
        message=_("Changes saved."),
    )


@login_required
def data_element_add(request: HttpRequest, dhis2_server_id: str) -> HttpResponse:
    server = selectors.server_get(user=request.user, server_id=dhis2_server_id, manage=True)
    return form_page(
        request,
        forms.DataElementForm(request.POST or None),
        save=lambda data: services.data_element_mapping_save(
            actor=request.user, server=server, **data
        ),
        template="interop/form.html",
        context={"title": _("Map an indicator on %(server)s") % {"server": server}},
        done=lambda _mapping: server.get_absolute_url(),
        message=_("Mapping saved."),
    )


@login_required
def org_unit_add(request: HttpRequest, dhis2_server_id: str) -> HttpResponse:
    server = selectors.server_get(user=request.user, server_id=dhis2_server_id, manage=True)
    form = forms.OrgUnitForm(
        request.POST or None,
        places=selectors.places_for_mapping(user=request.user, server=server),
        health_centers=HealthCenter.objects.filter(place__path__startswith=server.place.path),
    )
    return form_page(
        request,
        form,
        save=lambda data: services.org_unit_mapping_save(actor=request.user, server=server, **data),
        template="interop/form.html",
        context={"title": _("Map a place on %(server)s") % {"server": server}},
        done=lambda _mapping: server.get_absolute_url(),
        message=_("Mapping saved."),
    )


def _delete_page(
    request: HttpRequest, mapping: DataElementMapping | OrgUnitMapping
) -> HttpResponse:
    server = mapping.server
    return form_page(
        request,
        forms.ConfirmForm(request.POST or None),
        save=lambda _data: services.mapping_delete(actor=request.user, mapping=mapping),
        template="interop/form.html",
        context={
            "title": _("Remove the mapping %(mapping)s?") % {"mapping": mapping},
            "submit": _("Remove"),
        },
        done=lambda _result: server.get_absolute_url(),
        message=_("Mapping removed."),
    )


@login_required
def data_element_delete(request: HttpRequest, dhis2_element_id: str) -> HttpResponse:
    mapping = selectors.data_element_mapping_get(user=request.user, mapping_id=dhis2_element_id)
    return _delete_page(request, mapping)


@login_required
def org_unit_delete(request: HttpRequest, dhis2_org_unit_id: str) -> HttpResponse:
    mapping = selectors.org_unit_mapping_get(user=request.user, mapping_id=dhis2_org_unit_id)
    return _delete_page(request, mapping)


def _period_form(request: HttpRequest) -> tuple[forms.PeriodForm, Month | None]:
    default = str(Month.current().previous())
    form = forms.PeriodForm(request.GET or {"period": default})
    month = None
    if form.is_valid():
        try:
            month = selectors.parse_period(form.cleaned_data["period"])
        except ValidationError as exc:
            add_to_form(form, exc)
    return form, month


@login_required
@require_http_methods(["GET"])
def preview(request: HttpRequest, dhis2_server_id: str) -> HttpResponse:
    server = selectors.server_get(user=request.user, server_id=dhis2_server_id)
    form, month = _period_form(request)
    built = (
        selectors.payload_build(user=request.user, server=server, month=month) if month else None
    )
    context = {
        "server": server,
        "form": form,
        "month": month,
        "rows": list(zip(built.data_values, built.sources, strict=True)) if built else [],
        "payload": json.dumps(built.payload, indent=2, ensure_ascii=False) if built else "",
        "can_manage": selectors.may_manage(request.user, server),
    }
    return render(request, "interop/preview.html", context, status=200 if month else 400)


@login_required
@require_http_methods(["GET"])
def adx_download(request: HttpRequest, dhis2_server_id: str) -> HttpResponse:
    server = selectors.server_get(user=request.user, server_id=dhis2_server_id)
    form, month = _period_form(request)
    if month is not None:
        built = selectors.payload_build(user=request.user, server=server, month=month)
        try:
            document = adx.adx_document(built, month=month)
        except ValidationError as exc:
            add_to_form(form, exc)
        else:
            response = HttpResponse(document, content_type="application/adx+xml; charset=utf-8")
            filename = adx.adx_filename(server.name, month)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
    context = {"server": server, "form": form, "month": month, "rows": [], "payload": ""}
    return render(request, "interop/preview.html", context, status=400)


@login_required
def push(request: HttpRequest, dhis2_server_id: str) -> HttpResponse:
    server = selectors.server_get(user=request.user, server_id=dhis2_server_id, manage=True)
    default = request.GET.get("period") or str(Month.current().previous())
    form = forms.PushForm(request.POST or None, initial={"period": default})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            month = Month.parse(form.cleaned_data["period"])
            attempt = services.dhis2_push(
                actor=request.user,
                server=server,
                month=month,
                dry_run=form.cleaned_data["dry_run"],
            )
        except ValidationError as exc:
            add_to_form(form, exc)
            status = 400
        except Conflict as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            _tell(request, attempt)
            return redirect(attempt.get_absolute_url())
    elif request.method == "POST":
        status = 400
    context = {"server": server, "title": _("Send to %(server)s") % {"server": server}}
    context["submit"] = _("Send")
    return render(request, "interop/push_form.html", {"form": form, **context}, status=status)


def _tell(request: HttpRequest, attempt: Any) -> None:
    if attempt.status == PushStatus.SENT:
        messages.success(request, _("DHIS2 accepted every value."))
    elif attempt.status == PushStatus.CHECKED:
        messages.success(request, _("Dry run: DHIS2 would accept every value."))
    elif attempt.status == PushStatus.PARTIAL:
        messages.warning(request, attempt.message)
    else:
        messages.error(request, attempt.message)


@login_required
def push_detail(request: HttpRequest, dhis2_push_id: str) -> HttpResponse:
    attempt = selectors.push_get(user=request.user, push_id=dhis2_push_id)
    context = {
        "push": attempt,
        "server": attempt.server,
        "conflicts": selectors.conflicts_of(attempt),
        "rows": list(zip(attempt.payload.get("dataValues", []), attempt.sources, strict=False)),
        "period": Month.parse(attempt.period),
    }
    return render(request, "interop/push_detail.html", context)


@login_required
def history(request: HttpRequest, dhis2_server_id: str) -> HttpResponse:
    server = selectors.server_get(user=request.user, server_id=dhis2_server_id, manage=True)
    pushes = selectors.push_list(user=request.user, server=server)[:200]
    return render(request, "interop/history.html", {"server": server, "pushes": pushes})
