"""Inline SVG charts for the issue report: trend lines, importance-performance quadrant,
heat map and 100 % stacked bars.

Every function returns one self-contained ``<svg>`` element as a string: no scripts, no
external URLs, no stylesheet, fonts from a generic family stack. The charts stay readable in
print and in greyscale: lines differ by dash pattern and marker shape as well as colour (the
Okabe-Ito colour-blind-safe palette), stacked-bar parts by hatching as well as fill, and the heat
map uses a light-to-dark ramp with the number printed in each cell. Feedback text and issue
labels are untrusted, so every piece of text is cleaned of control characters and escaped with
``html.escape(quote=True)``. Empty input gives a small SVG showing the caller's ``empty_text``.
The output is deterministic: the same input gives a byte-identical string.

Example:
    >>> svg = line_chart(["2026-08", "2026-09"], [Series("Refunds", [12, 30])],
    ...                  title="Mentions per month", y_label="Mentions", y_format="count",
    ...                  empty_text="No data")
    >>> svg.startswith("<svg") and "Refunds 30" in svg
    True
"""

from __future__ import annotations

import hashlib
import html
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "FONT_STACK",
    "QUADRANT_KEYS",
    "QuadrantPoint",
    "Series",
    "ValueFormat",
    "format_value",
    "heatmap",
    "line_chart",
    "quadrant_chart",
    "stacked_bars",
]

ValueFormat = Literal["count", "percent", "score"]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1

FONT_STACK = 'system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'
# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "5 2", "1 3", "14 4")
MARKERS = ("circle", "square", "triangle", "diamond", "triangle_down", "plus", "cross")
# Stacked-bar parts: listed as negative, neutral, positive they read that way.
PART_COLOURS = ("#D55E00", "#BBBBBB", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
PART_PATTERNS = ("diagonal", "dots", "solid", "crosshatch", "horizontal", "backdiagonal")
# ColorBrewer "Blues": luminance falls steadily, so the ramp survives greyscale printing.
RAMP = ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5",
        "#08519c", "#08306b")
QUADRANT_KEYS = ("fix_first", "keep_up", "low_priority", "possible_overkill")
_QUADRANT_STYLE = {  # marker shape and fill per quadrant
    "fix_first": ("circle", "#D55E00"),
    "keep_up": ("square", "#0072B2"),
    "possible_overkill": ("triangle", "#CC79A7"),
    "low_priority": ("diamond", "#999999"),
}
INK, MUTED, AXIS, GRID = "#222222", "#595959", "#8c8c8c", "#dddddd"
LABEL_LIMIT = 24  # label width in narrow characters (a CJK character counts two)

_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class Series:
    """One trend line: a name and one value per x label (``None`` or NaN leaves a gap)."""

    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class QuadrantPoint:
    """One issue in the quadrant chart: ``x`` is importance, ``y`` performance.

    ``size`` (for example the issue's volume) scales the marker area; ``None`` draws the
    smallest marker.
    """

    label: str
    x: float
    y: float
    size: float | None = None


@dataclass(frozen=True)
class _Frame:
    """The plot area inside the margins, in SVG user units."""

    left: float
    top: float
    right: float
    bottom: float


# ---------------------------------------------------------------- text and number helpers


def _clean(text: object) -> str:
    """Drop characters XML cannot carry and fold whitespace runs into one space."""
    return _SPACES.sub(" ", _UNSAFE.sub("", str(text))).strip()


def _esc(text: object) -> str:
    return html.escape(_clean(text), quote=True)


def _f(value: float) -> str:
    """A coordinate with one decimal, for compact and deterministic markup."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _char_width(char: str) -> float:
    return 2.0 if unicodedata.east_asian_width(char) in "WF" else 1.0


def _text_width(text: str, size: float = 12.0) -> float:
    """Estimated rendered width: narrow characters 0.58 em, CJK characters 1 em."""
    return sum(_char_width(c) for c in _clean(text)) * size * 0.5 * 1.16


def _truncate(text: str, limit: int = LABEL_LIMIT) -> str:
    """Shorten to ``limit`` narrow-character widths, ending in an ellipsis when cut."""
    text = _clean(text)
    if sum(_char_width(c) for c in text) <= limit:
        return text
    used, kept = 1.0, []
    for char in text:
        used += _char_width(char)
        if used > limit:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


def _finite(value: float | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def format_value(value: float, fmt: ValueFormat, decimals: int | None = None) -> str:
    """Format a number for a chart label.

    ``percent`` takes a fraction and shows 0-1 decimals, ``count`` shows thousands separators
    (one decimal only for non-whole values), ``score`` shows two decimals. ``decimals`` fixes
    the number of decimals, as axis ticks need.

    >>> format_value(0.125, "percent"), format_value(0.12, "percent"), format_value(1234, "count")
    ('12.5%', '12%', '1,234')
    """
    if fmt == "percent":
        text = f"{value * 100:.{1 if decimals is None else decimals}f}"
        if decimals is None and text.endswith(".0"):
            text = text[:-2]
        suffix = "%"
    elif fmt == "count":
        if decimals is None:
            decimals = 0 if abs(value - round(value)) < 1e-9 else 1
        text, suffix = f"{value:,.{decimals}f}", ""
    elif fmt == "score":
        text, suffix = f"{value:.{2 if decimals is None else decimals}f}", ""
    else:
        raise ValueError(f"unknown value format {fmt!r}: use count, percent or score")
    if re.fullmatch(r"-0(\.0*)?", text):
        text = text[1:]
    return text + suffix


def _nice_ticks(lo: float, hi: float, *, integer: bool, count: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2 or 5 x 10^k) covering ``lo`` to ``hi``."""
    if hi - lo < 1e-12:
        hi = lo + 1.0
    raw = (hi - lo) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if raw <= m * magnitude * (1 + 1e-9))
    if integer:
        step = max(step, 1.0)
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def _axis_ticks(values: Sequence[float], fmt: ValueFormat, *, zero: bool,
                pad: float = 0.0) -> list[float]:
    """Ticks for an axis over ``values``; ``zero`` starts non-negative data at 0."""
    lo, hi = min(values), max(values)
    span = hi - lo
    if span < 1e-12:
        span = abs(hi) * 0.2 or (0.1 if fmt == "percent" else 1.0)
        lo, hi = lo - span / 2, hi + span / 2
    lo, hi = lo - span * pad, hi + span * pad
    if min(values) >= 0 and (zero or lo < 0):
        lo = 0.0  # counts and rates start at zero; padding never makes them negative
    return _nice_ticks(lo, hi, integer=fmt == "count")


