// Django's autocomplete fields (select2) name their text box after the field's label.
// Without a choice, select2's box has no accessible name (axe: aria-input-field-name); the
// label of the underlying <select> gives it one, also in inline rows added later; while it is
// open, its search box is named after the label too.
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

  // Open, select2 shows a search box without a name and a list its box does not point to
  // (axe: label, aria-required-attr): both get what they lack while the list is open.
  function opened(event) {
    var select = event.target;
    var label = select.id && document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
    var search = document.querySelector(".select2-container--open .select2-search__field");
    if (search && label) search.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim() + " suchen");
    var box = select.nextElementSibling && select.nextElementSibling.querySelector(".select2-selection");
    if (box && box.getAttribute("aria-owns")) box.setAttribute("aria-controls", box.getAttribute("aria-owns"));
  }

  function closed(event) {
    var box = event.target.nextElementSibling && event.target.nextElementSibling.querySelector(".select2-selection");
    if (box) box.removeAttribute("aria-controls");
  }

  function listen() {
    // Once every script has run: django.jQuery comes after this file.
    if (!window.django || !window.django.jQuery) return;
    window.django.jQuery(document)
      .on("select2:open", "select.admin-autocomplete", opened)
      .on("select2:close", "select.admin-autocomplete", closed);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", listen);
  else listen();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", soon);
  else soon();
  window.addEventListener("load", soon);
  document.addEventListener("formset:added", soon);
})();
