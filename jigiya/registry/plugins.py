"""How the programs above the registry plug into it, without the registry importing them
(STYLE 14: a lower app learns of a higher one by registration). A program registers, in its
`AppConfig.ready()`:

- **panels** of the household page and the person page (`household_panel`, `person_panel`):
  a function `(user, household | person) -> Panel | None` saying what the program shows there;
- **person hooks** (`person_hooks`): its checks and consequences when a person's details are
  corrected or the person is deactivated, run inside the registry service's transaction;
- **routes** (`routes`): its pages under the registry's URLs and names (`registry:…`), for
  pages of the person or household that were the registry's before the program took them;
- **household API fields** (`household_api_fields`): what it adds to
  `GET /registry/households/{id}`.

Registrations are made once, at start-up; nothing here is per request.
"""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import URLPattern
from django.utils.safestring import SafeString, mark_safe

from jigiya.accounts.access import Actor
from jigiya.registry.models import Household, Person

if TYPE_CHECKING:
    import datetime


@dataclass(frozen=True)
class Panel:
    """What one program shows on a registry page. Each template given is rendered with
    `context` at its place on the page: `facts` (`<dt>`/`<dd>` pairs in the page's facts),
    `actions` (buttons, shown only to who may record there, while the person is active),
    `body` (sections below the registry's own). On the household page, `badges` adds badges
    to members' cards (member id → things shown with `str`)."""

    context: dict[str, Any] = field(default_factory=dict)
    facts: str = ""
    actions: str = ""
    body: str = ""
    badges: Mapping[uuid.UUID, list[Any]] = field(default_factory=dict)


HouseholdPanel = Callable[[Actor, Household], "Panel | None"]
PersonPanel = Callable[[Actor, Person], "Panel | None"]


@dataclass(frozen=True)
class Correction:
    """A person's details as a correction would leave them, and the fields it changes."""

    sex: str
    birth_date: "datetime.date | None"
    changed: frozenset[str]


class Deactivation(Protocol):
    def __call__(
        self, *, actor: Actor, person: Person, day: "datetime.date", reason: str
    ) -> None: ...


@dataclass(frozen=True)
class PersonHooks:
    """A program's part in the registry's person services (both optional).

    `check_correction(person, correction)` refuses a correction that contradicts the
    program's records (a `ValidationError` naming the field) and may return a function the
    registry calls once the person is saved (to recompute what depended on the old details).
    `deactivate(actor=, person=, day=, reason=)` ends the program's follow-up of a person who
    moved, died or left (or refuses, e.g. a day before the start of a follow-up)."""

    check_correction: Callable[[Person, Correction], Callable[[], None] | None] | None = None
    deactivate: Deactivation | None = None


_household_panels: list[HouseholdPanel] = []
_person_panels: list[PersonPanel] = []
_person_hooks: list[PersonHooks] = []
_routes: list[URLPattern] = []
_household_api_fields: list[Callable[[Actor, Household], dict[str, Any]]] = []


def household_panel(panel: HouseholdPanel) -> HouseholdPanel:
    """Register what a program shows on the household page (usable as a decorator)."""
    _household_panels.append(panel)
    return panel


def person_panel(panel: PersonPanel) -> PersonPanel:
    """Register what a program shows on the person page (usable as a decorator)."""
    _person_panels.append(panel)
    return panel


def person_hooks(hooks: PersonHooks) -> None:
    _person_hooks.append(hooks)


def routes(patterns: list[URLPattern]) -> None:
    """Pages a program serves under `registry/` with names in the `registry` namespace."""
    _routes.extend(patterns)


def household_api_fields(fields: Callable[[Actor, Household], dict[str, Any]]) -> None:
    _household_api_fields.append(fields)


def registered_routes() -> list[URLPattern]:
    return list(_routes)


def household_panels(user: Actor, household: Household) -> list[Panel]:
    return [p for panel in _household_panels if (p := panel(user, household)) is not None]


def person_panels(user: Actor, person: Person) -> list[Panel]:
    return [p for panel in _person_panels if (p := panel(user, person)) is not None]


def render_panels(request: HttpRequest, panels: list[Panel]) -> dict[str, SafeString]:
    """Each place of the page (facts, actions, body) with every panel's template for it."""
    rendered = {}
    for place in ("facts", "actions", "body"):
        parts = [
            render_to_string(getattr(panel, place), panel.context, request)
            for panel in panels
            if getattr(panel, place)
        ]
        rendered[place] = mark_safe("".join(parts))  # noqa: S308 - rendered templates
    return rendered


def correction_checked(person: Person, correction: Correction) -> list[Callable[[], None]]:
    """Every program's check of a correction; what each asks to run after the save."""
    after = []
    for hooks in _person_hooks:
        if hooks.check_correction is not None:
            finish = hooks.check_correction(person, correction)
            if finish is not None:
                after.append(finish)
    return after


def deactivated(*, actor: Actor, person: Person, day: "datetime.date", reason: str) -> None:
    """Every program ends its follow-up of the person (inside the caller's transaction)."""
    for hooks in _person_hooks:
        if hooks.deactivate is not None:
            hooks.deactivate(actor=actor, person=person, day=day, reason=reason)


def household_api_extra(user: Actor, household: Household) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for fields in _household_api_fields:
        extra.update(fields(user, household))
    return extra
