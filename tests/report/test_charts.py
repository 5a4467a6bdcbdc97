"""Tests for voc.report.charts: inline SVG that is well-formed, escaped, honest and stable."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from voc.report.charts import (
    QuadrantPoint,
    Series,
    format_value,
    heatmap,
    line_chart,
    quadrant_chart,
    stacked_bars,
)

SVG = "{http://www.w3.org/2000/svg}"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
NAMES = {"fix_first": "Fix first", "keep_up": "Keep up", "low_priority": "Low priority",
         "possible_overkill": "Possible overkill"}


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def by_class(root: ET.Element, name: str, tag: str = "*") -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}{tag}" if tag != "*" else tag)
            if name in (e.get("class") or "").split()]


def texts(root: ET.Element, name: str) -> list[str]:
    return ["".join(e.itertext()) for e in by_class(root, name, "text")]


def titles(root: ET.Element) -> list[str]:
    return [e.text or "" for e in root.iter(f"{SVG}title")]


def translate(element: ET.Element) -> tuple[float, float]:
    match = re.fullmatch(r"translate\(([-\d.]+),([-\d.]+)\)", element.get("transform", ""))
    assert match, element.attrib
    return float(match[1]), float(match[2])


def a_line(labels: tuple[str, str] = ("Refunds", "Delivery")) -> str:
    return line_chart(["2026-07", "2026-08", "2026-09"],
                      [Series(labels[0], [0.10, 0.20, 0.25]),
                       Series(labels[1], [0.05, None, 0.15])],
                      title="Negative rate", y_label="Share", y_format="percent",
                      empty_text="No data")


def a_quadrant(label: str = "Refund delay") -> str:
    points = [QuadrantPoint(label, 0.9, 0.2, size=40), QuadrantPoint("Packaging", 0.1, 0.9),
              QuadrantPoint("App login", 0.8, 0.8, size=10), QuadrantPoint("Colours", 0.2, 0.1)]
    return quadrant_chart(points, x_label="Importance", y_label="Performance", x_split=0.5,
                          y_split=0.5, quadrant_names=NAMES, title="Priorities",
                          empty_text="No issues")


def a_heatmap(label: str = "Refunds") -> str:
    return heatmap(["App", "Phone"], [label, "Delivery", "Login"],
                   [[0.05, 0.5, None], [0.9, 0.0, 0.33]], title="Negative rate by channel",
                   value_format="percent", empty_text="No data")


def some_bars(label: str = "App", *, id_prefix: str | None = None) -> str:
    return stacked_bars([label, "Phone"], ["negative", "neutral", "positive"],
                        [[0.25, 0.25, 0.5], [0.6, 0.0, 0.4]], title="Sentiment",
                        part_labels={"negative": "Neg", "neutral": "Neu", "positive": "Pos"},
                        empty_text="No data", id_prefix=id_prefix)


CHARTS: dict[str, Callable[[], str]] = {"line": a_line, "quadrant": a_quadrant,
                                        "heatmap": a_heatmap, "bars": some_bars}
HOSTILE: dict[str, Callable[[str], str]] = {
    "line": lambda s: a_line((s, "Delivery")), "quadrant": a_quadrant, "heatmap": a_heatmap,
    "bars": some_bars}


# ---------------------------------------------------------------- all charts


@pytest.mark.parametrize("kind", CHARTS)
def test_charts_are_well_formed_accessible_svg(kind: str) -> None:
    root = parse(CHARTS[kind]())
    assert root.get("role") == "img"
    assert root.get("aria-label")
    assert root[0].tag == f"{SVG}title" and root[0].text == root.get("aria-label")
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", root.get("viewBox", ""))
    assert "sans-serif" in root.get("font-family", "")


@pytest.mark.parametrize("kind", CHARTS)
def test_charts_output_is_deterministic(kind: str) -> None:
    assert CHARTS[kind]() == CHARTS[kind]()


@pytest.mark.parametrize("kind", CHARTS)
def test_charts_have_no_url_but_the_namespace(kind: str) -> None:
    svg = CHARTS[kind]()
    assert re.findall(r"https?:", svg) == ["http:"]
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert not re.search(r"<script|<image|<foreignObject|href=|@import|\son\w+=", svg)


@pytest.mark.parametrize("kind", HOSTILE)
@pytest.mark.parametrize("payload", [SCRIPT, IMG])
def test_charts_escape_untrusted_text(kind: str, payload: str) -> None:
    svg = HOSTILE[kind](payload)
    root = parse(svg)
    assert not [e for e in root.iter() if e.tag.split("}")[-1] in ("script", "img")]
    assert "<script" not in svg and "<img" not in svg
    assert "&lt;" in svg
    assert payload in titles(root)  # the full text round-trips through the markup


@pytest.mark.parametrize("kind", HOSTILE)
def test_charts_drop_characters_xml_cannot_carry(kind: str) -> None:
    root = parse(HOSTILE[kind]("bad\x00\x08 byte\x1b"))
    assert "bad byte" in titles(root)


def test_charts_empty_inputs_show_the_callers_text() -> None:
    empties = [
        line_chart([], [], title="T", y_label="y", y_format="count", empty_text="暂无数据"),
        line_chart(["a", "b"], [Series("s", [None, float("nan")])], title="T", y_label="y",
                   y_format="count", empty_text="暂无数据"),
        quadrant_chart([], x_label="x", y_label="y", x_split=0, y_split=0, quadrant_names={},
                       title="T", empty_text="暂无数据"),
        heatmap([], [], [], title="T", value_format="count", empty_text="暂无数据"),
        heatmap(["r"], ["c"], [[None]], title="T", value_format="count", empty_text="暂无数据"),
        stacked_bars([], ["neg"], [], title="T", part_labels=None, empty_text="暂无数据"),
    ]
    for svg in empties:
        root = parse(svg)
        assert texts(root, "empty-text") == ["暂无数据"]
        assert "voc-chart-empty" in root.get("class", "")
    escaped = parse(line_chart([], [], title="", y_label="", y_format="count",
                               empty_text=SCRIPT))
    assert texts(escaped, "empty-text") == [SCRIPT]


@pytest.mark.parametrize(("value", "fmt", "expected"), [
    (0.125, "percent", "12.5%"), (0.12, "percent", "12%"), (1.0, "percent", "100%"),
    (0.12049, "percent", "12%"), (-0.0001, "percent", "0%"), (1234, "count", "1,234"),
    (2.5, "count", "2.5"), (0.5, "score", "0.50"), (-0.004, "score", "0.00"),
])
def test_charts_format_value(value: float, fmt: str, expected: str) -> None:
    assert format_value(value, fmt, None) == expected  # type: ignore[arg-type]


def test_charts_format_value_rejects_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown value format"):
        format_value(1.0, "money")  # type: ignore[arg-type]


# ---------------------------------------------------------------- line chart


def test_charts_line_breaks_at_gaps_and_marks_every_value() -> None:
    series = [Series("one", [1, 2, None, 4, 5]), Series("two", [3, None, 3, None, 1])]
    root = parse(line_chart(["a", "b", "c", "d", "e"], series, title="T", y_label="n",
                            y_format="count", empty_text="-"))
    one, two = by_class(root, "series", "g")
    assert len(by_class(one, "line", "path")) == 2  # a-b and d-e
    assert len(by_class(two, "line", "path")) == 0  # no two neighbours present
    assert len(by_class(one, "point")) == 4 and len(by_class(two, "point")) == 3
    first, second = (p.get("d", "") for p in by_class(one, "line", "path"))
    assert first.count("L") == 1 and second.count("L") == 1
    assert translate(by_class(one, "point")[1])[0] < translate(by_class(one, "point")[2])[0]


def test_charts_line_series_differ_by_dash_and_marker() -> None:
    root = parse(a_line())
    refunds, delivery = by_class(root, "series", "g")
    assert by_class(refunds, "line", "path")[0].get("stroke-dasharray") is None
    assert delivery.find(f"{SVG}path") is None  # its only run is broken by the gap
    shapes = [[c.tag for c in p if c.tag != f"{SVG}title"] for p in by_class(root, "point")]
    assert shapes[0] == [f"{SVG}circle"] and shapes[-1] == [f"{SVG}rect"]


def test_charts_line_ticks_and_end_labels_carry_formatted_numbers() -> None:
    root = parse(a_line())
    assert texts(root, "tick")[:6] == ["0%", "5%", "10%", "15%", "20%", "25%"]
    labels = [g.find(f"{SVG}text") for g in by_class(root, "end-label", "g")]
    assert ["".join(t.itertext()) for t in labels if t is not None] == [
        "Refunds 25%", "Delivery 15%"]
    assert "Refunds, 2026-08: 20%" in titles(root)


def test_charts_line_end_labels_are_nudged_apart() -> None:
    root = parse(line_chart(["a", "b"], [Series("A", [1, 10]), Series("B", [2, 10]),
                                         Series("C", [3, 10])],
                            title="T", y_label="n", y_format="count", empty_text="-"))
    ys = sorted(float(g.find(f"{SVG}text").get("y", "0"))  # type: ignore[union-attr]
                for g in by_class(root, "end-label", "g"))
    assert ys[1] - ys[0] >= 14 - 0.1 and ys[2] - ys[1] >= 14 - 0.1
    assert len(root.findall(f".//{SVG}g[@class='end-label']/{SVG}line")) >= 2  # leader lines


def test_charts_line_single_x_draws_markers_only() -> None:
    root = parse(line_chart(["2026-09"], [Series("A", [5]), Series("B", [7])], title="T",
                            y_label="n", y_format="count", empty_text="-"))
    assert by_class(root, "line", "path") == []
    assert len(by_class(root, "point")) == 2
    assert translate(by_class(root, "point")[0])[0] == translate(by_class(root, "point")[1])[0]


def test_charts_line_score_axis_need_not_start_at_zero() -> None:
    root = parse(line_chart(["a", "b"], [Series("s", [3.4, 4.1])], title="T", y_label="score",
                            y_format="score", empty_text="-"))
    ticks = texts(root, "tick")
    assert ticks[0] != "0" and float(ticks[0]) <= 3.4 and float(ticks[-3]) >= 4.1


def test_charts_line_rejects_series_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="2 values for 3 x labels"):
        line_chart(["a", "b", "c"], [Series("s", [1, 2])], title="T", y_label="n",
                   y_format="count", empty_text="-")


def test_charts_line_thins_crowded_x_labels_keeping_the_latest() -> None:
    months = [f"2026-{m:02d}-long-label" for m in range(1, 31)]
    root = parse(line_chart(months, [Series("s", list(range(30)))], title="T", y_label="n",
                            y_format="count", empty_text="-"))
    shown = [t for t in texts(root, "tick") if t.startswith("2026")]
    assert 2 < len(shown) < 30 and shown[-1].startswith("2026-30")


# ---------------------------------------------------------------- quadrant chart


def test_charts_quadrant_places_points_in_their_regions() -> None:
    root = parse(a_quadrant())
    split_v, split_h = root.findall(f".//{SVG}g[@class='splits']/{SVG}line")
    sx, sy = float(split_v.get("x1", "0")), float(split_h.get("y1", "0"))
    where = {p.get("data-quadrant"): translate(p) for p in by_class(root, "point")}
    fx, fy = where["fix_first"]
    assert fx > sx and fy > sy  # high importance, low performance: bottom right in SVG
    kx, ky = where["keep_up"]
    assert kx > sx and ky < sy
    ox, oy = where["possible_overkill"]
    assert ox < sx and oy < sy
    lx, ly = where["low_priority"]
    assert lx < sx and ly > sy
    name = by_class(root, "fix-first", "text")[0]
    assert float(name.get("x", "0")) > sx and float(name.get("y", "0")) > sy
    assert texts(root, "quadrant-name") == ["Fix first", "Keep up", "Low priority",
                                            "Possible overkill"]


def test_charts_quadrant_sizes_scale_markers_and_labels_are_truncated() -> None:
    long = "Refund requests take more than three weeks to process"
    root = parse(a_quadrant(long))
    circle = root.find(f".//{SVG}g[@data-quadrant='fix_first']/{SVG}circle")  # size 40: largest
    assert circle is not None and float(circle.get("r", "0")) == pytest.approx(14.0)
    square = root.find(f".//{SVG}g[@data-quadrant='keep_up']/{SVG}rect")  # size 10: area / 4
    assert square is not None and float(square.get("width", "0")) == pytest.approx(16.3)
    triangle = root.find(f".//{SVG}g[@data-quadrant='possible_overkill']/{SVG}polygon")
    assert triangle is not None  # no size: the smallest marker
    label = by_class(root, "point-label", "g")[0]
    shown = "".join(label.find(f"{SVG}text").itertext())  # type: ignore[union-attr]
    assert shown.endswith("…") and len(shown) <= 24
    assert label.find(f"{SVG}title").text == long  # type: ignore[union-attr]


def test_charts_quadrant_labels_do_not_overlap_when_points_crowd() -> None:
    points = [QuadrantPoint(f"Issue {i}", 0.7 + i * 0.001, 0.3) for i in range(4)]
    root = parse(quadrant_chart(points, x_label="x", y_label="y", x_split=0.5, y_split=0.5,
                                quadrant_names={}, title="T", empty_text="-"))
    boxes = []
    for label in by_class(root, "point-label", "g"):
        text = label.find(f"{SVG}text")
        assert text is not None
        boxes.append((float(text.get("x", "0")), float(text.get("y", "0")),
                      text.get("text-anchor", "start")))
    assert len({(round(x), round(y)) for x, y, _ in boxes}) == 4


def test_charts_quadrant_skips_non_finite_points() -> None:
    points = [QuadrantPoint("ok", 1, 1), QuadrantPoint("nan", float("nan"), 1)]
    root = parse(quadrant_chart(points, x_label="x", y_label="y", x_split=0.5, y_split=0.5,
                                quadrant_names={}, title="T", empty_text="-"))
    assert len(by_class(root, "point")) == 1


# ---------------------------------------------------------------- heat map


def test_charts_heatmap_cells_numbers_and_contrast() -> None:
    root = parse(a_heatmap())
    assert len(by_class(root, "cell", "rect")) == 6
    assert texts(root, "cell-value") == ["5%", "50%", "–", "90%", "0%", "33%"]
    values = by_class(root, "cell-value", "text")
    assert values[3].get("fill") == "#ffffff"  # 90 % is a dark cell
    assert values[4].get("fill") == "#222222"  # 0 % is a light cell
    cells = by_class(root, "cell", "rect")
    assert cells[2].get("fill") == "#ffffff"  # missing
    assert texts(root, "row-label") == ["App", "Phone"]
    assert texts(root, "legend-min") == ["0%"] and texts(root, "legend-max") == ["90%"]


def test_charts_heatmap_ramp_gets_darker_with_the_value() -> None:
    root = parse(heatmap(["r"], ["a", "b", "c"], [[1, 5, 9]], title="T", value_format="count",
                         empty_text="-"))
    fills = [c.get("fill", "") for c in by_class(root, "cell", "rect")]
    grey = [sum(int(f[i:i + 2], 16) for i in (1, 3, 5)) for f in fills]
    assert grey[0] > grey[1] > grey[2]


def test_charts_heatmap_turns_long_column_labels() -> None:
    short = parse(a_heatmap("Refunds"))
    long = parse(a_heatmap("Refund requests that are never answered"))
    assert all(t.get("transform") is None for t in by_class(short, "col-label", "text"))
    assert all("rotate(-45" in (t.get("transform") or "")
               for t in by_class(long, "col-label", "text"))


def test_charts_heatmap_rejects_a_ragged_grid() -> None:
    with pytest.raises(ValueError, match="2 rows of 2"):
        heatmap(["a", "b"], ["x", "y"], [[1, 2], [3]], title="T", value_format="count",
                empty_text="-")


# ---------------------------------------------------------------- stacked bars


def test_charts_bars_segments_and_printed_shares() -> None:
    root = parse(some_bars())
    assert len(by_class(root, "bar", "g")) == 2
    assert len(by_class(root, "segment", "rect")) == 5  # Phone has no neutral segment
    assert texts(root, "share") == ["25%", "25%", "50%", "60%", "40%"]
    assert ["".join(g.itertext()) for g in by_class(root, "legend-item", "g")] == [
        "Neg", "Neu", "Pos"]
    assert "Phone / Pos: 40%" in titles(root)


def test_charts_bars_scale_counts_and_skip_narrow_labels() -> None:
    root = parse(stacked_bars(["web"], ["neg", "neu", "pos"], [[1, 0.01, 2.99]], title="T",
                              part_labels=["N", "M", "P"], empty_text="-"))
    assert texts(root, "share") == ["25%", "74.8%"]
    assert "web / M: 0.2%" in titles(root)
    widths = [float(r.get("width", "0")) for r in by_class(root, "segment", "rect")]
    frame = float(by_class(root, "bar-frame", "rect")[0].get("width", "0"))
    assert sum(widths) == pytest.approx(frame, abs=0.2)


def test_charts_bars_parts_differ_by_pattern_and_ids_do_not_clash() -> None:
    one, two = parse(some_bars("App")), parse(some_bars("Web"))
    ids_one = [p.get("id") for p in one.iter(f"{SVG}pattern")]
    ids_two = [p.get("id") for p in two.iter(f"{SVG}pattern")]
    assert len(ids_one) == 3 and not set(ids_one) & set(ids_two)
    for root, ids in ((one, ids_one), (two, ids_two)):
        refs = {re.sub(r"url\(#(.+)\)", r"\1", r.get("fill", ""))
                for r in by_class(root, "segment", "rect")}
        assert refs <= set(ids)
    marks = [len(list(p)) for p in one.iter(f"{SVG}pattern")]
    assert marks == [2, 2, 1]  # hatching, dots, plain
    explicit = parse(some_bars(id_prefix='sent"iment 1'))
    assert [p.get("id") for p in explicit.iter(f"{SVG}pattern")] == [
        "sent-iment-1-part0", "sent-iment-1-part1", "sent-iment-1-part2"]


def test_charts_bars_all_zero_row_draws_an_empty_frame() -> None:
    root = parse(stacked_bars(["a", "b"], ["x", "y"], [[0, 0], [1, 1]], title="T",
                              part_labels=None, empty_text="-"))
    assert len(by_class(root, "bar-frame", "rect")) == 2
    assert len(by_class(root, "segment", "rect")) == 2


def test_charts_bars_reject_mismatched_labels_and_colours() -> None:
    with pytest.raises(ValueError, match="list of 2 labels"):
        stacked_bars(["a"], ["x", "y"], [[1, 1]], title="T", part_labels=["X"],
                     empty_text="-")
    with pytest.raises(ValueError, match="#rrggbb"):
        stacked_bars(["a"], ["x"], [[1]], title="T", part_labels=None, empty_text="-",
                     part_colours=['red"/><script>'])


# ---------------------------------------------------------------- in a real browser


def test_charts_render_in_chromium_without_running_payloads(open_report, tmp_path: Path) -> None:
    payload = '<script>window.__xss.push(1)</script>"><img src=x onerror=window.__xss.push(2)>'
    charts = [HOSTILE[kind](payload) for kind in HOSTILE]
    page = tmp_path / "charts.html"
    page.write_text("<!doctype html><html><head><meta charset='utf-8'><title>charts</title>"
                    "</head><body>" + "".join(f"<div>{svg}</div>" for svg in charts)
                    + "</body></html>", encoding="utf-8")
    with open_report(page, tmp_path / "charts.png") as check:
        assert check.executed_scripts() == 0
        assert check.requests == [] and check.page_errors == [] and check.console_errors == []
        assert check.page.locator("svg.voc-chart").count() == 4
        assert check.page.locator("img, script").count() == 0
