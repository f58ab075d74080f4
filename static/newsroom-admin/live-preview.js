// "Live-Vorschau": the article page from the form's unsaved state, beside the form. Typing
// (debounced) sends the form to the admin's live-preview view, which renders the real template
// in a transaction it rolls back: nothing is saved. Phone and desktop widths.
(function () {
  "use strict";

  function start() {
    var panel = document.getElementById("live-preview");
    var form = document.getElementById("article_form");
    var toggle = document.getElementById("live-preview-toggle");
    if (!panel || !form || !toggle) return;
    var frame = panel.querySelector("iframe");
    var status = panel.querySelector(".live-preview__status");
    var timer = null;
    var running = false;
    var again = false;

    function refresh() {
      if (running) { again = true; return; }
      running = true;
      status.textContent = "Wird aktualisiert …";
      var data = new FormData(form);
      fetch(panel.dataset.url, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          return response.text().then(function (html) {
            frame.srcdoc = html;
            status.textContent = response.ok
              ? "Stand " + new Date().toLocaleTimeString("de-DE") + " – nicht gesichert"
              : "Vorschau nicht möglich – siehe Hinweise";
          });
        })
        .catch(function () {
          status.textContent = "Vorschau gerade nicht erreichbar – Ihre Eingaben bleiben im Formular.";
        })
        .finally(function () {
          running = false;
          if (again) { again = false; refresh(); }
        });
    }

    function soon() {
      if (panel.hidden) return;
      clearTimeout(timer);
      timer = setTimeout(refresh, 500);
    }

    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
    toggle.addEventListener("click", function () {
      panel.hidden = !panel.hidden;
      toggle.setAttribute("aria-expanded", String(!panel.hidden));
      document.body.classList.toggle("live-preview-open", !panel.hidden);
      if (!panel.hidden) refresh();
    });
    panel.querySelectorAll("[data-width]").forEach(function (button) {
      button.addEventListener("click", function () {
        frame.style.width = button.dataset.width;
        panel.querySelectorAll("[data-width]").forEach(function (other) {
          other.setAttribute("aria-pressed", String(other === button));
        });
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
