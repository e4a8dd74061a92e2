import pytest

from jigiya.followup import growth


def test_the_shipped_tables_hold_whos_published_medians_at_birth():
    assert growth.lms("wfa", "M", 0) == (0.3487, 3.3464, 0.146)
    assert growth.lms("wfa", "F", 0) == (0.3809, 3.2322, 0.1417)
    assert growth.lms("lhfa", "M", 0)[1] == 49.8842
    assert growth.lms("lhfa", "F", 0)[1] == 49.1477
    assert growth.lms("wfa", "M", 1857) is None


def test_the_median_is_zero():
    scores = growth.z_scores(sex="M", age_days=0, weight_kg=3.3464, height_cm=49.8842)
    assert (scores.waz, scores.haz) == (0.0, 0.0)
    girls = growth.z_scores(sex="F", age_days=0, weight_kg=3.2322, height_cm=49.1477)
    assert (girls.waz, girls.haz) == (0.0, 0.0)


def test_the_lms_formula_and_whos_sd_values():
    # WHO's boys WFA at birth: -2 SD = 2.459 kg, +2 SD = 4.419 kg (published z-score table).
    assert growth.value_at(growth.lms("wfa", "M", 0), -2) == pytest.approx(2.459, abs=0.001)
    assert growth.value_at(growth.lms("wfa", "M", 0), 2) == pytest.approx(4.419, abs=0.001)
    scores = growth.z_scores(sex="M", age_days=0, weight_kg=2.459, height_cm=None)
    assert scores.waz == -2.0


def test_the_restricted_adjustment_beyond_three_sd():
    params = growth.lms("wfa", "M", 0)
    sd3, sd4 = growth.value_at(params, -3), growth.value_at(params, -2)
    below = sd3 - (sd4 - sd3)  # one 2-to-3 SD gap below -3 SD
    assert growth.z_scores(sex="M", age_days=0, weight_kg=below, height_cm=None).waz == -4.0


def test_standing_height_before_two_years_gets_0_7_cm():
    lying = growth.z_scores(sex="F", age_days=365, weight_kg=None, height_cm=74.0)
    standing = growth.z_scores(
        sex="F", age_days=365, weight_kg=None, height_cm=73.3, measured_lying=False
    )
    assert lying.haz == standing.haz


def test_oedema_leaves_weight_based_scores_out():
    scores = growth.z_scores(sex="M", age_days=400, weight_kg=9, height_cm=76, oedema=True)
    assert scores.waz is None and scores.whz is None and scores.haz is not None


def test_implausible_scores_are_named():
    scores = growth.z_scores(sex="M", age_days=365, weight_kg=30, height_cm=75)
    assert [name for name, _value in scores.implausible()] == ["waz", "whz"]


@pytest.mark.parametrize(
    ("muac", "band"), [(114, "red"), (115, "yellow"), (124, "yellow"), (125, "green"), (None, "")]
)
def test_muac_bands(muac, band):
    assert growth.muac_band(muac) == band
