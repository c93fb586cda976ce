// Receipts: drag and drop onto the drop zone, one request per file with its own progress bar;
// the server answers each with the file's row, which htmx then polls. Without JavaScript the
// form posts all chosen files at once. Category search filters the posting category lists.
(function () {
  "use strict";

  function uploadOne(form, file, list) {
    var row = document.createElement("li");
    row.className = "receipt-row receipt-row--sending";
    var name = document.createElement("span");
    name.className = "receipt-row__name";
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    row.appendChild(name);
    row.appendChild(bar);
    list.insertBefore(row, list.firstChild);
    var data = new FormData();
    data.append("files", file);
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("HX-Request", "true");
    if (token) { xhr.setRequestHeader("X-CSRFToken", token.value); }
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { bar.value = Math.round((event.loaded / event.total) * 100); }
    });
    xhr.addEventListener("load", function () {
      var holder = document.createElement("ul");
      holder.innerHTML = xhr.responseText;
      var rows = Array.prototype.slice.call(holder.children);
      rows.forEach(function (child) { list.insertBefore(child, row); });
      list.removeChild(row);
      rows.forEach(function (child) { if (window.htmx) { window.htmx.process(child); } });
      var empty = document.getElementById("receipt-empty");
      if (empty) { empty.remove(); }
    });
    xhr.addEventListener("error", function () {
      row.classList.add("receipt-row--error");
      bar.remove();
      row.appendChild(document.createTextNode(" ✕"));
    });
    xhr.send(data);
  }

  function send(form, files) {
    var list = document.getElementById("receipt-list");
    Array.prototype.forEach.call(files, function (file) { uploadOne(form, file, list); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-dropzone]").forEach(function (zone) {
      var input = zone.querySelector("input[type=file]");
      var submit = zone.querySelector("[data-upload-submit]");
      if (submit) { submit.hidden = true; }
      ["dragenter", "dragover"].forEach(function (type) {
        zone.addEventListener(type, function (event) {
          event.preventDefault();
          zone.classList.add("dropzone--over");
        });
      });
      ["dragleave", "drop"].forEach(function (type) {
        zone.addEventListener(type, function () { zone.classList.remove("dropzone--over"); });
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        if (event.dataTransfer && event.dataTransfer.files.length) { send(zone, event.dataTransfer.files); }
      });
      if (input) {
        input.addEventListener("change", function () {
          if (input.files.length) { send(zone, input.files); }
          input.value = "";
        });
      }
    });
  });

  document.addEventListener("input", function (event) {
    var search = event.target;
    if (!search.matches || !search.matches("[data-category-search]")) { return; }
    var needle = search.value.trim().toLowerCase();
    document.querySelectorAll("select[name$='-category'] option").forEach(function (option) {
      if (!option.value) { return; }
      option.hidden = needle !== "" && option.textContent.toLowerCase().indexOf(needle) === -1;
    });
  });
})();
