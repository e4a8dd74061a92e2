"""The demo world's quality story, retold from the seed.

- Sotuba rises from the bottom of the transparency and accountability ranking (December 2022) to
  the top (December 2024 and 2025); its patients are satisfied above 95 %; it reports women
  coming back to deliver, 100 % in some months; its QI team takes over from the coach (coach-led
  2019, co-led 2022, team-led 2023, handed over 2025).
- Yirimadio starts first and slides to the bottom; Banconi stays in the middle, with waiting
  time flagged by its patients; Wayerma climbs steadily and is team-led; Banconi's last
  assessment is incomplete (not ranked).

The scorecard itself is shipped by a migration (every install ranks on it, not only the demo);
`scorecard.ensure` makes it again in a database emptied without migrating.
Idempotent: each part is created only when missing."""

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from jigiya.core.periods import Month
from jigiya.places.models import HealthCenter
from jigiya.quality import scorecard, selectors, services
from jigiya.quality.models import ITEM_KEYS, Assessment, ExitInterview, ReportedReturn

D = datetime.date
# Values in the scorecard's order: assembly held (yes/no), board in term (yes/no), women on the
# board (%), accounts presented, prices displayed, complaints channel, community feedback (0-3).
ROUNDS = [D(2022, 12, 6), D(2023, 12, 5), D(2024, 12, 3), D(2025, 12, 2)]
SCORES = {
    "CSCOM-SOT": [
        (1, 1, 40, 0, 0, 0, 0),
        (1, 1, 40, 1, 2, 1, 1),
        (1, 1, 40, 2, 2, 2, 1),
        (1, 0, 40, 3, 3, 3, 3),
    ],
    "CSCOM-YIR": [
        (1, 1, 20, 2, 2, 2, 1),
        (1, 1, 20, 2, 2, 1, 1),
        (1, 1, 20, 1, 2, 1, 1),
        (1, 1, 20, 1, 1, 1, 1),
    ],
    "CSCOM-BAN": [
        (1, 0, 30, 2, 2, 1, 1),
        (1, 0, 30, 2, 2, 1, 1),
        (1, 1, 30, 2, 2, 1, 1),
        (1, 1, 30, 2, 2, 1, 1),
    ],
    "CSCOM-WAY": [
        (1, 0, 10, 1, 2, 1, 1),
        (1, 1, 10, 1, 2, 1, 1),
        (1, 1, 20, 2, 2, 1, 1),
        (1, 1, 30, 2, 2, 2, 1),
    ],
}
ASSESSORS = "Seydou Traoré (coach QI), Hawa Konaté (ASACO), Mariam Sangaré"
# Share of exit interviews satisfied overall, and the item most often complained about.
SATISFACTION = {
    "CSCOM-SOT": (0.97, ""),
    "CSCOM-BAN": (0.82, "waiting_time"),
    "CSCOM-YIR": (0.78, "medicines"),
    "CSCOM-WAY": (0.88, "cost"),
}
TEAM = [
    ("Dr Oumar Sanogo", "lead"),
    ("Aïssata Koné", "data"),
    ("Fanta Diakité", "member"),
    ("Bakary Coulibaly", "member"),
    ("Hawa Konaté", "asaco"),
]
# (center, [(stage, date, criteria met)])
HANDOVER: dict[str, list[tuple[str, datetime.date, list[str]]]] = {
    "CSCOM-SOT": [
        ("coach_led", D(2019, 6, 1), []),
        ("co_led", D(2022, 3, 1), ["team_formed", "first_pdsa"]),
        ("team_led", D(2023, 9, 1), ["team_chairs", "reads_charts"]),
        ("handed_over", D(2025, 2, 1), ["six_months_alone", "asaco_endorsed"]),
    ],
    "CSCOM-BAN": [
        ("coach_led", D(2021, 1, 15), []),
        ("co_led", D(2024, 4, 1), ["team_formed", "first_pdsa"]),
    ],
    "CSCOM-YIR": [("coach_led", D(2022, 5, 1), [])],
    "CSCOM-WAY": [
        ("coach_led", D(2020, 2, 1), []),
        ("co_led", D(2023, 1, 10), ["team_formed", "first_pdsa"]),
        ("team_led", D(2025, 6, 2), ["team_chairs", "reads_charts"]),
    ],
}


