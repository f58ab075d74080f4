// The clip chooser (media_clips/chooser.py): Django's autocomplete box, whose results show
// the poster, the title, the date and the duration. Loaded after Django's autocomplete.js
// and before the page is ready, it takes over $.fn.djangoAdminSelect2 for the boxes marked
// data-clip-chooser; Django's own code then sets them up, also in rows added later.
(function () {
  "use strict";

  var $ = window.django && window.django.jQuery;
  if (!$ || !$.fn.djangoAdminSelect2) return;
  var djangos = $.fn.djangoAdminSelect2;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function result(clip) {
    if (clip.loading || !clip.id || clip.title === undefined) return clip.text;
    var row = element("span", "clip-choice");
    if (clip.poster) {
      var image = element("img", "clip-choice__poster");
      image.src = clip.poster;
      image.alt = "";  // the title next to it says what the clip is
      image.width = 96;
      image.height = 54;
      image.loading = "lazy";
      row.append(image);
    } else {
      row.append(element("span", "clip-choice__poster clip-choice__poster--none", "ohne Bild"));
    }
    var text = element("span", "clip-choice__text");
    text.append(element("strong", "clip-choice__title", clip.title));
    text.append(element("span", "clip-choice__meta", [clip.date, clip.duration].filter(Boolean).join(" · ")));
    if (clip.placeholder) text.append(element("span", "clip-choice__placeholder", "Platzhalter-Bild"));
    row.append(text);
    return $(row);
  }

  function chooser(element) {
    $(element).select2({
      ajax: {
        data: function (params) {
          return {
            term: params.term,
            page: params.page,
            app_label: element.dataset.appLabel,
            model_name: element.dataset.modelName,
            field_name: element.dataset.fieldName
          };
        }
      },
      templateResult: result
    });
  }

  $.fn.djangoAdminSelect2 = function () {
    djangos.call(this.not("[data-clip-chooser]"));
    $.each(this.filter("[data-clip-chooser]"), function (i, element) { chooser(element); });
    return this;
  };
})();
