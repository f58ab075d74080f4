// Unsaved input in an admin form is never lost without a word.
//
// - Leaving the form with unsaved changes asks first (beforeunload).
// - What the editor types is kept in this browser (localStorage, per form address) and offered
//   back the next time the same form opens: after a crashed tab, a closed window or an expired
//   session ("Nicht gesicherte Eingaben wiederherstellen?").
// - A successful save discards the copy; a save that comes back with errors keeps it.
//
// The copy carries the version the form was loaded with: restored into a newer version of the
// article, the save meets the server's conflict check instead of overwriting the other edit.
(function () {
  "use strict";

  var PREFIX = "newsroom:unsaved:";
  var SUBMITTED = "newsroom:submitted";
  var SKIP = /^(csrfmiddlewaretoken|_save|_continue|_addanother|_saveasnew)$|__prefix__/;
  var store = window.localStorage;
  var session = window.sessionStorage;

  function settleLastSubmission() {
    var submitted = session.getItem(SUBMITTED);
    if (!submitted) return;
    session.removeItem(SUBMITTED);
    var refused = submitted === location.pathname && document.querySelector(".errornote, .errorlist");
    if (!refused && document.querySelector(".messagelist .success")) store.removeItem(PREFIX + submitted);
  }

  function fieldValues(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || SKIP.test(field.name) || field.disabled) return;
      if (["file", "submit", "button", "reset", "image"].indexOf(field.type) !== -1) return;
      if (field.type === "checkbox") {
        data[field.name] = field.checked;
      } else if (field.type === "radio") {
        if (field.checked) data[field.name] = field.value;
      } else if (field.multiple) {
        data[field.name] = Array.prototype.filter
          .call(field.options, function (option) { return option.selected; })
          .map(function (option) { return option.value; });
      } else {
        data[field.name] = field.value;
      }
    });
    return data;
  }

  function setValue(form, name, value) {
    var fields = form.querySelectorAll('[name="' + name.replace(/"/g, '\\"') + '"]');
    Array.prototype.forEach.call(fields, function (field) {
      if (field.type === "checkbox") field.checked = Boolean(value);
      else if (field.type === "radio") field.checked = field.value === value;
      else if (field.multiple && Array.isArray(value)) {
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = value.indexOf(option.value) !== -1;
        });
      } else field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function addInlineRows(form, values) {
    // Rows added with "Frage hinzufügen" and the like: add as many as the copy has.
    Object.keys(values).forEach(function (name) {
      var match = /^(.+)-TOTAL_FORMS$/.exec(name);
      if (!match || !form.elements[name]) return;
      var link = document.querySelector("#" + CSS.escape(match[1]) + "-group .add-row a");
      var wanted = parseInt(values[name], 10);
      for (var guard = 0; link && parseInt(form.elements[name].value, 10) < wanted && guard < 200; guard++) link.click();
    });
  }

  function differs(saved, current) {
    return Object.keys(saved).some(function (name) {
      return name !== "loaded_version" && JSON.stringify(saved[name]) !== JSON.stringify(current[name]);
    });
  }

  function germanMoment(time) {
    return new Date(time).toLocaleString("de-DE", { dateStyle: "medium", timeStyle: "short" }) + " Uhr";
  }

  function start() {
    settleLastSubmission();
    var form = document.querySelector("#content-main form[id$='_form']");
    if (!form || !store) return;
    var key = PREFIX + location.pathname;
    var dirty = false;
    var offering = false;
    var timer = null;
    var status = document.createElement("p");
    status.className = "unsaved-input-status";
    status.setAttribute("role", "status");
    form.parentNode.insertBefore(status, form);

    function keep() {
      if (offering) return;
      try {
        store.setItem(key, JSON.stringify({ saved: Date.now(), fields: fieldValues(form) }));
      } catch (error) {
        status.textContent = "Ihre Eingaben lassen sich in diesem Browser nicht zwischenspeichern.";
      }
    }

    function edited() {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(keep, 400);
    }

    var stored = null;
    try {
      stored = JSON.parse(store.getItem(key) || "null");
    } catch (error) {
      store.removeItem(key);
    }
    if (stored && stored.fields && differs(stored.fields, fieldValues(form))) {
      offering = true;
      var offer = document.createElement("div");
      offer.className = "unsaved-input-offer";
      offer.setAttribute("role", "region");
      offer.setAttribute("aria-labelledby", "unsaved-input-question");
      offer.innerHTML =
        '<p id="unsaved-input-question"><strong>Nicht gesicherte Eingaben wiederherstellen?</strong> ' +
        "In diesem Browser liegen Eingaben in diesem Formular vom <span></span>, die nicht gesichert wurden.</p>" +
        '<p><button type="button" class="button default" data-choice="restore">Wiederherstellen</button> ' +
        '<button type="button" class="button" data-choice="discard">Verwerfen</button></p>';
      offer.querySelector("span").textContent = germanMoment(stored.saved);
      form.parentNode.insertBefore(offer, form);
      offer.addEventListener("click", function (event) {
        var choice = event.target.getAttribute("data-choice");
        if (!choice) return;
        offering = false;
        offer.remove();
        if (choice === "restore") {
          addInlineRows(form, stored.fields);
          Object.keys(stored.fields).forEach(function (name) { setValue(form, name, stored.fields[name]); });
          // Inline rows take the order of their restored positions (ordering.js).
          document.dispatchEvent(new CustomEvent("newsroom:restored"));
          dirty = true;
          status.textContent = "Eingaben wiederhergestellt – bitte prüfen und sichern.";
          keep();
        } else {
          store.removeItem(key);
          status.textContent = "Die nicht gesicherten Eingaben wurden verworfen.";
        }
        var first = form.querySelector("input:not([type=hidden]), textarea, select");
        if (first) first.focus();
      });
    }

    form.addEventListener("input", edited);
    form.addEventListener("change", edited);
    form.addEventListener("submit", function () {
      dirty = false;
      clearTimeout(timer);
      keep();
      session.setItem(SUBMITTED, location.pathname);
    });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) return;
      keep();
      event.preventDefault();
      event.returnValue = "";
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
