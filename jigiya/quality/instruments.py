"""Scorecard instruments and their versions.

A version that no assessment uses yet is changed in place. Changing a criterion of a version in
use makes the next version (a copy of every domain and criterion, with the change), so past
assessments keep the criteria they were scored on. Only the latest version of an instrument can
be changed: editing a past version is refused."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, has_perm_everywhere
from jigiya.accounts.roles import Perm
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.quality.models import (
    Criterion,
    Domain,
    Instrument,
    InstrumentVersion,
    Prefill,
    Scale,
)


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    text: str
    scale: str
    weight: int
    prefill: str = ""


@dataclass(frozen=True)
class DomainSpec:
    name: str
    criteria: list[CriterionSpec] = field(default_factory=list)


def _require_configure(actor: Actor) -> None:
    """Instruments are national: configured by who records quality work in the whole country."""
    if not has_perm_everywhere(actor, Perm.QUALITY_RECORD):
        raise PermissionDenied


def _check_criterion(spec: CriterionSpec) -> None:
    if spec.scale not in Scale.values:
        raise ValidationError(
            {
                "scale": _("“%(scale)s” is not a scale: use one of %(scales)s.")
                % {"scale": spec.scale, "scales": ", ".join(Scale.values)}
            }
        )
    if not 1 <= spec.weight <= 100:
        raise ValidationError(
            {"weight": _("The weight %(weight)s is outside 1 to 100.") % {"weight": spec.weight}}
        )
    if spec.prefill not in Prefill.values:
        raise ValidationError({"prefill": _("Unknown source of pre-filled answers.")})


@transaction.atomic
def instrument_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    domains: list[DomainSpec],
    valid_from: datetime.date | None = None,
) -> InstrumentVersion:
    """A new instrument and its version 1 with these domains and criteria (keys unique)."""
    _require_configure(actor)
    keys = [c.key for d in domains for c in d.criteria]
    if len(set(keys)) != len(keys) or not keys:
        raise ValidationError({"domains": _("Give at least one criterion, each key once.")})
    for spec in (c for d in domains for c in d.criteria):
        _check_criterion(spec)
    instrument = create_audited(
        Instrument(code=code, name=name, created_by=acting_user(actor)), actor=actor
    )
    version = create_audited(
        InstrumentVersion(
            instrument=instrument,
            number=1,
            valid_from=valid_from or timezone.localdate(),
            created_by=acting_user(actor),
        ),
        actor=actor,
    )
    position = 0
    for index, spec_domain in enumerate(domains):
        domain = create_audited(
            Domain(version=version, name=spec_domain.name, position=index), actor=actor
        )
        for spec in spec_domain.criteria:
            position += 1
            create_audited(
                Criterion(
                    version=version,
                    domain=domain,
                    key=spec.key,
                    text=spec.text,
                    scale=spec.scale,
                    weight=spec.weight,
                    prefill=spec.prefill,
                    position=position,
                ),
                actor=actor,
            )
    return version


def latest_version(instrument: Instrument) -> InstrumentVersion:
    return instrument.versions.order_by("-number").first()  # type: ignore[return-value]


def _copy(version: InstrumentVersion, actor: Actor) -> InstrumentVersion:
    """The next version of `version`'s instrument: the same domains and criteria."""
    copy = create_audited(
        InstrumentVersion(
            instrument=version.instrument,
            number=version.number + 1,
            valid_from=timezone.localdate(),
            created_by=acting_user(actor),
        ),
        actor=actor,
    )
    for domain in version.domains.prefetch_related("criteria"):
        new_domain = create_audited(
            Domain(version=copy, name=domain.name, position=domain.position), actor=actor
        )
        for criterion in domain.criteria.all():
            create_audited(
                Criterion(
                    version=copy,
                    domain=new_domain,
                    key=criterion.key,
                    text=criterion.text,
                    scale=criterion.scale,
                    weight=criterion.weight,
                    prefill=criterion.prefill,
                    position=criterion.position,
                ),
                actor=actor,
            )
    return copy


@transaction.atomic
def criterion_change(
    *, actor: Actor, criterion: Criterion, text: str, scale: str, weight: int
) -> Criterion:
    """Change a criterion's text, scale or weight. Returns the criterion as changed: the same
    row when its version is not used yet, else its copy in a new version (past assessments keep
    theirs). A criterion of a past version is refused."""
    _require_configure(actor)
    version = InstrumentVersion.objects.select_for_update().get(pk=criterion.version_id)
    current = latest_version(version.instrument)
    if current.pk != version.pk:
        raise ValidationError(
            {
                "version": _(
                    "Version %(number)s of %(instrument)s is a past version and cannot be "
                    "changed; change the current version (%(current)s)."
                )
                % {
                    "number": version.number,
                    "instrument": version.instrument,
                    "current": current.number,
                }
            }
        )
    _check_criterion(CriterionSpec(criterion.key, text, scale, weight, criterion.prefill))
    if version.assessments.exists():
        version = _copy(version, actor)
        criterion = version.criteria.get(key=criterion.key)
    before = audit_snapshot(criterion)
    criterion.text, criterion.scale, criterion.weight = text.strip(), scale, weight
    criterion.full_clean()
    criterion.save(update_fields=["text", "scale", "weight", "updated_at"])
    audit_record(actor=actor, obj=criterion, before=before)
    return criterion
