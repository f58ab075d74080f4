// Rows of an inline (questions, liveblog cards, broadcast mentions) in the order the editor
// puts them: dragged by their handle with the mouse, or moved with "Nach oben" / "Nach unten"
// from the keyboard. The order travels in each row's hidden position input (data-inline-position,
// newsroom.admin.ordering, which names the rows), renumbered 0, 1, 2 … in the rows' order after every move; the server
// numbers the rows the same way again, so positions stay unique even without this script.
(function () {
  "use strict";

  var ROW = ".inline-related, tr.form-row";

  function rowsOf(group) {
    return Array.prototype.filter.call(group.querySelectorAll(ROW), function (row) {
      return !row.classList.contains("empty-form") && row.querySelector("input[data-inline-position]");
    });
  }

  function noun(row) {
    // The position input names what the rows are ("Frage", "Sendungshinweis" …).
    return row.querySelector("input[data-inline-position]").getAttribute("data-inline-position") || "Eintrag";
  }

  function renumber(group) {
    rowsOf(group).forEach(function (row, index) {
      var input = row.querySelector("input[data-inline-position]");
      if (input.value !== String(index)) {
        input.value = String(index);
        // The form's guard against leaving with unsaved changes listens for this.
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function announce(group, row) {
    var status = group.querySelector(".inline-order-status");
    var place = rowsOf(group).indexOf(row) + 1;
    if (status) status.textContent = noun(row) + " ist jetzt an Stelle " + place + ".";
  }

  function move(group, row, step) {
    var rows = rowsOf(group);
    var neighbour = rows[rows.indexOf(row) + step];
    if (!neighbour) return false;
    neighbour.parentNode.insertBefore(row, step < 0 ? neighbour : neighbour.nextSibling);
    renumber(group);
    announce(group, row);
    return true;
  }

  function button(label, step, group, row) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "inline-order-move";
    element.textContent = label;
    element.addEventListener("click", function () {
      if (move(group, row, step)) element.focus();  // moving the row took the focus away
    });
    return element;
  }

  function equip(group, row) {
    if (row.querySelector(".inline-order")) return;
    var tools = document.createElement("div");
    tools.className = "inline-order";
    tools.setAttribute("role", "group");
    tools.setAttribute("aria-label", "Reihenfolge");
    var handle = document.createElement("span");
    handle.className = "inline-order-handle";
    handle.title = "Ziehen, um die Reihenfolge zu ändern";
    handle.setAttribute("aria-hidden", "true");
    handle.textContent = "⠿";
    // The handle is what is dragged (the row follows): text in the row's fields stays selectable.
    handle.draggable = true;
    tools.append(handle, button("↑ Nach oben", -1, group, row), button("↓ Nach unten", 1, group, row));
    var cell = row.matches("tr") ? row.querySelector("td.original") || row.cells[0] : null;
    if (cell) cell.append(tools);
    else (row.querySelector(":scope > h3") || row.firstElementChild).after(tools);
  }

  function sortable(group) {
    var dragged = null;
    group.addEventListener("dragstart", function (event) {
      if (!event.target.classList || !event.target.classList.contains("inline-order-handle")) return;
      var row = event.target.closest(ROW);
      if (!row || rowsOf(group).indexOf(row) < 0) return;
      dragged = row;
      row.classList.add("inline-order-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
      event.dataTransfer.setDragImage(row, 16, 16);
    });
    group.addEventListener("dragover", function (event) {
      if (!dragged) return;
      var row = event.target.closest && event.target.closest(ROW);
      if (!row || row === dragged || rowsOf(group).indexOf(row) < 0) return;
      event.preventDefault();
      var box = row.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
    });
    group.addEventListener("drop", function (event) {
      if (dragged) event.preventDefault();
    });
    group.addEventListener("dragend", function () {
      if (!dragged) return;
      dragged.classList.remove("inline-order-dragging");
      renumber(group);
      announce(group, dragged);
      dragged = null;
    });
  }

  function sortByPositions(group) {
    // After unsaved input was restored: the rows follow the positions they came back with.
    var rows = rowsOf(group);
    var numbered = rows.map(function (row, index) {
      var value = row.querySelector("input[data-inline-position]").value;
      return { row: row, key: value === "" ? Infinity : Number(value), index: index };
    });
    numbered.sort(function (a, b) { return a.key - b.key || a.index - b.index; });
    var anchor = rows.length ? rows[rows.length - 1].nextSibling : null;
    numbered.forEach(function (item) { item.row.parentNode.insertBefore(item.row, anchor); });
  }

  function start() {
    document.querySelectorAll(".js-inline-admin-formset").forEach(function (group) {
      if (!group.querySelector("input[data-inline-position]")) return;
      var status = document.createElement("p");
      status.className = "inline-order-status visually-hidden";
      status.setAttribute("role", "status");
      group.prepend(status);
      rowsOf(group).forEach(function (row) { equip(group, row); });
      sortable(group);
    });
  }

  document.addEventListener("formset:added", function (event) {
    var row = event.target;
    var group = row.closest(".js-inline-admin-formset");
    if (group && row.querySelector("input[data-inline-position]")) equip(group, row);
  });
  document.addEventListener("newsroom:restored", function () {
    document.querySelectorAll(".js-inline-admin-formset").forEach(function (group) {
      if (group.querySelector("input[data-inline-position]")) sortByPositions(group);
    });
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
