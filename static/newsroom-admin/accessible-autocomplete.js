// Django's autocomplete fields (select2) name their text box after the field's label.
// Without a choice, select2's box has no accessible name (axe: aria-input-field-name); the
// label of the underlying <select> gives it one, also in inline rows added later.
(function () {
  "use strict";

  function name(select) {
    var label = select.id && document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
    var container = select.nextElementSibling;
    if (!label || !container) return;
    var text = label.textContent.replace(/:\s*$/, "").trim();
    var box = container.querySelector(".select2-selection__rendered");
    if (box && !box.getAttribute("aria-label")) box.setAttribute("aria-label", text);
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(name);
  }

  function soon() { setTimeout(nameAll, 0); }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", soon);
  else soon();
  window.addEventListener("load", soon);
  document.addEventListener("formset:added", soon);
})();
