// Balita pages: draw plotly charts from their JSON (<div data-chart="id of a json_script">),
// one at a time, yielding between charts (a slow laptop paints the first one sooner).
// No mode bar; charts follow their container's width (phone to desktop).
(function () {
  var CONFIG = { responsive: true, displayModeBar: false, displaylogo: false };
  function drawCharts(root) {
    if (!window.Plotly) { return; }
    var queue = Array.prototype.slice.call((root || document).querySelectorAll("[data-chart]"));
    function next() {
      var element = queue.shift();
      if (!element) { return; }
      var source = document.getElementById(element.dataset.chart);
      if (!source) { next(); return; }
      var figure = JSON.parse(source.textContent);
      window.Plotly.react(element, figure.data, figure.layout, CONFIG).then(function () {
        element.setAttribute("data-drawn", "1");
        setTimeout(next, 0);
      });
    }
    next();
  }
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawCharts(event.detail.elt.parentNode || document); });
})();
