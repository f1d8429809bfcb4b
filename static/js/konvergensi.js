// konvergensi: drag-and-drop upload with a progress bar and a size/type check before sending.
// The server checks everything again (type by content, size); this only saves a wasted upload.
(function () {
  function setup(root) {
    root.querySelectorAll("[data-dropzone]").forEach(function (zone) {
      if (zone.dataset.ready) { return; }
      zone.dataset.ready = "1";
      var input = zone.querySelector("input[type=file]");
      var form = zone.closest("form");
      var message = form.querySelector("[data-client-error]");
      var maxBytes = parseInt(zone.dataset.maxBytes, 10);
      var accepted = (zone.dataset.accept || "").split(",");

      function check() {
        message.textContent = "";
        var file = input.files[0];
        if (!file) { return true; }
        zone.querySelector("[data-filename]").textContent = file.name;
        var dot = file.name.lastIndexOf(".");
        var ext = dot >= 0 ? file.name.slice(dot).toLowerCase() : "";
        if (accepted.indexOf(ext) < 0) {
          message.textContent = "Berkas \u201c" + file.name + "\u201d tidak diterima: hanya PDF, gambar (PNG/JPG), Excel (XLSX) atau Word (DOCX).";
          return false;
        }
        if (file.size > maxBytes) {
          var mb = (file.size / 1048576).toFixed(1).replace(".", ",");
          message.textContent = "Berkas \u201c" + file.name + "\u201d (" + mb + " MB) terlalu besar. Ukuran maksimal " + zone.dataset.maxMb + " MB.";
          return false;
        }
        return true;
      }

      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("dragover"); });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function () { zone.classList.remove("dragover"); });
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        if (event.dataTransfer.files.length) { input.files = event.dataTransfer.files; check(); }
      });
      input.addEventListener("change", check);
      form.addEventListener("htmx:confirm", function (event) {
        if (!check()) { event.preventDefault(); }
      });
      form.addEventListener("htmx:xhr:progress", function (event) {
        var bar = form.querySelector("progress");
        if (bar && event.detail.lengthComputable) {
          bar.hidden = false;
          bar.value = Math.round(100 * event.detail.loaded / event.detail.total);
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { setup(document); });
  document.addEventListener("htmx:load", function (event) { setup(event.detail.elt); });
})();
