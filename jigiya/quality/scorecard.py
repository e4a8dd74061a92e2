"""The NGO's transparency and accountability scorecard, version 1.

Migration 0002 ships it on every install (its own frozen copy of this table); `ensure` makes
it again where a database was emptied without migrating (a test that flushes its tables, a
restored backup of another app's data)."""

from typing import Any

from jigiya.quality.instruments import CriterionSpec, DomainSpec, instrument_create
from jigiya.quality.models import Instrument, InstrumentVersion

CODE = "transparency-accountability"
NAME = "Transparence et redevabilité"
DOMAINS = [
    DomainSpec(
        "Gouvernance de l'ASACO",
        [
            CriterionSpec(
                "assembly_12m",
                "Assemblée générale tenue dans les 12 derniers mois",
                "yes_no",
                3,
                "assembly_12m",
            ),
            CriterionSpec(
                "board_term",
                "Bureau renouvelé à temps (mandat en cours)",
                "yes_no",
                2,
                "board_term",
            ),
            CriterionSpec("board_women", "Part des femmes au bureau", "percent", 1, "board_women"),
        ],
    ),
    DomainSpec(
        "Transparence",
        [
            CriterionSpec(
                "accounts_presented", "Comptes présentés à la communauté", "zero_three", 3
            ),
            CriterionSpec(
                "prices_displayed", "Tarifs des soins et médicaments affichés", "zero_three", 2
            ),
        ],
    ),
    DomainSpec(
        "Redevabilité",
        [
            CriterionSpec(
                "complaints_channel", "Canal de plaintes en place et suivi", "zero_three", 2
            ),
            CriterionSpec(
                "community_feedback",
                "Avis de la communauté discutés par le bureau",
                "zero_three",
                1,
            ),
        ],
    ),
]


def ensure(*, actor: Any) -> InstrumentVersion:
    """The scorecard's latest version, created (version 1) when missing."""
    instrument = Instrument.objects.filter(code=CODE).first()
    if instrument is not None:
        return instrument.versions.order_by("-number").first()  # type: ignore[return-value]
    return instrument_create(actor=actor, code=CODE, name=NAME, domains=DOMAINS)
