/* The story editor's image dialog: an "Image…" button in the toolbar's media slot opens a
   modal <dialog> (templates/editors/_media_dialog.html) listing the media library, searchable,
   with an upload form; choosing or uploading an image inserts its <figure> (srcset, alt,
   caption, credit) at the caret through NewsroomEditor.insertImage. The browser's modal
   dialog keeps the focus inside and closes on Escape; closing gives the focus back.
   No inline script or style: the site's CSP forbids both. */
(function () {
  "use strict";

  var dialog = document.querySelector("[data-media-dialog]");
  var slot = document.querySelector("[data-editor-slot=\"media\"]");
  if (!dialog || !slot || !window.NewsroomEditor || typeof dialog.showModal !== "function") {
    return;
  }
  var results = dialog.querySelector("[data-media-results]");
  var status = dialog.querySelector("[data-media-status]");
  var more = dialog.querySelector("[data-media-more]");
  var search = dialog.querySelector("[data-media-search]");
  var upload = dialog.querySelector("[data-media-upload]");
  var failure = dialog.querySelector("[data-media-upload-failure]");
  var query = "";
  var nextPage = 1;
  var opener = document.createElement("button");
  var inserted = false;

  opener.type = "button";
  opener.textContent = "Image…";
  opener.title = "Insert an image from the media library, or upload one";
  opener.setAttribute("aria-haspopup", "dialog");
  opener.setAttribute("aria-controls", dialog.id);
  slot.appendChild(opener);

  function choiceButton(image) {
    var item = document.createElement("li");
    var button = document.createElement("button");
    var picture = document.createElement("img");
    var name = document.createElement("span");
    var described = document.createElement("span");
    button.type = "button";
    button.className = "media-choice";
    picture.src = image.thumbnail;
    picture.alt = "";
    picture.width = image.width;
    picture.height = image.height;
    name.className = "visually-hidden";
    name.textContent = "Insert: ";
    described.textContent = image.alt + " (" + image.filename + ", " + image.size + ")";
    button.appendChild(picture);
    button.appendChild(name);
    button.appendChild(described);
    button.addEventListener("click", function () { insert(image.figure); });
    item.appendChild(button);
    return item;
  }

  function load(page) {
    var url = dialog.getAttribute("data-choices-url") + "?page=" + page +
      (query ? "&q=" + encodeURIComponent(query) : "");
    status.textContent = "Loading images…";
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("the library answered " + response.status); }
        return response.json();
      }).then(function (answer) {
        if (page === 1) { results.textContent = ""; }
        answer.images.forEach(function (image) { results.appendChild(choiceButton(image)); });
        nextPage = answer.page + 1;
        more.hidden = !answer.more;
        status.textContent = answer.total === 0 ?
          (query ? "No image matches “" + query + "”." : "No images yet: upload one below.") :
          answer.total + (answer.total === 1 ? " image" : " images") +
          (query ? " match “" + query + "”." : " in the library.");
      }).catch(function (error) {
        status.textContent = "The library could not be loaded (" + error.message + ").";
      });
  }

  function insert(figure) {
    inserted = true;
    dialog.close();
    window.NewsroomEditor.insertImage(figure);
  }

  function showErrors(errors) {
    var first = null;
    Array.prototype.forEach.call(upload.querySelectorAll("[data-media-field]"), function (box) {
      var name = box.getAttribute("data-media-field");
      var input = box.querySelector("input");
      var message = box.querySelector(".error");
      var text = (errors[name] || []).join(" ");
      var hint = input.id + "-hint";
      message.textContent = text;
      message.hidden = !text;
      box.classList.toggle("field-error", !!text);
      if (text) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby",
          (document.getElementById(hint) ? hint + " " : "") + message.id);
        first = first || input;
      } else {
        input.removeAttribute("aria-invalid");
        if (document.getElementById(hint)) { input.setAttribute("aria-describedby", hint); }
        else { input.removeAttribute("aria-describedby"); }
      }
    });
    return first;
  }

  function send(event) {
    event.preventDefault();
    failure.hidden = true;
    fetch(dialog.getAttribute("data-upload-url"), {
      method: "POST", credentials: "same-origin", body: new FormData(upload),
      headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().then(function (answer) { return [response.ok, answer]; });
    }).then(function (result) {
      var answer = result[1];
      if (result[0]) {
        upload.reset();
        showErrors({});
        results.textContent = "";  // listed afresh next time, unsearched: the new image first
        query = "";
        search.reset();
        insert(answer.image.figure);
        return;
      }
      var first = showErrors(answer.errors || {});
      failure.textContent = "The image was not uploaded: please check the fields marked below.";
      failure.hidden = false;
      if (first) { first.focus(); }
    }).catch(function (error) {
      failure.textContent = "The upload failed (" + error.message + "). Please try again.";
      failure.hidden = false;
    });
  }

  opener.addEventListener("click", function () {
    inserted = false;
    dialog.showModal();
    dialog.querySelector("#media-dialog-q").focus();
    if (!results.children.length) { load(1); }
  });
  dialog.querySelector("[data-media-close]").addEventListener("click", function () {
    dialog.close();
  });
  dialog.addEventListener("close", function () {
    if (!inserted) { opener.focus(); }  // after an insertion the caret is in the body
  });
  search.addEventListener("submit", function (event) {
    event.preventDefault();
    query = search.querySelector("input[name=q]").value.trim();
    load(1);
  });
  more.addEventListener("click", function () {
    var focusAfter = results.children.length;
    load(nextPage).then(function () {
      var next = results.children[focusAfter];
      if (next) { next.querySelector("button").focus(); }
    });
  });
  upload.addEventListener("submit", send);
}());
