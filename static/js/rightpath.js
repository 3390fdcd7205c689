/* RightPath: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Send the CSRF token with htmx requests (read from the form token Django renders).
  document.addEventListener("htmx:configRequest", function (event) {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) {
      event.detail.headers["X-CSRFToken"] = input.value;
    }
  });

  // Move focus to the error summary so screen-reader users hear what to correct.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  });

  // Buttons with data-confirm ask before a destructive action (the server asks too, on a page of its own).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
