import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jigiya.core.appendonly import AppendOnlyModel


class BaseModel(models.Model):
    """What every Jigiya table carries: a UUID key (a device can make it), who made it and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DEACTIVATE = "deactivate", _("deactivated")
    DELETE = "delete", _("deleted")
    # A fact recorded for later comparison, e.g. a savings group's ledger chain head each day.
    CHECKPOINT = "checkpoint", _("recorded")


class AuditEntry(AppendOnlyModel):
    """One change to a health, money or governance record: who, when, what, before and after.

    Append-only: written by `core.audit.audit_record`, never updated or deleted.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    model = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record"), max_length=64)
    object_repr = models.CharField(_("description"), max_length=200)
    # {"field": [before, after]}, values as JSON-ready text or numbers.
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"


def made_at_field() -> models.DateTimeField:
    """When a record was made on the phone that sent it (null when typed straight into the
    server or sent by a client that does not say): kept beside `created_at`, the time it was
    received, so a visit typed offline on Monday and sent on Wednesday is dated Monday's hour."""
    return models.DateTimeField(_("made on the phone at"), null=True, blank=True, editable=False)
