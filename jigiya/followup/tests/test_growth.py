import csv
from decimal import Decimal
from pathlib import Path

import pytest

from jigiya.followup import growth

# WHO's own tables, verbatim from WHO's anthro package (see tests/data/who_anthro/README.md).
WHO = Path(__file__).resolve().parent / "data" / "who_anthro"
FILES = {"wfa": "weianthro", "lhfa": "lenanthro", "wfh": "wfhanthro", "wfl": "wflanthro"}


def _who_rows():
    rows = {}
    for indicator, name in FILES.items():
        with (WHO / f"{name}.txt").open(newline="") as handle:
            reader = csv.reader(handle, delimiter="\t")
            next(reader)
            for sex, x, el, m, s, *_ in reader:
                key = (indicator, "M" if sex == "1" else "F", Decimal(x))
                rows[key] = (Decimal(el), Decimal(m), Decimal(s))
    return rows


def _shipped_rows():
    with growth.TABLE.open(newline="") as handle:
        return {
            (row["indicator"], row["sex"], Decimal(row["x"])): (
                Decimal(row["L"]), Decimal(row["M"]), Decimal(row["S"])
            )
            for row in csv.DictReader(handle)
        }  # fmt: skip


def test_every_shipped_row_is_whos_own():
    who, shipped = _who_rows(), _shipped_rows()
    assert len(who) == 9712
    wrong = {
        key: (shipped.get(key), value) for key, value in who.items() if shipped.get(key) != value
    }
    assert wrong == {}
    # Beyond WHO's anthro tables (which stop at 1826 days) the file keeps 60 months + 30 days
    # of weight- and length/height-for-age, so a child checked up to 1856 days is scored.
    extra = sorted(key for key in shipped if key not in who)
    assert extra == sorted(
        (indicator, sex, Decimal(day))
        for indicator in ("wfa", "lhfa")
        for sex in ("M", "F")
        for day in range(1827, 1857)
    )


def test_boys_weight_for_height_at_92_6_cm_is_whos_row():
    assert growth.lms("wfh", "M", 92.6) == (-0.3521, 13.4937, 0.08028)


def test_a_boy_of_28_months_10_84_kg_93_3_cm_lying_is_moderately_wasted():
    # 28 months is past two years: a length measured lying loses 0.7 cm (92.6 cm standing), and
    # weight-for-height applies. WHO's row gives -2.84; the third party's row gave -3.32.
    lying = growth.z_scores(sex="M", age_days=852, weight_kg=10.84, height_cm=93.3)
    standing = growth.z_scores(
        sex="M", age_days=852, weight_kg=10.84, height_cm=92.6, measured_lying=False
    )
    assert lying.whz == standing.whz == -2.84


def test_the_shipped_tables_hold_whos_published_medians_at_birth():
    assert growth.lms("wfa", "M", 0) == (0.3487, 3.3464, 0.14602)
    assert growth.lms("wfa", "F", 0) == (0.3809, 3.2322, 0.14171)
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