def _tick_texts(ticks: Sequence[float], fmt: ValueFormat) -> list[str]:
    """Tick labels, all with the fewest decimals that show every tick exactly."""
    scale = 100.0 if fmt == "percent" else 1.0
    decimals = next((d for d in range(4)
                     if all(abs(round(t * scale, d) - t * scale) < 1e-6 for t in ticks)), 3)
    return [format_value(t, fmt, decimals) for t in ticks]


def _linear(d0: float, d1: float, r0: float, r1: float) -> Callable[[float], float]:
    span = (d1 - d0) or 1.0
    return lambda v: r0 + (v - d0) / span * (r1 - r0)


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour (0 black to 1 white)."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in _hex_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _ink_on(colour: str) -> str:
    """Text colour with the better contrast on a fill."""
    return "#ffffff" if _luminance(colour) < 0.18 else INK


def _ramp(t: float) -> str:
    """Colour at ``t`` in 0..1 along the light-to-dark ramp."""
    t = min(max(t, 0.0), 1.0) * (len(RAMP) - 1)
    i = min(int(t), len(RAMP) - 2)
    a, b = _hex_rgb(RAMP[i]), _hex_rgb(RAMP[i + 1])
    mix = [round(x + (y - x) * (t - i)) for x, y in zip(a, b, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


# ---------------------------------------------------------------- markup helpers


def _svg_open(width: float, height: float, title: str, kind: str) -> str:
    label = _esc(title)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="voc-chart voc-chart-{kind}" '
            f'viewBox="0 0 {_f(width)} {_f(height)}" width="{_f(width)}" height="{_f(height)}" '
            f'role="img" aria-label="{label}" font-family="{_esc(FONT_STACK)}" font-size="12" '
            f'fill="{INK}" style="max-width:100%;height:auto">\n<title>{label}</title>')


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: float = 12,
          bold: bool = False, fill: str | None = None, cls: str = "", extra: str = "") -> str:
    attrs = [f'x="{_f(x)}" y="{_f(y)}"']
    if anchor != "start":
        attrs.append(f'text-anchor="{anchor}"')
    if size != 12:
        attrs.append(f'font-size="{size:g}"')
    if bold:
        attrs.append('font-weight="600"')
    if fill:
        attrs.append(f'fill="{fill}"')
    if cls:
        attrs.append(f'class="{cls}"')
    if extra:
        attrs.append(extra)
    return f'<text {" ".join(attrs)}>{_esc(text)}</text>'


def _halo(colour: str = "#ffffff") -> str:
    """Attributes for a text outline that keeps text legible over lines and hatching."""
    return (f'stroke="{colour}" stroke-width="3" stroke-linejoin="round" '
            'paint-order="stroke"')


def _heading(title: str, x: float = 12) -> str:
    return _text(x, 22, title, size=14, bold=True, cls="chart-title")


def _empty_svg(title: str, empty_text: str) -> str:
    """A small placeholder chart showing the caller's ``empty_text``."""
    label = f"{_clean(title)}: {_clean(empty_text)}" if _clean(title) else empty_text
    parts = [_svg_open(480, 76, label, "empty"),
             f'<rect x="0.5" y="0.5" width="479" height="75" fill="#fafafa" stroke="{GRID}"/>']
    if _clean(title):
        parts.append(_text(240, 30, title, anchor="middle", size=14, bold=True))
    parts.append(_text(240, 56 if _clean(title) else 43, empty_text, anchor="middle",
                       fill=MUTED, cls="empty-text"))
    return "\n".join([*parts, "</svg>"])


def _polygon(points: Sequence[tuple[float, float]], attrs: str) -> str:
    coords = " ".join(f"{_f(x)},{_f(y)}" for x, y in points)
    return f'<polygon points="{coords}" {attrs}/>'


