// Optional help for the workbench's forms; every page works without it.
// Checks an SPDX expression as it is typed, through the API's /api/v1/expr.
(function () {
  "use strict";
  var me = document.querySelector('script[src$="/static/coop.js"]');
  var api = me ? me.src.replace(/\/static\/coop\.js$/, "/api/v1/expr") : "/api/v1/expr";
  function check(input) {
    var out = document.getElementById(input.getAttribute("aria-describedby") || "");
    var text = input.value.trim();
    if (!out) { return; }
    if (!text) { out.textContent = ""; out.className = "live"; input.removeAttribute("aria-invalid"); return; }
    fetch(api + "?expression=" + encodeURIComponent(text), { headers: { accept: "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (input.value.trim() !== text) { return; }
        if (res.ok) {
          out.textContent = "Valid: " + res.body.normalised;
          out.className = "live ok";
          input.removeAttribute("aria-invalid");
        } else {
          out.textContent = res.body.message + (res.body.hint ? " (" + res.body.hint + ")" : "");
          out.className = "live bad";
          input.setAttribute("aria-invalid", "true");
        }
      })
      .catch(function () { out.textContent = ""; });
  }
  document.querySelectorAll("input[data-expression]").forEach(function (input) {
    var timer = null;
    if (!input.getAttribute("aria-describedby")) {
      var div = document.createElement("div");
      div.className = "live"; div.id = input.id + "-live"; div.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", div);
      input.setAttribute("aria-describedby", div.id);
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { check(input); }, 250);
    });
  });
})();
