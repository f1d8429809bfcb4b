"""Growth charts of one child as plotly figure dicts (drawn by plotly.js, served locally): the
child's measurements over the WHO −3…+3 SD curves of its sex, and the city's monthly stunting."""

from __future__ import annotations

import math

from balita.growth import engine
from tpps.ages import DAYS_PER_MONTH

SD_STYLE = {  # line colour and dash per SD line
    "sd3": ("#9e9e9e", "dot"), "sd2": ("#f9a825", "dash"), "sd0": ("#2e7d32", "solid"),
    "sd-2": ("#ef6c00", "dash"), "sd-3": ("#c62828", "dot"),
}
# Below the chart, anchored to its bottom edge: the axes' labels (automargin) never run into it.
LEGEND_BELOW = {"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "y": 0, "yanchor": "bottom"}
SD_LABEL = {"sd3": "+3 SD", "sd2": "+2 SD", "sd0": "Median", "sd-2": "−2 SD", "sd-3": "−3 SD"}


# The growth charts show the child's own ages (plus a margin), not 0–60 months: a 14-month-old's
# five points spread over the chart instead of crowding its left edge.
AGE_MARGIN_MONTHS = 2
MIN_WINDOW_MONTHS = 6
MAX_AGE_MONTHS = 60


def age_window(ages_months: list[float]) -> tuple[float, float]:
    """(first, last) month the chart shows: the child's ages with a margin, at least six months
    wide, within 0–60."""
    if not ages_months:
        return 0, MAX_AGE_MONTHS
    low = max(0, math.floor(min(ages_months)) - AGE_MARGIN_MONTHS)
    high = min(MAX_AGE_MONTHS, math.ceil(max(ages_months)) + AGE_MARGIN_MONTHS)
    if high - low < MIN_WINDOW_MONTHS:
        low = max(0, min((low + high - MIN_WINDOW_MONTHS) / 2, MAX_AGE_MONTHS - MIN_WINDOW_MONTHS))
        high = low + MIN_WINDOW_MONTHS
    return low, high


def growth_chart(index: str, jenis_kelamin: str, measurements, title: str, unit: str) -> dict:
    """`index` "tbu" (length/height-for-age) or "bbu" (weight-for-age); `measurements`: rows with
    umur_hari and tinggi/berat. The WHO lines are cut to the child's age window, so the y axis
    fits what is shown."""
    field = "tinggi" if index == "tbu" else "berat"
    points = [(m.umur_hari / DAYS_PER_MONTH, float(getattr(m, field)), m.tanggal)
              for m in sorted(measurements, key=lambda m: m.tanggal) if getattr(m, field) is not None]
    low, high = age_window([p[0] for p in points])
    curves = engine.reference_curves(index, jenis_kelamin, step=7)
    curves = curves[(curves["age_months"] >= low - 0.25) & (curves["age_months"] <= high + 0.25)]
    months = [round(m, 2) for m in curves["age_months"].tolist()]
    data = []
    for column in ("sd3", "sd2", "sd0", "sd-2", "sd-3"):
        colour, dash = SD_STYLE[column]
        data.append({
            "type": "scatter", "mode": "lines", "name": SD_LABEL[column], "x": months,
            "y": [round(v, 2) for v in curves[column].tolist()], "hoverinfo": "skip",
            "line": {"color": colour, "dash": dash, "width": 1.5},
        })
    data.append({
        "type": "scatter", "mode": "lines+markers", "name": "Anak",
        "x": [round(p[0], 2) for p in points], "y": [p[1] for p in points],
        "text": [p[2].strftime("%d/%m/%Y") for p in points],
        "hovertemplate": "%{text}<br>umur %{x:.1f} bl<br>%{y} " + unit + "<extra></extra>",
        "line": {"color": "#0b5394", "width": 2.5}, "marker": {"size": 7},
    })
    return {
        "data": data,
        "layout": {
            "title": {"text": title, "font": {"size": 13}, "x": 0, "xanchor": "left", "xref": "paper"},
            "xaxis": {"title": {"text": "Umur (bulan)"}, "range": [low, high], "automargin": True,
                      "dtick": 1 if high - low <= 12 else 3 if high - low <= 30 else 6, "fixedrange": True},
            "yaxis": {"title": {"text": unit}, "automargin": True, "fixedrange": True},
            "margin": {"l": 55, "r": 10, "t": 40, "b": 110},
            "legend": LEGEND_BELOW,
            "height": 420,
            "separators": ",.",
        },
    }


def monthly_chart(rows: list[dict]) -> dict:
    """Stunted children (bars) and prevalence (line) month by month."""
    labels = [row["label"] for row in rows]
    return {
        "data": [
            {"type": "bar", "name": "Balita stunting", "x": labels, "y": [row["angka"].stunting for row in rows],
             "marker": {"color": "#ef6c00"}},
            {"type": "scatter", "mode": "lines+markers", "name": "Prevalensi (%)", "x": labels,
             "y": [row["angka"].prevalensi for row in rows], "yaxis": "y2", "line": {"color": "#0b5394"}},
        ],
        "layout": {
            "height": 360, "margin": {"l": 55, "r": 55, "t": 10, "b": 120},
            "xaxis": {"type": "category", "automargin": True, "fixedrange": True},
            "yaxis": {"title": {"text": "anak"}, "rangemode": "tozero", "automargin": True, "fixedrange": True},
            # Ticks of its own (round percentages), not the bar axis's grid carried over.
            "yaxis2": {"title": {"text": "%"}, "overlaying": "y", "side": "right", "rangemode": "tozero",
                       "tickmode": "auto", "showgrid": False, "automargin": True, "fixedrange": True},
            "legend": LEGEND_BELOW, "separators": ",.",
        },
    }
