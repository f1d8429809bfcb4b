"""Charts drawn from one set of series: plotly JSON for the web page, SVG (matplotlib) for the PDF.

The series functions turn selector rows into plain lists; both renderers read the same lists, so
the web chart and the printed chart always show the same figures.
"""

import io
import itertools
import json
import re

from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from plotly.utils import PlotlyJSONEncoder

BULAN_SINGKAT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
BLUE, RED, GREY, AMBER = "#0b5394", "#c62828", "#90a4ae", "#b26a00"


def trend_series(rows) -> dict:
    """Monthly prevalence with the target line, from `selectors.trend` rows."""
    return {
        "x": [f"{BULAN_SINGKAT[r['bulan'] - 1]} {r['tahun']}" for r in rows],
        "prevalensi": [r["angka"].prevalensi for r in rows],
        "stunting": [r["angka"].stunting for r in rows],
        "diukur": [r["angka"].tbu_valid for r in rows],
        "target": [float(r["target"]) if r["target"] is not None else None for r in rows],
    }


def area_series(rows, limit: int | None = None) -> dict:
    """Prevalence per area (kecamatan, kelurahan, puskesmas), highest first."""
    rows = sorted((r for r in rows if r.sekarang.prevalensi is not None), key=lambda r: -r.sekarang.prevalensi)
    if limit:
        rows = rows[:limit]
    return {
        "x": [r.nama for r in rows],
        "prevalensi": [r.sekarang.prevalensi for r in rows],
        "stunting": [r.sekarang.stunting for r in rows],
        "lokus": [r.lokus for r in rows],
    }


def ranking_series(history) -> dict:
    """Our city's rank and score per assessment year, from `ranking.history`."""
    return {
        "x": [str(h["tahun"]) for h in history],
        "peringkat": [h["peringkat"] for h in history],
        "skor": [float(h["skor"]) for h in history],
        "peserta": [h["peserta"] for h in history],
    }


# --- plotly (web) --------------------------------------------------------------------------------
# Figures are plain plotly.js specs (data + layout): plotly.graph_objects validates every
# attribute in Python, which costs ~40 ms a figure, too slow for a 300 ms dashboard.

# Labels are never cut off: every axis grows its margin to fit its tick labels and title
# (automargin), the legend sits above the plot, so rotated month labels cannot run into it, and
# areas are horizontal bars (a name per row, each label on its own line at any width).
LAYOUT = {
    "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "height": 320,
    "font": {"family": "system-ui, sans-serif", "size": 12},
    "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"}, "separators": ",.",
    "hovermode": "x unified", "plot_bgcolor": "#fff", "paper_bgcolor": "#fff",
}
AXIS = {"automargin": True, "gridcolor": "#e3e8ee"}
# Height of one area's bar: 12 px labels 22 px apart never touch.
ROW_PX = 22
# automargin draws a chart twice when its labels need more room than the margin gives, which
# doubles the time to draw on a slow laptop; margins wide enough from the start (about 7 px a
# character at 12 px) leave automargin as the safety net it is meant to be.
CHAR_PX = 7


def _label_margin(labels) -> int:
    return 16 + CHAR_PX * max((len(str(label)) for label in labels), default=0)


def _json(data, layout) -> str:
    return json.dumps({"data": data, "layout": layout}, cls=PlotlyJSONEncoder)


def trend_plotly(series) -> str:
    data = [{
        "type": "scatter", "x": series["x"], "y": series["prevalensi"], "name": "Prevalensi stunting (%)",
        "mode": "lines+markers", "line": {"color": BLUE, "width": 3},
        "customdata": list(zip(series["stunting"], series["diukur"])),
        "hovertemplate": "%{y:.2f}% (%{customdata[0]} dari %{customdata[1]} balita)<extra></extra>",
    }]
    if any(t is not None for t in series["target"]):
        data.append({
            "type": "scatter", "x": series["x"], "y": series["target"], "name": "Target (%)", "mode": "lines",
            "line": {"color": RED, "dash": "dash", "width": 2, "shape": "hv"},
            "hovertemplate": "target %{y:.1f}%<extra></extra>",
        })
    layout = {
        **LAYOUT, "margin": {"l": 50, "r": 10, "t": 30, "b": 70},
        "xaxis": {**AXIS, "type": "category", "fixedrange": True},
        "yaxis": {**AXIS, "title": {"text": "%"}, "rangemode": "tozero", "fixedrange": True},
    }
    return _json(data, layout)


