// Draws the dashboard charts: each [data-plotly] holds its figure as JSON in a <script> child.
// Runs once the deferred scripts (plotly) have run, and again after every HTMX swap (filters,
// drill-down, sorting). One chart at a time, top first, yielding between charts, so a slow
// laptop paints and answers clicks while the charts further down are still being drawn.
// No mode bar; charts follow their container's width (phone to desktop).
(function () {
  var CONFIG = { responsive: true, displayModeBar: false, displaylogo: false };
  function draw(root) {
    if (!window.Plotly) { return; }
    var queue = Array.prototype.slice.call((root || document).querySelectorAll("[data-plotly]:not([data-drawn])"));
    queue.forEach(function (el) { el.setAttribute("data-drawn", "1"); });
    function next() {
      var el = queue.shift();
      if (!el) { return; }
      var source = el.querySelector("script[type='application/json']");
      if (!source) { next(); return; }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(el, figure.data, figure.layout, CONFIG).then(function () { setTimeout(next, 0); });
    }
    next();
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
