import datetime
import uuid

import pytest
from django.utils import translation

from jigiya.core.errors import Conflict
from jigiya.core.tests.refusals import refused_unchanged
from jigiya.quality import selectors, services
from jigiya.quality.models import ITEM_KEYS, ExitInterview, ReportedReturn

D = datetime.date


def _answers(**changes):
    return {**dict.fromkeys(ITEM_KEYS, "satisfied"), **changes}


def _interviews():
    return ExitInterview.objects.count()


def test_satisfaction_rate_is_top_box_and_items_above_5_percent_negative_are_flagged(cast, coach):
    # 20 respondents in May: 19 satisfied overall, 1 partly; waiting time: 2 not satisfied
    # (10 %, flagged); medicines: 1 not satisfied of 19 answered (5.3 %, flagged); cost: 1 of
    # 20 (5 %, not flagged).
    for n in range(20):
        services.exit_interview_record(
            actor=coach,
            health_center=cast.center_a,
            interviewed_on=D(2025, 5, 1 + n),
            answers=_answers(
                overall="partly" if n == 0 else "satisfied",
                waiting_time="dissatisfied" if n < 2 else "satisfied",
                medicines="na" if n == 5 else "dissatisfied" if n == 6 else "satisfied",
                cost="dissatisfied" if n == 7 else "partly",
            ),
        )
    may, june = selectors.satisfaction(cast.center_a, [D(2025, 5, 1), D(2025, 6, 1)])
    assert (may.satisfied, may.interviews, may.rate) == (19, 20, 95.0)
    rates = {item.key: (item.negative, item.answered, item.rate) for item in may.items}
    assert rates["waiting_time"] == (2, 20, 10.0)
    assert rates["medicines"] == (1, 19, 5.3)
    assert rates["cost"] == (1, 20, 5.0)
    assert [item.key for item in may.flagged] == ["waiting_time", "medicines"]
    assert (june.interviews, june.rate) == (0, None)


def test_an_answer_not_among_the_choices_is_refused(cast, coach):
    with translation.override("en"):
        errors = refused_unchanged(
            _interviews,
            services.exit_interview_record,
            actor=coach,
            health_center=cast.center_a,
            interviewed_on=D(2025, 5, 2),
            answers=_answers(waiting_time="excellent"),
        )
    assert errors == {
        "waiting_time": [
            "“excellent” is not one of the choices for Waiting time: Satisfied, Partly "
            "satisfied, Not satisfied, Does not apply."
        ]
    }


def test_overall_cannot_be_does_not_apply_and_every_item_is_answered(cast, coach):
    with translation.override("en"):
        errors = refused_unchanged(
            _interviews,
            services.exit_interview_record,
            actor=coach,
            health_center=cast.center_a,
            interviewed_on=D(2025, 5, 2),
            answers=_answers(overall="na"),
        )
        assert errors == {
            "overall": [
                "“na” is not one of the choices for Overall: Satisfied, Partly satisfied, "
                "Not satisfied."
            ]
        }
        missing = _answers()
        del missing["privacy"]
        errors = refused_unchanged(
            _interviews,
            services.exit_interview_record,
            actor=coach,
            health_center=cast.center_a,
            interviewed_on=D(2025, 5, 2),
            answers=missing,
        )
    assert errors == {"privacy": ["Privacy needs an answer."]}


def test_an_interview_sent_twice_is_kept_once(cast, coach):
    sent = uuid.uuid4()
    kwargs = {
        "actor": coach,
        "health_center": cast.center_a,
        "interviewed_on": D(2025, 5, 2),
        "answers": _answers(),
        "id": sent,
    }
    services.exit_interview_record(**kwargs)
    services.exit_interview_record(**kwargs)
    assert ExitInterview.objects.count() == 1
    with pytest.raises(Conflict):
        services.exit_interview_record(**{**kwargs, "answers": _answers(cost="partly")})


def test_reported_return_to_deliver_keeps_numerator_and_denominator_beside_its_source(cast, coach):
    services.reported_return_record(
        actor=coach, health_center=cast.center_a, month=D(2025, 4, 17), returned=12, followed=12
    )
    figures = selectors.return_to_deliver(user=coach, center=cast.center_a, months=[D(2025, 4, 1)])
    with translation.override("en"):
        assert [(f.source, f.numerator, f.denominator, f.rate) for f in figures[D(2025, 4, 1)]] == [
            ("reported by the health center", 12, 12, 100.0)
        ]


def test_a_reported_return_above_the_women_followed_is_refused(cast, coach):
    def state():
        return ReportedReturn.objects.count()

    with translation.override("en"):
        errors = refused_unchanged(
            state,
            services.reported_return_record,
            actor=coach,
            health_center=cast.center_a,
            month=D(2025, 4, 1),
            returned=13,
            followed=12,
        )
    assert errors == {"returned": ["13 women came back to deliver, more than the 12 followed."]}