def area_plotly(series, title: str = "") -> str:
    """Horizontal bars, highest prevalence on top, every area named (46 kelurahan included)."""
    data = [{
        "type": "bar", "orientation": "h", "y": series["x"], "x": series["prevalensi"],
        "customdata": series["stunting"],
        "marker": {"color": [AMBER if lokus else BLUE for lokus in series["lokus"]]},
        "hovertemplate": "%{y}: %{x:.2f}% (%{customdata} balita stunting)<extra></extra>",
    }]
    layout = {
        **LAYOUT, "hovermode": "closest", "height": 70 + ROW_PX * len(series["x"]) + (25 if title else 0),
        "margin": {"l": _label_margin(series["x"]), "r": 15, "t": 35 if title else 10, "b": 45},
        "title": {"text": title, "font": {"size": 13}},
        "xaxis": {**AXIS, "title": {"text": "prevalensi %"}, "rangemode": "tozero", "fixedrange": True},
        "yaxis": {**AXIS, "type": "category", "autorange": "reversed", "tickmode": "array",
                  "tickvals": series["x"], "ticklabelstandoff": 4, "fixedrange": True},
    }
    return _json(data, layout)


def ranking_plotly(series) -> str:
    data = [{
        "type": "scatter", "x": series["x"], "y": series["peringkat"], "mode": "lines+markers+text",
        "text": [f"#{r}" for r in series["peringkat"]], "textposition": "top center", "cliponaxis": False,
        "line": {"color": BLUE, "width": 3}, "customdata": list(zip(series["skor"], series["peserta"])),
        "hovertemplate": "peringkat %{y} dari %{customdata[1]} (skor %{customdata[0]})<extra></extra>",
    }]
    layout = {
        **LAYOUT, "height": 260, "margin": {"l": 70, "r": 20, "t": 25, "b": 30},
        "xaxis": {**AXIS, "type": "category", "fixedrange": True},
        "yaxis": {**AXIS, "title": {"text": "peringkat"}, "autorange": "reversed", "dtick": 1, "fixedrange": True},
    }
    return _json(data, layout)


# --- SVG (PDF) -----------------------------------------------------------------------------------

_chart_ids = itertools.count(1)
SVG_RC = {"svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9, "axes.spines.top": False,
          "axes.spines.right": False, "svg.hashsalt": "pantau-stunting"}


def _svg(draw, size=(7.0, 2.8)) -> str:
    """Render with the SVG canvas directly (no pyplot, no Agg); text stays text in the PDF."""
    with rc_context(SVG_RC):
        fig = Figure(figsize=size)
        FigureCanvasSVG(fig)
        ax = fig.subplots()
        draw(ax)
        ax.grid(axis="y", color="#e3e8ee", linewidth=0.6)
        ax.set_axisbelow(True)
        fig.tight_layout()
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
    text = out.getvalue()
    text = text[text.index("<svg"):]  # drop the XML prolog and doctype: inlined into HTML
    # Several charts share one HTML document: give each its own element ids.
    prefix = f"g{next(_chart_ids)}-"
    return re.sub(r'(id="|href="#|url\(#)([^")]+)', lambda m: m.group(1) + prefix + m.group(2), text)


def _decimal_comma(ax, axis="y", decimals=1):
    fmt = FuncFormatter(lambda v, _: f"{v:.{decimals}f}".replace(".", ","))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def trend_svg(series) -> str:
    def draw(ax):
        xs = list(range(len(series["x"])))
        ys = [v if v is not None else float("nan") for v in series["prevalensi"]]
        ax.plot(xs, ys, marker="o", color=BLUE, linewidth=2, markersize=3.5, label="Prevalensi stunting (%)")
        if any(t is not None for t in series["target"]):
            ts = [t if t is not None else float("nan") for t in series["target"]]
            ax.step(xs, ts, where="post", linestyle="--", color=RED, linewidth=1.5, label="Target (%)")
        step = max(1, len(xs) // 12)
        ax.set_xticks(xs[::step], series["x"][::step], rotation=45, ha="right")
        ax.set_ylim(bottom=0)
        ax.set_ylabel("%")
        _decimal_comma(ax)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False, fontsize=8)

    return _svg(draw)


def area_svg(series, size=(7.0, 3.0)) -> str:
    def draw(ax):
        xs = list(range(len(series["x"])))
        colors = [AMBER if lokus else BLUE for lokus in series["lokus"]]
        ax.bar(xs, series["prevalensi"], color=colors, width=0.7)
        many = len(xs) > 8
        ax.set_xticks(xs, series["x"], rotation=90 if many else 0, ha="center", fontsize=6.5 if len(xs) > 20 else 8)
        ax.set_xlim(-0.7, len(xs) - 0.3)
        ax.set_ylabel("prevalensi %")
        _decimal_comma(ax)

    return _svg(draw, size)


def ranking_svg(series) -> str:
    def draw(ax):
        xs = list(range(len(series["x"])))
        ax.plot(xs, series["peringkat"], marker="o", color=BLUE, linewidth=2)
        for x, rank, score in zip(xs, series["peringkat"], series["skor"]):
            ax.annotate(f"#{rank} ({str(score).replace('.', ',').removesuffix(',0')})", (x, rank),
                        textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8)
        ax.set_xticks(xs, series["x"])
        ax.invert_yaxis()
        ax.set_ylabel("peringkat")
        ax.margins(x=0.15, y=0.3)

    return _svg(draw, size=(6.0, 2.2))
