"""The programs Jigiya runs. Fundings (`donors`) and indicators (`indicators.catalog`) name them,
so the list lives below both."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Program(models.TextChoices):
    HEALTH = "health", _("Community health")
    SAVINGS = "savings", _("Health savings groups")
    COOPERATIVES = "cooperatives", _("Cooperatives")
    QUALITY = "quality", _("Health-center quality and governance")