def _marker_shape(shape: str, r: float, fill: str, stroke: str = "#ffffff") -> str:
    """A marker centred on the origin (place it with a translate)."""
    attrs = f'fill="{fill}" stroke="{stroke}" stroke-width="1"'
    if shape == "circle":
        return f'<circle r="{_f(r)}" {attrs}/>'
    if shape == "square":
        s = r * 0.88
        return f'<rect x="{_f(-s)}" y="{_f(-s)}" width="{_f(2 * s)}" height="{_f(2 * s)}" {attrs}/>'
    if shape in ("triangle", "triangle_down"):
        sign = 1 if shape == "triangle" else -1
        return _polygon([(0, -1.2 * r * sign), (1.1 * r, 0.8 * r * sign),
                         (-1.1 * r, 0.8 * r * sign)], attrs)
    if shape == "diamond":
        d = r * 1.25
        return _polygon([(0, -d), (d, 0), (0, d), (-d, 0)], attrs)
    a, e = r * 0.42, r * 1.2  # plus: arm half-width and reach; cross is a turned plus
    plus = [(-a, -e), (a, -e), (a, -a), (e, -a), (e, a), (a, a), (a, e), (-a, e), (-a, a),
            (-e, a), (-e, -a), (-a, -a)]
    turn = ' transform="rotate(45)"' if shape == "cross" else ""
    return _polygon(plus, attrs + turn)


def _point(x: float, y: float, shape: str, r: float, fill: str, tooltip: str,
           extra: str = "") -> str:
    return (f'<g class="point" transform="translate({_f(x)},{_f(y)})"{extra}>'
            f"<title>{_esc(tooltip)}</title>{_marker_shape(shape, r, fill)}</g>")


def _spread(wanted: Sequence[float], gap: float, lo: float, hi: float) -> list[float]:
    """Move label centres apart by at least ``gap`` while keeping them near ``wanted``."""
    order = sorted(range(len(wanted)), key=lambda i: (wanted[i], i))
    ys = [wanted[i] for i in order]
    for j in range(1, len(ys)):
        ys[j] = max(ys[j], ys[j - 1] + gap)
    if ys and ys[-1] > hi:
        ys[-1] = hi
        for j in range(len(ys) - 2, -1, -1):
            ys[j] = min(ys[j], ys[j + 1] - gap)
    if ys and ys[0] < lo:
        ys[0] = lo
        for j in range(1, len(ys)):
            ys[j] = max(ys[j], ys[j - 1] + gap)
    placed = [0.0] * len(ys)
    for j, i in enumerate(order):
        placed[i] = ys[j]
    return placed


def _overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _label_box(x: float, baseline: float, width: float, anchor: str) -> Box:
    x0 = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    return (x0, baseline - 10, x0 + width, baseline + 3)


def _y_axis(frame: _Frame, ticks: Sequence[float], texts: Sequence[str],
            y_of: Callable[[float], float], label: str) -> list[str]:
    """Horizontal grid lines, tick labels and the rotated axis title."""
    parts = ['<g class="y-axis">']
    for tick, text in zip(ticks, texts, strict=True):
        y = y_of(tick)
        parts.append(f'<line x1="{_f(frame.left)}" y1="{_f(y)}" x2="{_f(frame.right)}" '
                     f'y2="{_f(y)}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(_text(frame.left - 6, y + 4, text, anchor="end", fill=MUTED, cls="tick"))
    mid = (frame.top + frame.bottom) / 2
    parts.append(_text(14, mid, label, anchor="middle", fill=MUTED, cls="axis-label",
                       extra=f'transform="rotate(-90 14 {_f(mid)})"'))
    return [*parts, "</g>"]


# ---------------------------------------------------------------- line chart


def line_chart(x_labels: Sequence[str], series: Sequence[Series], *, title: str, y_label: str,
               y_format: ValueFormat, empty_text: str, width: int = 720,
               height: int = 360) -> str:
    """Trend lines over batches, for example mentions per month or the negative rate.

    Each series has one value per x label; ``None`` (or NaN) breaks the line. Points carry
    markers, and the last value of each series is labelled next to it with the series name,
    labels nudged apart vertically. With one x label only markers are drawn. Raises
    ``ValueError`` when a series has a different length from ``x_labels``.

    >>> svg = line_chart(["Aug", "Sep"], [Series("Late delivery", [0.1, 0.25])], title="Rate",
    ...                  y_label="Negative", y_format="percent", empty_text="No data")
    >>> "Late delivery 25%" in svg
    True
    """
    for s in series:
        if len(s.values) != len(x_labels):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for "
                             f"{len(x_labels)} x labels")
    columns = [[_finite(v) for v in s.values] for s in series]
    present = [v for values in columns for v in values if v is not None]
    if not x_labels or not present:
        return _empty_svg(title, empty_text)
    ticks = _axis_ticks(present, y_format, zero=y_format != "score")
    texts = _tick_texts(ticks, y_format)
    ends = [_last_point(s.name, values, y_format) for s, values in zip(series, columns,
                                                                       strict=True)]
    end_width = max((_text_width(e[2]) for e in ends if e), default=0.0)
    frame = _Frame(left=30 + max(_text_width(t) for t in texts), top=44,
                   right=width - min(width * 0.4, end_width + 24), bottom=height - 34)
    n, pad = len(x_labels), 14.0
    step = (frame.right - frame.left - 2 * pad) / (n - 1) if n > 1 else 0.0
    x_of = [frame.left + pad + i * step if n > 1 else (frame.left + frame.right) / 2
            for i in range(n)]
    y_of = _linear(ticks[0], ticks[-1], frame.bottom, frame.top)
    parts = [_svg_open(width, height, title, "line"), _heading(title),
             *_y_axis(frame, ticks, texts, y_of, y_label), *_x_axis(frame, x_labels, x_of)]
    for k, (s, values) in enumerate(zip(series, columns, strict=True)):
        parts.extend(_line_series(k, s.name, values, x_labels, x_of, y_of, y_format))
    parts.extend(_end_labels(ends, x_of, y_of, frame))
    return "\n".join([*parts, "</svg>"])


