// Tiny on purpose: the portal works without JavaScript; htmx does the rest.
// CSP allows scripts from our origin only, so nothing here may use eval or inline handlers.
(function () {
  "use strict";

  // htmx does not swap 4xx/5xx answers; tell the user instead of failing silently.
  document.addEventListener("htmx:responseError", function () {
    var toast = document.getElementById("request-error");
    if (toast) { toast.hidden = false; }
  });
  document.addEventListener("htmx:sendError", function () {
    var toast = document.getElementById("request-error");
    if (toast) { toast.hidden = false; }
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var toast = document.getElementById("request-error");
    if (toast) { toast.hidden = true; }
  });

  // Close an open <details> menu when clicking elsewhere or pressing Escape.
  function closeMenus(except) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (menu !== except) { menu.removeAttribute("open"); }
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest ? event.target.closest("details.menu") : null);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closeMenus(null); }
  });
})();
