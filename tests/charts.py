"""Checks on a plotly chart as Chromium drew it: every label readable — inside the chart (not
clipped), within the window, and no two tick labels of an axis overlapping."""

# Boxes of the chart's svg and of every non-empty text in it, in CSS pixels of the window.
CHART_TEXTS = """(chart) => {
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  };
  const svg = chart.querySelector('.main-svg');
  const texts = (selector) => [...chart.querySelectorAll(selector)]
    .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
    .map(t => ({text: t.textContent, ...box(t)}));
  return {svg: box(svg), window: window.innerWidth, xticks: texts('.xtick text'), yticks: texts('.ytick text'),
          all: texts('.main-svg text')};
}"""
SLACK = 0.5  # px: rounding of the boxes


def overlap(a, b) -> bool:
    return (a["left"] < b["right"] - SLACK and b["left"] < a["right"] - SLACK
            and a["top"] < b["bottom"] - SLACK and b["top"] < a["bottom"] - SLACK)


def chart_texts(page, selector) -> dict:
    """Scroll the chart into view (responsive charts redraw at their width), then read its texts."""
    chart = page.locator(selector)
    chart.scroll_into_view_if_needed()
    return chart.evaluate(CHART_TEXTS)


def assert_readable(texts: dict, where: str):
    svg = texts["svg"]
    for t in texts["all"]:
        inside = (t["left"] >= svg["left"] - SLACK and t["right"] <= svg["right"] + SLACK
                  and t["top"] >= svg["top"] - SLACK and t["bottom"] <= svg["bottom"] + SLACK)
        assert inside, f"{where}: {t['text']!r} is cut off by the chart's edge ({t} outside {svg})"
        assert t["left"] >= -SLACK and t["right"] <= texts["window"] + SLACK, f"{where}: {t['text']!r} off screen"
    for axis in ("xticks", "yticks"):
        ticks = texts[axis]
        clashes = [(a["text"], b["text"]) for i, a in enumerate(ticks) for b in ticks[i + 1:] if overlap(a, b)]
        assert not clashes, f"{where}: overlapping {axis[0]} tick labels {clashes[:5]}"
