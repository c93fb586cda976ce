// The sales editor's keyboard (templates/sales/document_form.html), progressive enhancement:
// every key only clicks a button the page has anyway (↑ ↓ on a row, "Add line"), so the server
// does the change as without JavaScript; afterwards the focus goes back where the user was.
//   Alt+ArrowUp / Alt+ArrowDown in a line: move that line up / down.
//   Alt+N anywhere in the editor: add a line and put the cursor into its name.
// CSP: our own origin only, no inline handlers, no eval.
(function () {
  "use strict";

  var pendingFocus = null;  // the id to focus once the editor is swapped in again
  var ROW_FIELD = /^lines-(\d+)-(\w+)$/;

  function editor() { return document.querySelector("form.sales-editor"); }

  function rowOf(element) {
    var row = element.closest ? element.closest("tr.sales-editor__line") : null;
    return row && editor() && editor().contains(row) ? row : null;
  }

  function press(button, focusId) {
    if (!button || button.disabled) { return false; }
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
      if (press(button, target)) { event.preventDefault(); }
    } else if (event.key === "n" || event.key === "N") {
      var add = form.querySelector("button[value='add:custom']");
      var count = form.querySelectorAll("tr.sales-editor__line").length;
      if (press(add, "id_lines-" + count + "-name")) { event.preventDefault(); }
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

  document.addEventListener("keydown", onKey);
  document.addEventListener("htmx:afterSettle", function () { restoreFocus(); showHint(); });
  document.addEventListener("DOMContentLoaded", showHint);
})();