def _last_point(name: str, values: Sequence[float | None],
                fmt: ValueFormat) -> tuple[int, float, str, str] | None:
    """(index, value, label, full name) of a series' last value, or None without values."""
    for i in range(len(values) - 1, -1, -1):
        value = values[i]
        if value is not None:
            return i, value, f"{_truncate(name)} {format_value(value, fmt)}", name
    return None


def _x_axis(frame: _Frame, labels: Sequence[str], x_of: Sequence[float]) -> list[str]:
    """The baseline and x labels, thinned (keeping the latest) so they do not collide."""
    parts = ['<g class="x-axis">',
             f'<line x1="{_f(frame.left)}" y1="{_f(frame.bottom)}" x2="{_f(frame.right)}" '
             f'y2="{_f(frame.bottom)}" stroke="{AXIS}" stroke-width="1"/>']
    shown = [_truncate(label, 16) for label in labels]
    slot = x_of[1] - x_of[0] if len(x_of) > 1 else math.inf
    every = max(1, math.ceil((max(_text_width(t) for t in shown) + 10) / slot))
    for i, (x, text) in enumerate(zip(x_of, shown, strict=True)):
        if (len(labels) - 1 - i) % every == 0:
            parts.append(_text(x, frame.bottom + 18, text, anchor="middle", fill=MUTED,
                               cls="tick"))
    return [*parts, "</g>"]


