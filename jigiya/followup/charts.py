"""Server-side SVG: a child's growth against the WHO reference lines, a pregnancy's timeline.
No JavaScript; the markup is built from numbers only (names never enter the SVG)."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from jigiya.followup import growth

WIDTH, HEIGHT = 320, 200
LEFT, RIGHT, TOP, BOTTOM = 32, 8, 8, 22
LINES = ((-3, "sd3"), (-2, "sd2"), (0, "median"), (2, "sd2"), (3, "sd3"))
DAYS_PER_MONTH = 30.4375


def growth_svg(
    *, indicator: str, sex: str, points: Iterable[tuple[int, float]], title: str
) -> SafeString:
    """A chart of `indicator` ("wfa" or "lhfa") by age in months: WHO's median, ±2 and ±3 SD
    lines, and the child's measurements `points` (age in days, value)."""
    points = [(days, value) for days, value in points if 0 <= days <= growth.LAST_DAY]
    last_month = max([6, *(int(days / DAYS_PER_MONTH) + 3 for days, _v in points)])
    last_month = min(60, last_month + (-last_month % 6))
    months = list(range(0, last_month + 1))
    curves = _who_curves(indicator, sex, months)
    low = min(curves[-3] + [v for _d, v in points])
    high = max(curves[3] + [v for _d, v in points])
    span = (high - low) or 1

    def x(month: float) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * month / last_month

    def y(value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - low) / span)

    paths = format_html_join(
        "",
        '<polyline class="{}" fill="none" points="{}"/>',
        (
            (
                css,
                " ".join(f"{x(m):.1f},{y(v):.1f}" for m, v in zip(months, curves[z], strict=False)),
            )
            for z, css in LINES
        ),
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" class="tick">{}</text>',
        ((f"{x(m):.1f}", HEIGHT - 6, m) for m in months if m % 6 == 0),
    )
    ticks_y = format_html_join(
        "",
        '<text x="2" y="{}" class="tick">{}</text>',
        ((f"{y(low + span * f):.1f}", f"{low + span * f:.0f}") for f in (0, 0.25, 0.5, 0.75, 1)),
    )
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3" class="child"/>',
        ((f"{x(d / DAYS_PER_MONTH):.1f}", f"{y(v):.1f}") for d, v in points),
    )
    return _growth_document(title, paths, ticks, ticks_y, dots)


def _who_curves(indicator: str, sex: str, months: list[int]) -> dict[int, list[float]]:
    """WHO's value of `indicator` at each month, for each z-score line drawn."""
    return {
        z: [
            value
            for month in months
            if (params := growth.lms(indicator, sex, round(month * DAYS_PER_MONTH)))
            for value in [growth.value_at(params, z)]
        ]
        for z, _css in LINES
    }


def _growth_document(title: str, *parts: SafeString) -> SafeString:
    return format_html(
        # Its styles are in web/jigiya.css (svg.growth): the Content-Security-Policy refuses
        # a style element without the request's nonce, and charts are drawn without a request.
        '<svg viewBox="0 0 {} {}" role="img" aria-label="{}" class="chart growth">{}{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        title,
        *parts,
    )


def pregnancy_svg(pregnancy: Any, *, today: datetime.date) -> SafeString:
    """LMP to EDD (+2 weeks) as a bar: ANC contacts (squares), the CHW's checks (dots), today
    and the delivery (a line)."""
    start = pregnancy.start
    end = pregnancy.edd + datetime.timedelta(days=14)
    total = (end - start).days or 1

    def x(day: datetime.date) -> float:
        return 8 + 304 * min(max((day - start).days, 0), total) / total

    weeks = format_html_join(
        "",
        '<text x="{}" y="44" class="tick">{}</text>',
        ((f"{x(start + datetime.timedelta(weeks=w)):.1f}", w) for w in range(0, 43, 8)),
    )
    anc = format_html_join(
        "",
        '<rect x="{}" y="8" width="7" height="7" class="anc"/>',
        ((f"{x(c.date) - 3.5:.1f}",) for c in pregnancy.anc_contacts.all()),
    )
    checks = format_html_join(
        "",
        '<circle cx="{}" cy="28" r="3" class="check"/>',
        ((f"{x(c.visit.date):.1f}",) for c in pregnancy.checks.all()),
    )
    marks = []
    if start <= today <= end and pregnancy.outcome_date is None:
        marks.append(
            format_html('<line x1="{0}" x2="{0}" y1="2" y2="34" class="today"/>', f"{x(today):.1f}")
        )
    if pregnancy.outcome_date:
        marks.append(
            format_html(
                '<line x1="{0}" x2="{0}" y1="2" y2="34" class="delivery"/>',
                f"{x(pregnancy.outcome_date):.1f}",
            )
        )
    return format_html(
        # Styles in web/jigiya.css (svg.timeline), as for the growth chart.
        '<svg viewBox="0 0 320 48" role="img" class="chart timeline">'
        '<rect x="8" y="18" width="304" height="6" class="bar"/>'
        '<line x1="{0}" x2="{0}" y1="14" y2="28" stroke="#333"/>'
        "{1}{2}{3}{4}</svg>",
        f"{x(pregnancy.edd):.1f}",
        weeks,
        anc,
        checks,
        mark_safe("".join(marks)),  # noqa: S308 - built with format_html above
    )
