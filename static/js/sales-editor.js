// The sales editor's rows and keyboard (templates/sales/document_form.html), progressive
// enhancement. Without JavaScript every row button posts the form and the server answers with
// the whole editor (sales/editing.py); here the row buttons act in the page instead, so that
// a row action in a document of 300 lines costs no round trip:
//   ↑ ↓ ✕ on a row: move the row up / down, remove it;
//   "Add line", "Add text line": a blank row from the page's <template>s (the server's blank rows);
// then every row is numbered again (field names, ids, labels, button values, the management
// form's TOTAL_FORMS), exactly as the server would render it, and the totals region posts the
// form as after any change (the server validates and prices it there, and on sending).
//   Alt+ArrowUp / Alt+ArrowDown in a line: move that line up / down (the focus stays in it).
//   Alt+N anywhere in the editor: add a line and put the cursor into its name.
// Anything else (articles, customers, sending) still goes to the server.
// CSP: our own origin only, no inline handlers, no eval.
(function () {
  "use strict";

  var pendingFocus = null;  // the id to focus once the editor is swapped in again
  var ROW_FIELD = /^lines-(\d+)-(\w+)$/;
  var ROW_ACTION = /^(up|down|remove):(\d+)$/;
  var INDEX = /lines-(\d+|__prefix__)-/g;
  var AMOUNT = /^line-amount-(\d+|__prefix__)$/;

  function editor() { return document.querySelector("form.sales-editor"); }

  function rowOf(element) {
    var row = element.closest ? element.closest("tr.sales-editor__line") : null;
    return row && editor() && editor().contains(row) ? row : null;
  }

  function rows(form) {
    return Array.prototype.slice.call(form.querySelectorAll("table.sales-editor__lines > tbody > tr.sales-editor__line"));
  }

  // ------------------------------------------------------------------ numbering

  // The number a row shows ("Item 3"), as the server rendered it: its index + 1, or __N__
  // in a row from a <template>.
  function shownNumber(row) {
    var index = row.id.replace(/^line-/, "");
    return index === "__prefix__" ? "__N__" : String(parseInt(index, 10) + 1);
  }

  function withNumber(text, old, number) {
    if (old === "__N__") { return text.split(old).join(number); }
    return text.replace(new RegExp("(^|\\D)" + old + "(?!\\d)", "g"), "$1" + number);
  }

  function renumberRow(row, index, count) {
    var old = shownNumber(row);
    var number = String(index + 1);
    var prefix = "lines-" + index + "-";
    if (row.id === "line-" + index && old === number) {
      setEdges(row, index, count);
      return;
    }
    row.id = "line-" + index;
    var elements = row.querySelectorAll("[name], [id], label[for], [aria-describedby], button[value]");
    Array.prototype.forEach.call(elements, function (element) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value && value.indexOf("lines-") !== -1) {
          element.setAttribute(attribute, value.replace(INDEX, prefix));
        }
      });
      if (element.id && AMOUNT.test(element.id)) { element.id = "line-amount-" + index; }
      if (element.tagName === "BUTTON") {
        var action = /^(up|down|remove):(\d+|__prefix__)$/.exec(element.value || "");
        if (action) { element.value = action[1] + ":" + index; }
      }
    });
    Array.prototype.forEach.call(row.querySelectorAll("[aria-label]"), function (element) {
      element.setAttribute("aria-label", withNumber(element.getAttribute("aria-label"), old, number));
    });
    // The screen-reader labels ("Item 3") and the position shown in the first cell.
    var texts = Array.prototype.slice.call(row.querySelectorAll("label, label *"));
    texts.push(row.cells[0]);
    texts.forEach(function (element) {
      Array.prototype.forEach.call(element.childNodes, function (node) {
        if (node.nodeType === 3) { node.nodeValue = withNumber(node.nodeValue, old, number); }
      });
    });
    setEdges(row, index, count);
  }

  function setEdges(row, index, count) {
    var up = row.querySelector("button[value^='up:']");
    var down = row.querySelector("button[value^='down:']");
    if (up) { up.disabled = index === 0; }
    if (down) { down.disabled = index === count - 1; }
  }

  function renumber(form) {
    var all = rows(form);
    all.forEach(function (row, index) { renumberRow(row, index, all.length); });
    var total = form.querySelector("input[name='lines-TOTAL_FORMS']");
    if (total) { total.value = String(all.length); }
    var add = form.querySelector(".sales-editor__add");
    var full = form.querySelector(".sales-editor__full");
    var max = add ? parseInt(add.getAttribute("data-max-lines"), 10) : 0;
    if (add && full && max) {
      add.hidden = all.length >= max;
      full.hidden = all.length < max;
    }
  }

  // The totals region posts the form on "change" (hx-trigger), as after typing. A totals
  // answer that was asked for before a row action is for the rows as they were (its amounts go
  // by row number): it is not swapped in; the one this change asks for follows.
  var rowsVersion = 0;

  function isTotals(event) { return event.detail && event.detail.elt && event.detail.elt.id === "totals"; }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (isTotals(event) && event.detail.xhr) { event.detail.xhr.salesRowsVersion = rowsVersion; }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (isTotals(event) && xhr && xhr.salesRowsVersion !== rowsVersion) { event.detail.shouldSwap = false; }
  });

  function changed(form) {
    rowsVersion += 1;
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // ------------------------------------------------------------------ row actions

  function newRow(form, type) {
    var template = form.querySelector("template.sales-editor__new-line[data-type='" + type + "']");
    var row = template && template.content.querySelector("tr.sales-editor__line");
    return row ? document.importNode(row, true) : null;
  }

  function focusIn(row, field) {
    if (!row) { return; }
    var target = row.querySelector("[name$='-" + field + "']:not([type=hidden])") ||
      row.querySelector("[name$='-name']");
    if (target) { target.focus(); }
  }

  // Moves, removes or adds in the page; false if it cannot (the button then posts as usual).
  function act(form, value, focusField) {
    var all = rows(form);
    var body = all.length ? all[0].parentNode : form.querySelector("table.sales-editor__lines > tbody");
    var row;
    if (value === "add:custom" || value === "add:text") {
      var add = form.querySelector(".sales-editor__add");
      var max = add ? parseInt(add.getAttribute("data-max-lines"), 10) : 0;
      row = newRow(form, value.slice(4));
      if (!row || !body || (max && all.length >= max)) { return false; }
      body.appendChild(row);
      renumber(form);
      focusIn(row, "name");
      changed(form);
      return true;
    }
    var action = ROW_ACTION.exec(value || "");
    if (!action) { return false; }
    var index = parseInt(action[2], 10);
    row = all[index];
    if (!row) { return false; }
    if (action[1] === "remove") {
      var next = all[index + 1] || all[index - 1] || null;
      if (all.length === 1) {
        next = newRow(form, "custom");  // never no row at all, as on the server
        if (!next) { return false; }
        body.appendChild(next);
      }
      body.removeChild(row);
      renumber(form);
      if (next) {
        var button = next.querySelector("button[value^='remove:']");
        if (focusField) { focusIn(next, focusField); } else if (button) { button.focus(); }
      }
      changed(form);
      return true;
    }
    var other = action[1] === "up" ? all[index - 1] : all[index + 1];
    if (!other) { return false; }
    // The other row moves, so the one the focus is in stays where it is in the document.
    if (action[1] === "up") {
      body.insertBefore(other, row.nextSibling);
    } else {
      body.insertBefore(other, row);
    }
    renumber(form);
    if (focusField) { focusIn(row, focusField); }
    changed(form);
    return true;
  }

  function onClick(event) {
    var button = event.target.closest ? event.target.closest("button[name='action']") : null;
    var form = editor();
    if (!button || !form || !form.contains(button) || button.disabled) { return; }
    if (!act(form, button.value, null)) { return; }
    event.preventDefault();
    if (button.disabled) {
      // ↑ on what is now the first row (↓ on the last): the focus goes to its other arrow.
      var row = rowOf(button);
      var other = row && row.querySelector(/^up:/.test(button.value) ? "button[value^='down:']" : "button[value^='up:']");
      if (other && !other.disabled) { other.focus(); }
    }
  }

  // ------------------------------------------------------------------ keyboard

  function press(button, focusId, field) {
    if (!button || button.disabled) { return false; }
    var form = editor();
    if (form && act(form, button.value, field)) { return true; }
    pendingFocus = focusId;
    button.click();
    return true;
  }

  function onKey(event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) { return; }
    var form = editor();
    if (!form || !form.contains(event.target)) { return; }
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      var row = rowOf(event.target);
      var match = row && ROW_FIELD.exec(event.target.name || "");
      if (!row || !match) { return; }
      var index = parseInt(match[1], 10);
      var up = event.key === "ArrowUp";
      var button = row.querySelector("button[value='" + (up ? "up:" : "down:") + index + "']");
      var target = "id_lines-" + (up ? index - 1 : index + 1) + "-" + match[2];
      if (press(button, target, match[2])) { event.preventDefault(); }
    } else if (event.key === "n" || event.key === "N") {
      var add = form.querySelector(".sales-editor__add:not([hidden]) button[value='add:custom']");
      var count = rows(form).length;
      if (press(add, "id_lines-" + count + "-name", "name")) { event.preventDefault(); }
    }
  }

  function restoreFocus() {
    if (!pendingFocus) { return; }
    var element = document.getElementById(pendingFocus);
    pendingFocus = null;
    if (element) { element.focus(); }
  }

  function showHint() {
    var hint = document.getElementById("editor-keys");
    if (hint) { hint.hidden = false; }
  }

  // A quotation row's kind shows at once (its row class), not only when the server renders it.
  function onChange(event) {
    var row = rowOf(event.target);
    if (!row || !/^lines-\d+-position$/.test(event.target.name || "")) { return; }
    ["optional", "alternative"].forEach(function (kind) {
      row.classList.toggle("sales-editor__line--" + kind, event.target.value === kind);
    });
  }

  document.addEventListener("keydown", onKey);
  document.addEventListener("change", onChange);
  document.addEventListener("click", onClick);
  document.addEventListener("htmx:afterSettle", function () { restoreFocus(); showHint(); });
  document.addEventListener("DOMContentLoaded", showHint);
})();
