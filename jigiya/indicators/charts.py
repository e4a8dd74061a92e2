"""Charts as inline SVG strings, drawn on the server: no JavaScript, no chart library, one request.

Every chart has a `<title>` and an `aria-label`, scales to its container (`viewBox`), and keeps
its colours in print. Values are given already computed (selectors do the reading); a value of
None (nothing to divide) leaves a gap in a line and an empty bar.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from jigiya.core.money import group_digits
from jigiya.indicators.catalog import Indicator, Unit

COLOURS = {
    "on_track": "#1b6e3a",
    "at_risk": "#8a4b00",
    "off_track": "#a4161a",
    "": "#0f6b4f",
}
INK = "#1d2428"
MUTED = "#5b6770"
LINE = "#d7dde1"
TARGET = "#8a4b00"
SIGNAL = "#a4161a"


def format_value(unit: str, value: float | None) -> str:
    """The figure as people read it: `1 234`, `45,2 %`, `12 500 FCFA`; `—` without a value."""
    if value is None:
        return "—"
    if unit == Unit.PERCENT:
        return f"{value:.1f}".replace(".", ",") + "\u00a0%"
    if unit in (Unit.FCFA, Unit.FCFA_AVERAGE):
        return f"{group_digits(round(value))}\u00a0FCFA"
    if unit == Unit.AVERAGE:
        return f"{value:.1f}".replace(".", ",")
    return group_digits(round(value))


def month_label(month: datetime.date) -> str:
    return f"{month:%m/%y}"


@dataclass(frozen=True)
class _Scale:
    low: float
    high: float
    top: float
    bottom: float

    def y(self, value: float) -> float:
        span = self.high - self.low or 1
        return self.bottom - (value - self.low) / span * (self.bottom - self.top)


def _nice_high(value: float) -> float:
    """A round number at or above `value` for the top of an axis."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _svg(width: int, height: int, label: str, body: list[str], css_class: str) -> SafeString:
    text = escape(label)
    return mark_safe(  # noqa: S308 - every text inside went through escape()
        f'<svg class="chart {css_class}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{text}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui,sans-serif" font-size="12"><title>{text}</title>'
        + "".join(body)
        + "</svg>"
    )


def _polyline(xs: Sequence[float], ys: Sequence[float | None], colour: str) -> list[str]:
    """Line segments between consecutive known points (a missing value leaves a gap)."""
    parts: list[str] = []
    segment: list[str] = []
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            if len(segment) > 1:
                parts.append(segment_line(segment, colour))
            segment = []
        else:
            segment.append(f"{x:.1f},{y:.1f}")
    if len(segment) > 1:
        parts.append(segment_line(segment, colour))
    return parts


def segment_line(points: list[str], colour: str) -> str:
    return (
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
        'stroke-width="2.5" stroke-linejoin="round"/>'
    )


def _level(x1: float, x2: float, y: float, colour: str, dash: str = "") -> str:
    """A horizontal line across the chart (the target, the median)."""
    return (
        f'<line x1="{x1}" y1="{y:.1f}" x2="{x2}" y2="{y:.1f}" '
        f'stroke="{colour}" stroke-width="1.5"{dash}/>'
    )


