// Progressive enhancement only: every link and form works without this file.
(function () {
  "use strict";
  // "Copy link" copies the page URL instead of following the link.
  document.querySelectorAll("[data-copy-url]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!navigator.clipboard) { return; }
      event.preventDefault();
      navigator.clipboard.writeText(link.dataset.copyUrl).then(function () {
        link.textContent = "Link copied";
      });
    });
  });
  // "Reply" fills in the form's parent_id without reloading the page.
  var form = document.getElementById("respond");
  if (!form || !form.elements.parent_id) { return; }
  document.querySelectorAll(".reply-link[data-parent-id]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      form.elements.parent_id.value = link.dataset.parentId;
      var note = form.querySelector(".replying-to");
      if (!note) {
        note = document.createElement("p");
        note.className = "replying-to";
        form.querySelector(".form-note").after(note);
      }
      note.textContent = "Replying to " + link.dataset.author + ". ";
      var cancel = document.createElement("a");
      cancel.href = "#respond";
      cancel.textContent = "Cancel reply";
      cancel.addEventListener("click", function (e) {
        e.preventDefault();
        form.elements.parent_id.value = "";
        note.remove();
      });
      note.appendChild(cancel);
      form.scrollIntoView();
      form.elements.name.focus();
    });
  });
})();
