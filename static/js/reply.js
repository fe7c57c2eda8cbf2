// The reply form's enhancements; without this file every link and form still works.
// - after posting, focus the reader's own comment (the redirect's #comment-<id>);
// - after a refused post, focus the error summary at the top of the form;
// - "Save my name, email, and website": kept in this browser's localStorage, never sent
//   to or rendered by the server, filled in on the next visit, cleared when unticked;
// - "Reply to X" moves the form under that comment, with "Cancel reply" to put it back;
// - on the shared page (the same bytes for every reader, so no one's token is in it), fetch
//   this reader's CSRF token and form timestamp from the form's data-session URL when the
//   form is first focused, or at the latest on submit. Without this file, the first POST is
//   answered with the form again, what was typed kept and both values in it.
(function () {
  "use strict";
  var form = document.getElementById("respond");
  var STORE = "newsroom.commenter";
  var FIELDS = ["name", "email", "website"];

  function focusTarget() {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); return; }
    var match = /^#(comment-\d+)$/.exec(window.location.hash);
    var target = match && document.getElementById(match[1]);
    if (!target) { return; }
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
  }

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  function remembered() {
    var store = storage();
    try { return store && JSON.parse(store.getItem(STORE) || "null"); } catch (error) { return null; }
  }

  function setUpRemember() {
    var box = form.elements.remember;
    var store = storage();
    if (!box || !store) { return; }
    var saved = remembered();
    if (saved) {
      FIELDS.forEach(function (name) {
        var input = form.elements[name];
        if (input && !input.value && typeof saved[name] === "string") { input.value = saved[name]; }
      });
      box.checked = true;
    }
    box.addEventListener("change", function () {
      if (!box.checked) { store.removeItem(STORE); }
    });
    form.addEventListener("submit", function () {
      if (!box.checked) { store.removeItem(STORE); return; }
      var values = {};
      FIELDS.forEach(function (name) { values[name] = form.elements[name].value; });
      store.setItem(STORE, JSON.stringify(values));
    });
  }

  function setUpReplies() {
    if (!form.elements.parent_id) { return; }
    var home = document.createComment("reply form");
    form.parentNode.insertBefore(home, form);
    var heading = form.querySelector("h2");
    var headingText = heading.textContent;

    function note() {
      var existing = form.querySelector(".replying-to");
      if (existing) { return existing; }
      var created = document.createElement("p");
      created.className = "replying-to";
      form.querySelector(".form-note").after(created);
      return created;
    }

    function cancel(link) {
      form.elements.parent_id.value = "";
      var current = form.querySelector(".replying-to");
      if (current) { current.remove(); }
      heading.textContent = headingText;
      home.parentNode.insertBefore(form, home.nextSibling);
      if (link) { link.focus(); } else { form.elements.name.focus(); }
    }

    function replyTo(link) {
      var comment = document.getElementById("comment-" + link.dataset.parentId);
      form.elements.parent_id.value = link.dataset.parentId;
      link.closest("article").after(form);
      heading.textContent = "Reply to " + link.dataset.author;
      var replying = note();
      replying.textContent = "Replying to " + link.dataset.author + ". ";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link cancel-reply";
      button.textContent = "Cancel reply";
      button.addEventListener("click", function () { cancel(link); });
      replying.appendChild(button);
      (comment || form).scrollIntoView({ block: "start" });
      form.elements.name.focus();
    }

    document.querySelectorAll(".reply-link[data-parent-id]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        replyTo(link);
      });
    });
    // A server-rendered "Cancel reply" (after ?replyto=) clears the answer in place.
    var serverCancel = form.querySelector(".replying-to a");
    if (serverCancel) {
      serverCancel.addEventListener("click", function (event) {
        event.preventDefault();
        cancel(null);
      });
    }
  }

  function setUpSession() {
    var url = form.getAttribute("data-session");
    var fields = ["csrf_token", "form_token"].map(function (name) {
      return form.elements[name];
    }).filter(Boolean);
    var pending = null;
    function missing() {
      return fields.some(function (field) { return !field.value; });
    }
    function fetchTokens() {
      if (!pending) {
        pending = window.fetch(url, {
          credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" }
        }).then(function (response) {
          if (!response.ok) { throw new Error("form session " + response.status); }
          return response.json();
        }).then(function (values) {
          fields.forEach(function (field) {
            if (typeof values[field.name] === "string") { field.value = values[field.name]; }
          });
        }).catch(function () {
          pending = null;  // the POST goes without: its answer carries fresh values
        });
      }
      return pending || Promise.resolve();
    }
    if (!url || !window.fetch || !missing()) { return; }
    form.addEventListener("focusin", function () { if (missing()) { fetchTokens(); } });
    form.addEventListener("submit", function (event) {
      if (!missing()) { return; }
      event.preventDefault();
      fetchTokens().then(function () { form.submit(); });
    });
  }

  if (form) {
    setUpSession();
    setUpRemember();
    setUpReplies();
  }
  // After the load event: the browser's own scroll to the URL's #fragment comes first and
  // would otherwise take the focus back to the page.
  if (document.readyState === "complete") {
    focusTarget();
  } else {
    window.addEventListener("load", function () { window.setTimeout(focusTarget, 0); });
  }
})();