def trend(
    indicator: Indicator,
    points: Sequence[tuple[datetime.date, float | None]],
    *,
    label: str = "",
    median: float | None = None,
    marked: set[int] | None = None,
    open_index: int | None = None,
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """A line over the months, with the target (dashed) and, for run charts, the median and the
    points of a shift marked in red. The point at `open_index` (the month in progress) is drawn
    hollow, joined by a dotted line and labelled: a figure still growing, not a fall."""
    left, right, top, bottom = 56, 28, 14, height - 28
    values = [value for _month, value in points if value is not None]
    target = indicator.target.value if indicator.target else None
    high = max([*values, target or 0, median or 0, 0])
    if indicator.unit == Unit.PERCENT:
        high = max(high, 100) if high > 60 else _nice_high(high)
    else:
        high = _nice_high(high)
    scale = _Scale(0, high, top, bottom)
    count = max(len(points), 1)
    step = (width - left - right) / max(count - 1, 1)
    xs = [left + index * step for index in range(len(points))]
    ys = [scale.y(value) if value is not None else None for _month, value in points]
    unit = indicator.unit
    body = [
        f'<line x1="{left}" y1="{bottom}" x2="{width - right}" y2="{bottom}" stroke="{LINE}"/>',
        f'<line x1="{left}" y1="{top}" x2="{width - right}" y2="{top}" stroke="{LINE}"/>',
        f'<text x="{left - 6}" y="{bottom + 4}" text-anchor="end" fill="{MUTED}">'
        f"{escape(format_value(unit, 0))}</text>",
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" fill="{MUTED}">'
        f"{escape(format_value(unit, high))}</text>",
    ]
    if target is not None:
        y = scale.y(target)
        body.append(
            _level(left, width - right, y, TARGET, ' stroke-dasharray="6 4"')
            + f'<text x="{width - right}" y="{y - 4:.1f}" text-anchor="end" fill="{TARGET}">'
            f"{escape(_('target'))} {escape(format_value(unit, target))}</text>"
        )
    if median is not None:
        y = scale.y(median)
        # Outside the f-string: makemessages does not see a gettext call inside one.
        label = _("median")
        body.append(
            _level(left, width - right, y, MUTED)
            + f'<text x="{left + 4}" y="{y - 4:.1f}" fill="{MUTED}">'
            f"{escape(label)} {escape(format_value(unit, median))}</text>"
        )
    closed = len(points) if open_index is None else open_index
    body += _polyline(xs[:closed], ys[:closed], COLOURS[""])
    body += _open_segment(xs, ys, open_index)
    marked = marked or set()
    for index, (x, y_known) in enumerate(zip(xs, ys, strict=True)):
        if y_known is None:
            continue
        month, value = points[index]
        body.append(_dot(x, y_known, month, format_value(unit, value), index, marked, open_index))
    every = max(1, (count + 5) // 6)
    for index, (month, _value) in enumerate(points):
        # Every `every`-th month, and the last one (not crowding the one before it).
        if index == count - 1 or (index % every == 0 and count - 1 - index >= every):
            text = month_label(month)
            if index == open_index:
                text = f"{text} ({_('in progress')})"
            body.append(
                f'<text x="{xs[index]:.1f}" y="{height - 8}" '
                f'text-anchor="{"end" if index == count - 1 and index else "middle"}" '
                f'fill="{MUTED}">{escape(text)}</text>'
            )
    return _svg(width, height, label or str(indicator.name), body, "trend")


def _open_segment(
    xs: Sequence[float], ys: Sequence[float | None], open_index: int | None
) -> list[str]:
    """The line into the month in progress, dashed: its figure is not final."""
    if open_index is None or open_index == 0:
        return []
    before, now = ys[open_index - 1], ys[open_index]
    if before is None or now is None:
        return []
    return [
        f'<line class="open" x1="{xs[open_index - 1]:.1f}" y1="{before:.1f}" '
        f'x2="{xs[open_index]:.1f}" y2="{now:.1f}" stroke="{COLOURS[""]}" stroke-width="2" '
        'stroke-dasharray="3 3"/>'
    ]


def _dot(
    x: float,
    y: float,
    month: datetime.date,
    value: str,
    index: int,
    marked: set[int],
    open_index: int | None,
) -> str:
    """A point: filled, red when part of a shift; hollow for the month still in progress."""
    if index == open_index:
        title = _("%(month)s: %(value)s so far (month in progress)") % {
            "month": month_label(month),
            "value": value,
        }
        return (
            f'<circle class="open" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#fff" '
            f'stroke="{COLOURS[""]}" stroke-width="2"><title>{escape(title)}</title></circle>'
        )
    colour = SIGNAL if index in marked else COLOURS[""]
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{4 if index in marked else 3}" '
        f'fill="{colour}"><title>{month_label(month)}: {escape(value)}</title></circle>'
    )


def sparkline(
    values: Sequence[float | None],
    *,
    open_last: bool = False,
    label: str = "",
    width: int = 120,
    height: int = 28,
) -> SafeString:
    """A small trend beside a figure: the shape only, no axes; the last point marked (hollow
    and dotted in when `open_last`: the month in progress)."""
    known = [value for value in values if value is not None]
    high = max(known, default=0) or 1
    low = min(known, default=0)
    scale = _Scale(min(low, 0), high, 4, height - 4)
    step = (width - 8) / max(len(values) - 1, 1)
    xs = [4 + index * step for index in range(len(values))]
    ys = [scale.y(value) if value is not None else None for value in values]
    open_index = len(values) - 1 if open_last and values else None
    closed = len(values) if open_index is None else open_index
    body = _polyline(xs[:closed], ys[:closed], COLOURS[""]) + _open_segment(xs, ys, open_index)
    if values and ys[-1] is not None:
        fill = "#fff" if open_last else COLOURS[""]
        body.append(
            f'<circle cx="{xs[-1]:.1f}" cy="{ys[-1]:.1f}" r="3" fill="{fill}" '
            f'stroke="{COLOURS[""]}" stroke-width="1.5"/>'
        )
    return _svg(width, height, label or _("trend"), body, "spark")


def format_change(unit: str, change: float | None) -> str:
    """The change from one month to the next: `+3,2 pts` for a rate in percent, `+1 500 FCFA`,
    a minus sign (U+2212) for a fall; `—` without two values to compare."""
    if change is None:
        return "—"
    sign = "+" if change > 0 else "\u2212" if change < 0 else "±"
    size = abs(change)
    if unit == Unit.PERCENT:
        return f"{sign}{size:.1f}".replace(".", ",") + "\u00a0" + _("pts")
    return sign + format_value(unit, size)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    status: str = ""
    href: str = ""


def bars(
    indicator: Indicator, rows: Sequence[Bar], *, label: str = "", ranked: bool = False
) -> SafeString:
    """Horizontal bars, one per place (labels on the left, readable on a phone); `ranked`
    numbers them as a league table. The target is a dashed line across all bars."""
    width, row_height, left, right = 640, 24, 180 if not ranked else 200, 90
    height = max(row_height * len(rows) + 24, 48)
    values = [row.value for row in rows if row.value is not None]
    target = indicator.target.value if indicator.target else None
    high = max([*values, target or 0, 0])
    high = 100 if indicator.unit == Unit.PERCENT and high <= 100 else _nice_high(high)
    span = width - left - right
    body: list[str] = []
    for index, row in enumerate(rows):
        y = 6 + index * row_height
        name = f"{index + 1}. {row.label}" if ranked else row.label
        name = name if len(name) <= 28 else name[:27] + "…"
        text = (
            f'<text x="{left - 6}" y="{y + 15}" text-anchor="end" fill="{INK}">'
            f"{escape(name)}</text>"
        )
        if row.href:
            text = f'<a href="{escape(row.href)}">{text}</a>'
        length = 0.0 if row.value is None else max(row.value, 0) / high * span
        body.append(
            text + f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="{row_height - 8}" '
            f'fill="{COLOURS.get(row.status, COLOURS[""])}"/>'
            f'<text x="{left + length + 4:.1f}" y="{y + 15}" fill="{INK}">'
            f"{escape(format_value(indicator.unit, row.value))}</text>"
        )
    if target is not None and rows:
        x = left + target / high * span
        body.append(
            f'<line x1="{x:.1f}" y1="2" x2="{x:.1f}" y2="{height - 16}" stroke="{TARGET}" '
            'stroke-width="1.5" stroke-dasharray="6 4"/>'
            f'<text x="{x:.1f}" y="{height - 4}" text-anchor="middle" fill="{TARGET}">'
            f"{escape(_('target'))} {escape(format_value(indicator.unit, target))}</text>"
        )
    return _svg(width, height, label or str(indicator.name), body, "bars")
