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
// Searchable pickers (tpps/pilih.py, templates/tpps/widgets/pilih.html): an ARIA combobox whose
// listbox HTMX fills from the search endpoint; the chosen id lives in the hidden input the form
// posts. Arrow keys move, Enter picks, Escape closes, Tab leaves. Without JavaScript the text
// input stays hidden and disabled and a plain <select> inside <noscript> is posted instead.
(function () {
  function parts(el) {
    var box = el.closest("[data-pilih]");
    return box && { box: box, input: box.querySelector("[data-pilih-cari]"), hidden: box.querySelector("[data-pilih-nilai]"),
                    list: box.querySelector("[role=listbox]") };
  }
  function options(p) { return Array.prototype.slice.call(p.list.querySelectorAll("[role=option][data-value]")); }
  function current(p) {
    return options(p).findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
  }
  function close(p) {
    p.list.hidden = true;
    p.list.innerHTML = "";
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
  }
  function highlight(p, index) {
    var opts = options(p);
    if (!opts.length) { return; }
    index = (index + opts.length) % opts.length;
    opts.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
    p.input.setAttribute("aria-activedescendant", opts[index].id);
    opts[index].scrollIntoView({ block: "nearest" });
  }
  function pick(p, option) {
    var label = option.textContent;
    p.hidden.value = option.getAttribute("data-value");
    p.input.value = label;
    p.input.setAttribute("data-pilih-label", label);
    close(p);
    p.hidden.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function init() {
    document.querySelectorAll("[data-pilih-cari][hidden]").forEach(function (input) {
      input.hidden = false;
      input.disabled = false;
    });
  }
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:load", init);
  // The endpoint reads ?q=; the text input's own name tells the server something was typed.
  document.addEventListener("htmx:configRequest", function (event) {
    var input = event.detail.elt;
    if (input.matches && input.matches("[data-pilih-cari]")) {
      event.detail.parameters.q = input.value;
      delete event.detail.parameters[input.name];
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var p = event.detail.target.matches("[role=listbox]") && parts(event.detail.target);
    if (!p || document.activeElement !== p.input) { if (p) { close(p); } return; }
    p.list.hidden = false;
    p.input.setAttribute("aria-expanded", "true");
    highlight(p, 0);
  });
  document.addEventListener("input", function (event) {
    var p = event.target.matches("[data-pilih-cari]") && parts(event.target);
    if (!p || p.input.value === p.input.getAttribute("data-pilih-label")) { return; }
    if (p.hidden.value) {
      // Typing again undoes the choice until a new one is picked.
      p.hidden.value = "";
      p.input.setAttribute("data-pilih-label", "");
      p.hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
  document.addEventListener("keydown", function (event) {
    var p = event.target.matches && event.target.matches("[data-pilih-cari]") && parts(event.target);
    if (!p) { return; }
    var open = !p.list.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) { htmx.trigger(p.input, "pilih:buka"); return; }
      highlight(p, current(p) + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && open) {
      event.preventDefault();
      var opts = options(p), index = current(p);
      if (index >= 0) { pick(p, opts[index]); }
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close(p);
    } else if (event.key === "Tab" && open) {
      close(p);
    }
  });
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest("[data-pilih] [role=option][data-value]");
    if (option) { event.preventDefault(); pick(parts(option), option); }
  });
  document.addEventListener("focusout", function (event) {
    var p = event.target.matches && event.target.matches("[data-pilih-cari]") && parts(event.target);
    if (p && !p.box.contains(event.relatedTarget)) { close(p); }
  });
})();