def _last_months(count: int) -> list[datetime.date]:
    """The `count` months before this one (a demo loaded any day has them in the past)."""
    this = Month.current()
    return [this.shift(-n).first_day for n in range(count, 0, -1)]


def _assessments(admin: Any, centers: dict[str, HealthCenter]) -> None:
    version = scorecard.ensure(actor=admin)
    if Assessment.objects.filter(version=version, party="assessors").exists():
        return
    criteria = selectors.version_criteria(version)
    for code, rounds in SCORES.items():
        for day, values in zip(ROUNDS, rounds, strict=True):
            services.assessment_record(
                actor=admin,
                health_center=centers[code],
                version=version,
                assessed_on=day,
                assessors=ASSESSORS,
                answers=[
                    services.AnswerLine(c.pk, v, "Constaté lors de la visite.")
                    for c, v in zip(criteria, values, strict=True)
                ],
            )
    services.assessment_record(
        actor=admin,
        health_center=centers["CSCOM-BAN"],
        version=version,
        assessed_on=_last_months(1)[0] + datetime.timedelta(days=9),
        assessors=ASSESSORS,
        answers=[services.AnswerLine(c.pk, 1, "Vu.") for c in criteria[:2]],
    )


def _interviews(admin: Any, centers: dict[str, HealthCenter]) -> None:
    if ExitInterview.objects.exists():
        return
    pick = random.Random(13)  # noqa: S311 - demo data, not security
    for code, (share, weak) in SATISFACTION.items():
        for month in _last_months(12):
            for n in range(20):
                happy = pick.random() < share or (code == "CSCOM-SOT" and n < 19)
                answers = dict.fromkeys(ITEM_KEYS, "satisfied" if happy else "partly")
                if weak and pick.random() < 0.12:
                    answers[weak] = "dissatisfied"
                if n % 7 == 3:
                    answers["medicines"] = "na" if weak != "medicines" else answers["medicines"]
                services.exit_interview_record(
                    actor=admin,
                    health_center=centers[code],
                    interviewed_on=month + datetime.timedelta(days=n),
                    answers=answers,
                )


def _returns(admin: Any, centers: dict[str, HealthCenter]) -> None:
    if ReportedReturn.objects.exists():
        return
    pick = random.Random(5)  # noqa: S311 - demo data
    for index, month in enumerate(_last_months(18)):
        followed = 9 + index % 4
        services.reported_return_record(
            actor=admin,
            health_center=centers["CSCOM-SOT"],
            month=month,
            returned=followed if index % 3 != 1 else followed - 1,
            followed=followed,
        )
        services.reported_return_record(
            actor=admin,
            health_center=centers["CSCOM-WAY"],
            month=month,
            returned=6 + pick.randrange(4),
            followed=11,
        )


def _sotuba_qi(admin: Any, center: HealthCenter) -> None:
    if center.qi_team.exists():
        return
    for name, role in TEAM:
        services.team_member_add(
            actor=admin, health_center=center, full_name=name, role=role, since=D(2019, 6, 1)
        )
    from jigiya.accounts.models import User

    coach = User.objects.filter(username="coach").first()
    if coach is not None:
        services.coach_assign(actor=admin, health_center=center, coach=coach, since=D(2019, 6, 1))
    for month in (Month(2022, 1).shift(n * 2).first_day for n in range(24)):
        if month >= Month.current().first_day:
            break
        services.coaching_session_record(
            actor=admin,
            health_center=center,
            held_on=month + datetime.timedelta(days=9),
            topics="Revue des graphiques de suivi; accueil des femmes enceintes",
            attendance=6,
            notes="Équipe au complet.",
            next_steps="Poursuivre le cycle PDSA en cours.",
        )
    _sotuba_project(admin, center)