def _line_series(k: int, name: str, values: Sequence[float | None], x_labels: Sequence[str],
                 x_of: Sequence[float], y_of: Callable[[float], float],
                 fmt: ValueFormat) -> list[str]:
    """One series: a path per unbroken run of two or more values, then its markers."""
    colour, dash, shape = PALETTE[k % 7], DASHES[k % 7], MARKERS[k % 7]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    parts = [f'<g class="series" aria-label="{_esc(name)}">']
    runs: list[list[int]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append(i)
    for run in runs:
        if len(run) > 1:
            d = " ".join(f"{'M' if j == 0 else 'L'}{_f(x_of[i])},{_f(y_of(values[i] or 0.0))}"
                         for j, i in enumerate(run))
            parts.append(f'<path class="line" d="{d}" fill="none" stroke="{colour}" '
                         f'stroke-width="2" stroke-linejoin="round"{dash_attr}/>')
    for i, value in enumerate(values):
        if value is not None:
            tip = f"{_clean(name)}, {_clean(x_labels[i])}: {format_value(value, fmt)}"
            parts.append(_point(x_of[i], y_of(value), shape, 4.5, colour, tip))
    return [*parts, "</g>"]


def _end_labels(ends: Sequence[tuple[int, float, str, str] | None], x_of: Sequence[float],
                y_of: Callable[[float], float], frame: _Frame) -> list[str]:
    """Series names with their last values beside the last points, spread apart vertically."""
    live = [(k, e) for k, e in enumerate(ends) if e is not None]
    wanted = [y_of(e[1]) for _, e in live]
    placed = _spread(wanted, 14.0, frame.top, frame.bottom)
    parts = ['<g class="end-labels">']
    for (k, (i, _value, label, name)), want, y in zip(live, wanted, placed, strict=True):
        x = x_of[i] + 9
        parts.append(f'<g class="end-label"><title>{_esc(name)}</title>')
        if abs(y - want) > 3:
            parts.append(f'<line x1="{_f(x_of[i] + 5)}" y1="{_f(want)}" x2="{_f(x - 2)}" '
                         f'y2="{_f(y)}" stroke="{PALETTE[k % 7]}" stroke-width="1"/>')
        parts.append(_text(x + 2, y + 4, label, extra=_halo()) + "</g>")
    return [*parts, "</g>"]


# ---------------------------------------------------------------- quadrant chart


def quadrant_chart(points: Sequence[QuadrantPoint], *, x_label: str, y_label: str,
                   x_split: float, y_split: float, quadrant_names: Mapping[str, str],
                   title: str, empty_text: str, x_format: ValueFormat = "score",
                   y_format: ValueFormat = "score", width: int = 720,
                   height: int = 480) -> str:
    """Importance-performance scatter: importance on x, performance on y.

    The split lines cut the plot into four quadrants, named in the corners from
    ``quadrant_names`` (keys in ``QUADRANT_KEYS``): ``fix_first`` is bottom right (important,
    performing badly, shaded), ``keep_up`` top right, ``low_priority`` bottom left and
    ``possible_overkill`` top left. Each point is labelled (shortened, full text on hover);
    labels are placed to avoid each other, the markers and the corner names. Points with a
    non-finite coordinate are left out.

    >>> svg = quadrant_chart([QuadrantPoint("Refund delay", 0.8, 0.2)], x_label="Importance",
    ...     y_label="Performance", x_split=0.5, y_split=0.5, quadrant_names={}, title="IPA",
    ...     empty_text="No issues")
    >>> 'data-quadrant="fix_first"' in svg
    True
    """
    kept = [p for p in points if _finite(p.x) is not None and _finite(p.y) is not None]
    if not kept:
        return _empty_svg(title, empty_text)
    x_ticks = _axis_ticks([*(p.x for p in kept), x_split], x_format, zero=False, pad=0.08)
    y_ticks = _axis_ticks([*(p.y for p in kept), y_split], y_format, zero=False, pad=0.08)
    x_texts, y_texts = _tick_texts(x_ticks, x_format), _tick_texts(y_ticks, y_format)
    frame = _Frame(left=30 + max(_text_width(t) for t in y_texts), top=44,
                   right=width - 20, bottom=height - 50)
    x_of = _linear(x_ticks[0], x_ticks[-1], frame.left, frame.right)
    y_of = _linear(y_ticks[0], y_ticks[-1], frame.bottom, frame.top)
    sx, sy = x_of(x_split), y_of(y_split)
    parts = [_svg_open(width, height, title, "quadrant"), _heading(title),
             f'<rect class="quadrant-fix-first" x="{_f(sx)}" y="{_f(sy)}" '
             f'width="{_f(frame.right - sx)}" height="{_f(frame.bottom - sy)}" fill="#fbe9df"/>',
             *_y_axis(frame, y_ticks, y_texts, y_of, y_label),
             *_quadrant_x_axis(frame, x_ticks, x_texts, x_of, x_label),
             f'<g class="splits" stroke="{AXIS}" stroke-width="1.2" stroke-dasharray="5 4">'
             f'<line x1="{_f(sx)}" y1="{_f(frame.top)}" x2="{_f(sx)}" y2="{_f(frame.bottom)}"/>'
             f'<line x1="{_f(frame.left)}" y1="{_f(sy)}" x2="{_f(frame.right)}" y2="{_f(sy)}"/>'
             "</g>"]
    corner_parts, corner_boxes = _quadrant_names(frame, quadrant_names)
    parts.extend(corner_parts)
    parts.extend(_quadrant_points(kept, x_of, y_of, x_split, y_split, frame, corner_boxes,
                                  (x_label, x_format, y_label, y_format)))
    return "\n".join([*parts, "</svg>"])


def _quadrant_x_axis(frame: _Frame, ticks: Sequence[float], texts: Sequence[str],
                     x_of: Callable[[float], float], label: str) -> list[str]:
    parts = ['<g class="x-axis">',
             f'<line x1="{_f(frame.left)}" y1="{_f(frame.bottom)}" x2="{_f(frame.right)}" '
             f'y2="{_f(frame.bottom)}" stroke="{AXIS}" stroke-width="1"/>']
    for tick, text in zip(ticks, texts, strict=True):
        x = x_of(tick)
        parts.append(f'<line x1="{_f(x)}" y1="{_f(frame.top)}" x2="{_f(x)}" '
                     f'y2="{_f(frame.bottom)}" stroke="{GRID}" stroke-width="0.6"/>')
        parts.append(_text(x, frame.bottom + 17, text, anchor="middle", fill=MUTED, cls="tick"))
    parts.append(_text((frame.left + frame.right) / 2, frame.bottom + 38, label,
                       anchor="middle", fill=MUTED, cls="axis-label"))
    return [*parts, "</g>"]


def _quadrant_names(frame: _Frame, names: Mapping[str, str]) -> tuple[list[str], list[Box]]:
    """The four quadrant names in the plot corners, and the boxes they occupy."""
    spots = {"possible_overkill": (frame.left + 8, frame.top + 18, "start"),
             "keep_up": (frame.right - 8, frame.top + 18, "end"),
             "low_priority": (frame.left + 8, frame.bottom - 10, "start"),
             "fix_first": (frame.right - 8, frame.bottom - 10, "end")}
    parts, boxes = ['<g class="quadrant-names">'], []
    for key in QUADRANT_KEYS:
        name = _clean(names.get(key, ""))
        if not name:
            continue
        x, y, anchor = spots[key]
        colour = "#a33f00" if key == "fix_first" else MUTED
        parts.append(_text(x, y, name, anchor=anchor, size=13, bold=True, fill=colour,
                           cls=f"quadrant-name {key.replace('_', '-')}", extra=_halo()))
        boxes.append(_label_box(x, y, _text_width(name, 13), anchor))
    return [*parts, "</g>"], boxes


def _quadrant_points(points: Sequence[QuadrantPoint], x_of: Callable[[float], float],
                     y_of: Callable[[float], float], x_split: float, y_split: float,
                     frame: _Frame, obstacles: list[Box],
                     axes: tuple[str, ValueFormat, str, ValueFormat]) -> list[str]:
    """Markers (largest first, so small ones stay visible) and then their labels."""
    x_label, x_format, y_label, y_format = axes
    sizes = [p.size for p in points if p.size is not None and _finite(p.size) and p.size > 0]
    biggest = max(sizes, default=0.0)
    items = []
    for index, p in enumerate(points):
        quadrant = ("fix_first" if p.y < y_split else "keep_up") if p.x >= x_split else (
            "low_priority" if p.y < y_split else "possible_overkill")
        size = _finite(p.size) or 0.0
        r = 4.5 + 9.5 * math.sqrt(size / biggest) if biggest and size > 0 else 4.5
        items.append((index, p, quadrant, x_of(p.x), y_of(p.y), r))
    parts = ['<g class="points">']
    for _, p, quadrant, x, y, r in sorted(items, key=lambda t: (-t[5], t[0])):
        shape, colour = _QUADRANT_STYLE[quadrant]
        tip = (f"{_clean(p.label)}: {_clean(x_label)} {format_value(p.x, x_format)}, "
               f"{_clean(y_label)} {format_value(p.y, y_format)}")
        parts.append(_point(x, y, shape, r, colour, tip, f' data-quadrant="{quadrant}"'))
    parts.append("</g>")
    priority = {"fix_first": 0, "keep_up": 1, "possible_overkill": 2, "low_priority": 3}
    order = sorted(items, key=lambda t: (priority[t[2]], -t[1].x, t[0]))
    markers = [(x - r, y - r, x + r, y + r) for _, _, _, x, y, r in items]
    bounds = (0.0, frame.top - 14, frame.right + 18, frame.bottom + 4)
    placements = _place_labels([(x, y, r, _text_width(_truncate(p.label)))
                                for _, p, _, x, y, r in order], [*obstacles, *markers], bounds)
    parts.append('<g class="point-labels">')
    for (_, p, *_rest), (tx, baseline, anchor) in zip(order, placements, strict=True):
        parts.append(f'<g class="point-label"><title>{_esc(p.label)}</title>'
                     + _text(tx, baseline, _truncate(p.label), anchor=anchor, extra=_halo())
                     + "</g>")
    return [*parts, "</g>"]


def _place_labels(items: Sequence[tuple[float, float, float, float]], obstacles: Sequence[Box],
                  bounds: Box) -> list[tuple[float, float, str]]:
    """Greedy label placement: for each (x, y, radius, text width), in order, the first of
    eight spots around the marker that overlaps nothing placed so far, else the least bad."""
    placed: list[Box] = []
    result = []
    for x, y, r, w in items:
        spots = [(x + r + 4, y + 4, "start"), (x - r - 4, y + 4, "end"),
                 (x, y - r - 5, "middle"), (x, y + r + 14, "middle"),
                 (x + r + 2, y - r - 3, "start"), (x + r + 2, y + r + 12, "start"),
                 (x - r - 2, y - r - 3, "end"), (x - r - 2, y + r + 12, "end")]
        best: tuple[float, tuple[float, float, str], Box] | None = None
        for tx, baseline, anchor in spots:
            box = _label_box(tx, baseline, w, anchor)
            area = (box[2] - box[0]) * (box[3] - box[1])
            cost = (sum(_overlap(box, other) for other in (*placed, *obstacles))
                    + 5 * (area - _overlap(box, bounds)))
            if best is None or cost < best[0] - 1e-9:
                best = (cost, (tx, baseline, anchor), box)
            if cost == 0:
                break
        assert best is not None
        placed.append(best[2])
        result.append(best[1])
    return result


# ---------------------------------------------------------------- heat map


def heatmap(row_labels: Sequence[str], col_labels: Sequence[str],
            values: Sequence[Sequence[float | None]], *, title: str, value_format: ValueFormat,
            empty_text: str, missing_text: str = "–") -> str:
    """A rows x columns heat map, for example channel x issue.

    Cells run from light (low) to dark (high) along a single-hue ramp that stays ordered in
    greyscale, each with its number printed (white on dark cells). ``None`` or NaN cells are
    white and show ``missing_text``. Column labels are turned 45 degrees when too long for a
    cell. Raises ``ValueError`` when ``values`` is not ``len(row_labels)`` x ``len(col_labels)``.

    >>> svg = heatmap(["App"], ["Refunds"], [[0.42]], title="Negative rate",
    ...               value_format="percent", empty_text="No data")
    >>> ">42%</text>" in svg
    True
    """
    if len(values) != len(row_labels) or any(len(row) != len(col_labels) for row in values):
        raise ValueError(f"values must be {len(row_labels)} rows of {len(col_labels)} numbers")
    grid = [[_finite(v) for v in row] for row in values]
    present = [v for row in grid for v in row if v is not None]
    if not row_labels or not col_labels or not present:
        return _empty_svg(title, empty_text)
    lo = min(0.0, *present) if value_format != "score" else min(present)
    hi = max(present)
    texts = [[missing_text if v is None else format_value(v, value_format) for v in row]
             for row in grid]
    cols = [_truncate(c) for c in col_labels]
    col_w = max(_text_width(c) for c in cols)
    cell_w = max(56.0, max(_text_width(t) for row in texts for t in row) + 16)
    turned = col_w + 10 > max(cell_w, 110.0)  # widen cells up to 110 before turning labels
    cell_w, cell_h = (cell_w if turned else max(cell_w, col_w + 10)), 30.0
    left = max(_text_width(_truncate(r)) for r in row_labels) + 24
    top = 40 + (col_w * 0.71 + 12 if turned else 22)
    width = left + cell_w * len(cols) + (col_w * 0.71 if turned else 16)
    height = top + cell_h * len(row_labels) + 58
    parts = [_svg_open(width, height, title, "heatmap"), _heading(title),
             *_heat_labels(row_labels, cols, col_labels, left, top, cell_w, cell_h, turned)]
    parts.extend(_heat_cells(grid, texts, row_labels, col_labels, (left, top, cell_w, cell_h),
                             (lo, hi)))
    parts.extend(_heat_legend(left, top + cell_h * len(row_labels) + 22, lo, hi, value_format))
    return "\n".join([*parts, "</svg>"])


def _heat_cells(grid: Sequence[Sequence[float | None]], texts: Sequence[Sequence[str]],
                rows: Sequence[str], cols: Sequence[str], layout: Box,
                domain: tuple[float, float]) -> list[str]:
    """One shaded rect (full row / column names on hover) and one number per cell."""
    left, top, cell_w, cell_h = layout
    lo, hi = domain
    parts = ['<g class="cells">']
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            t = 0.5 if hi - lo < 1e-12 else ((v or 0.0) - lo) / (hi - lo)
            fill, edge = ("#ffffff", GRID) if v is None else (_ramp(t), "#ffffff")
            x, y = left + j * cell_w, top + i * cell_h
            tip = f"{_clean(rows[i])} / {_clean(cols[j])}: {texts[i][j]}"
            parts.append(f'<rect class="cell" x="{_f(x)}" y="{_f(y)}" width="{_f(cell_w)}" '
                         f'height="{_f(cell_h)}" fill="{fill}" stroke="{edge}" '
                         f'stroke-width="1"><title>{_esc(tip)}</title></rect>')
            ink = MUTED if v is None else _ink_on(fill)
            parts.append(_text(x + cell_w / 2, y + cell_h / 2 + 4, texts[i][j],
                               anchor="middle", fill=ink, cls="cell-value"))
    return [*parts, "</g>"]


def _heat_labels(rows: Sequence[str], cols: Sequence[str], full_cols: Sequence[str],
                 left: float, top: float, cell_w: float, cell_h: float,
                 turned: bool) -> list[str]:
    parts = ['<g class="row-labels">']
    for i, label in enumerate(rows):
        parts.append(f"<g><title>{_esc(label)}</title>"
                     + _text(left - 8, top + i * cell_h + cell_h / 2 + 4, _truncate(label),
                             anchor="end", cls="row-label") + "</g>")
    parts.append('</g>\n<g class="col-labels">')
    for j, (label, full) in enumerate(zip(cols, full_cols, strict=True)):
        x, y = left + j * cell_w + cell_w / 2, top - 8
        extra = f'transform="rotate(-45 {_f(x)} {_f(y)})"' if turned else ""
        parts.append(f"<g><title>{_esc(full)}</title>"
                     + _text(x, y, label, anchor="start" if turned else "middle",
                             cls="col-label", extra=extra) + "</g>")
    return [*parts, "</g>"]


def _heat_legend(x: float, y: float, lo: float, hi: float, fmt: ValueFormat) -> list[str]:
    """A 160-unit ramp strip with its end values."""
    steps = 20
    parts = ['<g class="legend">']
    for k in range(steps):
        parts.append(f'<rect x="{_f(x + k * 8)}" y="{_f(y)}" width="8.4" height="10" '
                     f'fill="{_ramp(k / (steps - 1))}"/>')
    parts.append(f'<rect x="{_f(x)}" y="{_f(y)}" width="160" height="10" fill="none" '
                 f'stroke="{AXIS}" stroke-width="0.5"/>')
    parts.append(_text(x, y + 24, format_value(lo, fmt), fill=MUTED, cls="legend-min"))
    parts.append(_text(x + 160, y + 24, format_value(hi, fmt), anchor="end", fill=MUTED,
                       cls="legend-max"))
    return [*parts, "</g>"]


# ---------------------------------------------------------------- stacked bars


def stacked_bars(categories: Sequence[str], parts: Sequence[str],
                 shares: Sequence[Sequence[float]], *, title: str,
                 part_labels: Mapping[str, str] | Sequence[str] | None, empty_text: str,
                 part_colours: Sequence[str] | None = None, id_prefix: str | None = None,
                 width: int = 720) -> str:
    """Horizontal 100 % stacked bars, for example negative / neutral / positive by channel.

    ``shares[i][j]`` is part ``j`` of category ``i``; each row is scaled to 100 % (so counts
    work too; negative and non-finite values count as 0; an all-zero row draws an empty bar).
    ``part_labels`` gives display names, as a mapping from part or a list in part order.
    Parts differ by fill (``part_colours``, default ``PART_COLOURS``) and by hatching, defined
    as ``<pattern>`` elements whose ids start with ``id_prefix``; by default the prefix is
    derived from the input, so two different charts on one page do not clash. Percentages are
    printed in segments wide enough to hold them.

    >>> svg = stacked_bars(["App"], ["neg", "pos"], [[1, 3]], title="Sentiment",
    ...                    part_labels=["Negative", "Positive"], empty_text="No data")
    >>> ">75%</text>" in svg
    True
    """
    labels = _part_labels(parts, part_labels)
    colours = list(part_colours or PART_COLOURS)
    if not colours or any(not _COLOUR.fullmatch(c) for c in colours):
        raise ValueError("part_colours must be #rrggbb colours")
    if len(shares) != len(categories) or any(len(row) != len(parts) for row in shares):
        raise ValueError(f"shares must be {len(categories)} rows of {len(parts)} numbers")
    if not categories or not parts:
        return _empty_svg(title, empty_text)
    if id_prefix is None:
        digest = hashlib.sha1(repr((title, list(categories), list(parts),
                                    [list(r) for r in shares])).encode()).hexdigest()
        id_prefix = f"voc-bars-{digest[:10]}"
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", id_prefix)
    fills = [(f"{prefix}-part{j}", colours[j % len(colours)]) for j in range(len(parts))]
    left = min(width * 0.35, max(_text_width(_truncate(c, 28)) for c in categories) + 24)
    legend, legend_h = _bar_legend(labels, fills, 12, width - 12)
    bar_h, gap, top = 24.0, 12.0, 40 + legend_h + 8
    height = top + len(categories) * (bar_h + gap) + 4
    out = [_svg_open(width, height, title, "stacked-bars"), "<defs>",
           *(_pattern(pid, PART_PATTERNS[j % len(PART_PATTERNS)], colour)
             for j, (pid, colour) in enumerate(fills)),
           "</defs>", _heading(title), *legend]
    for i, (category, row) in enumerate(zip(categories, shares, strict=True)):
        out.extend(_bar(category, row, labels, fills, left, width - 16, top + i * (bar_h + gap),
                        bar_h))
    return "\n".join([*out, "</svg>"])


def _part_labels(parts: Sequence[str],
                 part_labels: Mapping[str, str] | Sequence[str] | None) -> list[str]:
    if part_labels is None:
        return [str(p) for p in parts]
    if isinstance(part_labels, Mapping):
        return [str(part_labels.get(p, p)) for p in parts]
    if isinstance(part_labels, str) or len(part_labels) != len(parts):
        raise ValueError(f"part_labels must be a mapping or a list of {len(parts)} labels")
    return [str(label) for label in part_labels]


def _pattern(pid: str, kind: str, colour: str) -> str:
    """A fill pattern: the part's colour with a hatching that tells parts apart in grey."""
    ink = "#ffffff" if _luminance(colour) < 0.3 else "#000000"
    opacity = "0.55" if ink == "#ffffff" else "0.35"
    marks = {
        "diagonal": ("45", '<line x1="0" y1="0" x2="0" y2="6" stroke-width="2.4"/>'),
        "backdiagonal": ("-45", '<line x1="0" y1="0" x2="0" y2="6" stroke-width="2.4"/>'),
        "horizontal": ("0", '<line x1="0" y1="3" x2="6" y2="3" stroke-width="1.6"/>'),
        "crosshatch": ("45", '<path d="M0,0V6M0,3H6" stroke-width="1.4"/>'),
        "dots": ("0", '<circle cx="3" cy="3" r="1.2" stroke="none"/>'),
        "solid": ("0", ""),
    }
    angle, mark = marks[kind]
    turn = f' patternTransform="rotate({angle})"' if angle != "0" else ""
    group = (f'<g stroke="{ink}" fill="{ink}" opacity="{opacity}">{mark}</g>' if mark else "")
    return (f'<pattern id="{pid}" class="part-fill" patternUnits="userSpaceOnUse" width="6" '
            f'height="6"{turn}><rect width="6" height="6" fill="{colour}"/>{group}</pattern>')


def _bar_legend(labels: Sequence[str], fills: Sequence[tuple[str, str]], x0: float,
                x_max: float) -> tuple[list[str], float]:
    """Swatch-and-label legend items laid out in rows; returns markup and its height."""
    parts, x, y = ['<g class="legend">'], x0, 40.0
    for label, (pid, _colour) in zip(labels, fills, strict=True):
        text = _truncate(label)
        item_w = 20 + _text_width(text) + 18
        if x > x0 and x + item_w > x_max:
            x, y = x0, y + 20
        parts.append(f'<g class="legend-item"><rect x="{_f(x)}" y="{_f(y - 11)}" width="14" '
                     f'height="14" fill="url(#{pid})" stroke="{INK}" stroke-width="0.5"/>'
                     + _text(x + 20, y, text) + "</g>")
        x += item_w
    return [*parts, "</g>"], y - 40 + 14


def _bar(category: str, row: Sequence[float], labels: Sequence[str],
         fills: Sequence[tuple[str, str]], x0: float, x1: float, y: float,
         h: float) -> list[str]:
    """One category: its label, an outline and one segment per non-zero part."""
    values = [max(_finite(v) or 0.0, 0.0) for v in row]
    total = sum(values)
    out = [f'<g class="bar"><g><title>{_esc(category)}</title>'
           + _text(x0 - 8, y + h / 2 + 4, _truncate(category, 28), anchor="end",
                   cls="category") + "</g>",
           f'<rect class="bar-frame" x="{_f(x0)}" y="{_f(y)}" width="{_f(x1 - x0)}" '
           f'height="{_f(h)}" fill="none" stroke="{GRID}" stroke-width="1"/>']
    x = x0
    for value, label, (pid, colour) in zip(values, labels, fills, strict=True):
        if total <= 0 or value <= 0:
            continue
        share = value / total
        w = share * (x1 - x0)
        text = format_value(share, "percent")
        tip = f"{_clean(category)} / {_clean(label)}: {text}"
        out.append(f'<rect class="segment" x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" '
                   f'height="{_f(h)}" fill="url(#{pid})" stroke="#ffffff" stroke-width="1">'
                   f"<title>{_esc(tip)}</title></rect>")
        if w >= _text_width(text) + 8:
            out.append(_text(x + w / 2, y + h / 2 + 4, text, anchor="middle",
                             fill=_ink_on(colour), cls="share", extra=_halo(colour)))
        x += w
    return [*out, "</g>"]
