"""Growth charts of one child as plotly figure dicts (drawn by plotly.js, served locally): the
child's measurements over the WHO −3…+3 SD curves of its sex, and the city's monthly stunting."""

from __future__ import annotations

from balita.growth import engine
from tpps.ages import DAYS_PER_MONTH

SD_STYLE = {  # line colour and dash per SD line
    "sd3": ("#9e9e9e", "dot"), "sd2": ("#f9a825", "dash"), "sd0": ("#2e7d32", "solid"),
    "sd-2": ("#ef6c00", "dash"), "sd-3": ("#c62828", "dot"),
}
SD_LABEL = {"sd3": "+3 SD", "sd2": "+2 SD", "sd0": "Median", "sd-2": "−2 SD", "sd-3": "−3 SD"}


def growth_chart(index: str, jenis_kelamin: str, measurements, title: str, unit: str) -> dict:
    """`index` "tbu" (length/height-for-age) or "bbu" (weight-for-age); `measurements`: rows with
    umur_hari and tinggi/berat."""
    curves = engine.reference_curves(index, jenis_kelamin, step=14)
    months = [round(m, 2) for m in curves["age_months"].tolist()]
    data = []
    for column in ("sd3", "sd2", "sd0", "sd-2", "sd-3"):
        colour, dash = SD_STYLE[column]
        data.append({
            "type": "scatter", "mode": "lines", "name": SD_LABEL[column], "x": months,
            "y": [round(v, 2) for v in curves[column].tolist()], "hoverinfo": "skip",
            "line": {"color": colour, "dash": dash, "width": 1.5},
        })
    field = "tinggi" if index == "tbu" else "berat"
    points = [(m.umur_hari / DAYS_PER_MONTH, float(getattr(m, field)), m.tanggal)
              for m in sorted(measurements, key=lambda m: m.tanggal) if getattr(m, field) is not None]
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
            "title": {"text": title, "font": {"size": 15}},
            "xaxis": {"title": {"text": "Umur (bulan)"}, "range": [0, 60], "dtick": 6},
            "yaxis": {"title": {"text": unit}},
            "margin": {"l": 55, "r": 10, "t": 40, "b": 45},
            "legend": {"orientation": "h", "y": -0.2},
            "height": 380,
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
            "height": 320, "margin": {"l": 50, "r": 50, "t": 20, "b": 70},
            "yaxis": {"title": {"text": "anak"}, "rangemode": "tozero"},
            "yaxis2": {"title": {"text": "%"}, "overlaying": "y", "side": "right", "rangemode": "tozero"},
            "legend": {"orientation": "h", "y": -0.3}, "separators": ",.",
        },
    }
