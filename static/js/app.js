// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", function () {
  // Show server-side validation fragments (422) and permission errors returned to HTMX requests.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 422) { event.detail.shouldSwap = true; event.detail.isError = false; }
    if (status === 403) { alert("Akses ditolak: peran atau wilayah Anda tidak berhak melakukan ini."); }
    if (status >= 500) { alert("Terjadi kesalahan pada server. Data Anda belum tersimpan; coba lagi."); }
  });
});

// Rupiah inputs: <input data-rupiah> shows "1.234.567" while typing; the form posts digits only.
function formatRupiahInput(input) {
  var digits = input.value.replace(/\D/g, "").replace(/^0+(?=\d)/, "");
  input.value = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}
document.addEventListener("input", function (event) {
  if (event.target.matches("input[data-rupiah]")) { formatRupiahInput(event.target); }
});
document.addEventListener("submit", function (event) {
  event.target.querySelectorAll("input[data-rupiah]").forEach(function (input) {
    input.value = input.value.replace(/\D/g, "");
  });
}, true);
document.addEventListener("htmx:configRequest", function (event) {
  var params = event.detail.parameters;
  event.detail.elt.querySelectorAll && event.detail.elt.querySelectorAll("input[data-rupiah]").forEach(function (input) {
    if (input.name && params[input.name] !== undefined) { params[input.name] = String(params[input.name]).replace(/\D/g, ""); }
  });
});

// Behaviour by data attribute (the Content-Security-Policy allows no inline handlers):
// <form data-konfirmasi="Hapus …?"> asks first; <select data-kirim-otomatis> submits its form on
// change; <button data-cetak> prints the page.
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-konfirmasi");
  if (question && !window.confirm(question)) { event.preventDefault(); event.stopImmediatePropagation(); }
});
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-kirim-otomatis]") && event.target.form) { event.target.form.submit(); }
});
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-cetak]")) { window.print(); }
});

// Narrow screens: every `.table` becomes one card per row (static/css/app.css, max-width 720px),
// each cell labelled by its column's header through `data-label` (a template may set its own).
// Done here once for every table, on load and after every HTMX swap.
function labelTableCells(root) {
  (root || document).querySelectorAll("table.table").forEach(function (table) {
    var labels = [];
    if (table.tHead) {
      Array.prototype.forEach.call(table.tHead.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var text = cell.textContent.replace(/\s+/g, " ").replace(/[▲▼↑↓]/g, "").trim();
          for (var i = 0; i < (cell.colSpan || 1); i++) { labels[column + i] = text; }
          column += cell.colSpan || 1;
        });
      });
    }
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr, tfoot tr"), function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (!cell.hasAttribute("data-label") && (cell.colSpan || 1) === 1 && labels[column]) {
          cell.setAttribute("data-label", labels[column]);
        }
        column += cell.colSpan || 1;
      });
    });
    if (table.tHead) { table.classList.add("cards"); }
  });
}
document.addEventListener("DOMContentLoaded", function () { labelTableCells(document); });
document.addEventListener("htmx:afterSettle", function (event) { labelTableCells(event.detail.elt.parentNode || document); });