def _sotuba_project(admin: Any, center: HealthCenter) -> None:
    project = services.project_create(
        actor=admin,
        health_center=center,
        title="Revenir accoucher au CSCom",
        aim="Que 95 % des femmes suivies en CPN au CSCom y reviennent accoucher d'ici fin 2025.",
        started_on=D(2022, 3, 1),
        measures=[
            ("outcome", "quality.return_to_deliver_reported"),
            ("outcome", "health.return_to_deliver"),
            ("balancing", "quality.satisfaction"),
        ],
        change_ideas="Rappel des relais à 36 semaines; salle d'attente des accompagnantes.",
    )
    for day, plan, act in (
        (D(2022, 4, 1), "Appel des relais à 36 semaines pour 10 femmes.", "adapt"),
        (D(2022, 9, 1), "Appel et visite à domicile à 36 semaines.", "adopt"),
        (D(2023, 5, 1), "Accueil des accompagnantes dans une salle dédiée.", "adopt"),
    ):
        services.pdsa_record(
            actor=admin,
            project=project,
            started_on=day,
            plan=plan,
            prediction="Plus de femmes reviendront accoucher au CSCom.",
            happened="Les femmes appelées sont venues.",
            study="Hausse nette du retour.",
            act=act,
        )
    for day, score in (
        (D(2022, 6, 1), "1.5"),
        (D(2023, 1, 1), "2.5"),
        (D(2023, 12, 1), "3.5"),
        (D(2024, 12, 1), "4.5"),
    ):
        services.progress_score_record(actor=admin, project=project, scored_on=day, score=score)


def _handover(admin: Any, centers: dict[str, HealthCenter]) -> None:
    for code, steps in HANDOVER.items():
        if centers[code].handover.exists():
            continue
        for stage, day, met in steps:
            services.handover_advance(
                actor=admin,
                health_center=centers[code],
                stage=stage,
                reached_on=day,
                criteria_met=met,
            )


@transaction.atomic
def load(*, admin: Any) -> None:
    """Add the quality story to the demo world's health centers (idempotent)."""
    centers = {
        c.code: c for c in HealthCenter.objects.filter(code__in=SCORES).select_related("place")
    }
    if len(centers) < len(SCORES) or timezone.localdate() < D(2026, 1, 1):
        return  # the places demo did not run, or a clock before the story's end
    _assessments(admin, centers)
    _interviews(admin, centers)
    _returns(admin, centers)
    _sotuba_qi(admin, centers["CSCOM-SOT"])
    _handover(admin, centers)
    _sotuba_round(admin, centers["CSCOM-SOT"])


ROUND_DAY = D(2025, 3, 8)
ACTIONS = [
    ("Afficher les tarifs à l'entrée et en bambara", "Chef de poste", D(2025, 4, 30), "done"),
    ("Ouvrir une boîte à plaintes relevée chaque mois", "ASACO", D(2025, 5, 31), "done"),
    ("Réduire l'attente du matin (deux guichets)", "Équipe QI", D(2025, 9, 30), "in_progress"),
]


def _sotuba_round(admin: Any, center: HealthCenter) -> None:
    """A community score card round: the community and the providers score apart, then agree
    an action plan followed since."""
    if center.action_items.exists():
        return
    version = scorecard.ensure(actor=admin)
    criteria = selectors.version_criteria(version)
    for party, who, values in (
        ("community", "Comité de santé du quartier", (1, 1, 40, 2, 1, 1, 2)),
        ("providers", "Personnel du CSCom", (1, 1, 40, 3, 2, 2, 2)),
    ):
        services.assessment_record(
            actor=admin, health_center=center, version=version, assessed_on=ROUND_DAY,
            assessors=who, party=party,
            answers=[services.AnswerLine(c.pk, v) for c, v in zip(criteria, values, strict=True)],
        )  # fmt: skip
    for text, owner, due, status in ACTIONS:
        item = services.action_item_add(
            actor=admin, health_center=center, agreed_on=ROUND_DAY, text=text, owner=owner,
            due_on=due,
        )  # fmt: skip
        services.action_item_status(actor=admin, item=item, status=status)
