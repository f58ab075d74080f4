// The rich text editor (django-prose-editor) in German and with accessible names: its toolbar
// buttons carry English titles, and its editing area has no name of its own. The buttons are
// named after their data-name, the area after the field's label, also in inline rows added
// later ("Frage hinzufügen").
(function () {
  "use strict";

  var NAMES = {
    bold: "Fett",
    italic: "Kursiv",
    bulletList: "Aufzählung",
    orderedList: "Nummerierte Liste",
    orderedListProperties: "Listen-Einstellungen",
    link: "Link einfügen oder ändern",
    unlink: "Link entfernen",
    hardBreak: "Zeilenumbruch",
    paragraph: "Absatz",
    "history:undo": "Rückgängig",
    "history:redo": "Wiederholen",
    fullscreen: "Vollbild umschalten"
  };

  function nameEditor(editor) {
    editor.querySelectorAll(".prose-menubar__button[data-name]").forEach(function (button) {
      var name = NAMES[button.dataset.name];
      if (name && button.getAttribute("aria-label") !== name) {
        button.title = name;
        button.setAttribute("aria-label", name);
      }
    });
    var textarea = editor.querySelector("textarea");
    var area = editor.querySelector(".ProseMirror");
    var label = textarea && textarea.id && document.querySelector('label[for="' + CSS.escape(textarea.id) + '"]');
    if (area && label && !area.getAttribute("aria-label")) {
      area.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
      if (textarea.hasAttribute("aria-describedby")) {
        area.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
      }
    }
  }

  function nameAll() {
    document.querySelectorAll(".prose-editor").forEach(nameEditor);
  }

  // Editors start as ES modules, after this script: name them as soon as their toolbar appears.
  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var added = records[i].addedNodes;
      for (var j = 0; j < added.length; j++) {
        var node = added[j];
        if (node.nodeType === 1 && (node.matches(".prose-menubar, .ProseMirror, .prose-editor") ||
            node.querySelector(".prose-menubar"))) {
          nameAll();
          return;
        }
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", nameAll);
  else nameAll();

  // Unsaved input given back after a crash or an expired session (unsaved-input.js) lands in
  // the textareas; the editors standing for them show it too. An editor that starts later
  // reads its textarea then.
  var editors = new Map();
  document.addEventListener("prose-editor:ready", function (event) {
    editors.set(event.detail.textarea, event.detail.editor);
  });
  document.addEventListener("newsroom:restored", function () {
    editors.forEach(function (editor, textarea) {
      if (!textarea.isConnected) {
        editors.delete(textarea);
      } else if (editor.getHTML() !== textarea.value) {
        editor.commands.setContent(textarea.value);
      }
    });
  });
})();
