// Draws the dashboard charts: each [data-plotly] holds its figure as JSON in a <script> child.
// Runs on page load and again after every HTMX swap (filters, drill-down, sorting).
(function () {
  function draw(root) {
    if (!window.Plotly) { return; }
    (root || document).querySelectorAll("[data-plotly]:not([data-drawn])").forEach(function (el) {
      var source = el.querySelector("script[type='application/json']");
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      el.setAttribute("data-drawn", "1");
      window.Plotly.newPlot(el, figure.data, figure.layout, { responsive: true, displaylogo: false });
    });
  }
  window.addEventListener("load", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
