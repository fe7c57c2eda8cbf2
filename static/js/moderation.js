// Progressive enhancement for the moderation desk. Everything works without this script:
// decisions are ordinary CSRF-protected POSTs that return to the next row.
// With it: "select all" and a live count for the bulk form; decisions update the row in place
// (the same POST, sent with fetch); undo from the row; keys j/k/a/r/s/f/u/? (not while typing).
(function () {
  "use strict";

  var queue = document.getElementById("queue");
  var bulk = document.getElementById("bulk");
  var lastDecided = null; // {row, url} of the most recent in-place decision

  function ticks() { return document.querySelectorAll('input[name="ids"][form="bulk"]'); }

  function updateBulkCount() {
    if (!bulk) return;
    var ticked = Array.prototype.filter.call(ticks(), function (box) { return box.checked; }).length;
    var words = ticked === 1 ? "1 comment" : ticked + " comments";
    bulk.querySelectorAll(".bulk-count").forEach(function (el) { el.textContent = words; });
    bulk.querySelectorAll("button[name=action]").forEach(function (button) {
      button.disabled = ticked === 0;
    });
  }

  if (bulk && ticks().length) {
    var label = document.createElement("label");
    var all = document.createElement("input");
    all.type = "checkbox";
    all.addEventListener("change", function () {
      ticks().forEach(function (box) { box.checked = all.checked; });
      updateBulkCount();
    });
    label.appendChild(all);
    label.appendChild(document.createTextNode(" Tick every comment on this page"));
    bulk.insertBefore(label, bulk.querySelector("input[name=reason]").previousElementSibling);
    document.addEventListener("change", function (event) {
      if (event.target.matches('input[name="ids"]')) updateBulkCount();
    });
    updateBulkCount();
  }

  function rows() { return queue ? Array.prototype.slice.call(queue.querySelectorAll(".queue-item")) : []; }
  function current() {
    var active = document.activeElement;
    return active && active.closest ? active.closest(".queue-item") : null;
  }
  function focusRow(row) {
    if (!row) return;
    row.focus();
    row.scrollIntoView({block: "nearest"});
  }
  function move(step) {
    var all = rows();
    var at = all.indexOf(current());
    focusRow(all[at < 0 ? 0 : Math.min(Math.max(at + step, 0), all.length - 1)]);
  }

  function notice(row, message, undoUrl) {
    var box = row.querySelector(".row-notice");
    if (!box) {
      box = document.createElement("p");
      box.className = "row-notice";
      box.setAttribute("role", "status");
      row.insertBefore(box, row.firstChild);
    }
    box.textContent = message + " ";
    if (undoUrl) {
      var undo = document.createElement("button");
      undo.type = "button";
      undo.className = "secondary";
      undo.textContent = "Undo";
      undo.addEventListener("click", function () { sendUndo(row, undoUrl); });
      box.appendChild(undo);
    }
  }

  function post(url, form) {
    var data = new FormData(form);
    return fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"Accept": "application/json"}
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    });
  }

  function setStatus(row, status) {
    row.className = row.className.replace(/\bstatus-\S+/, "status-" + status);
    var badge = row.querySelector(".status-badge");
    if (badge) badge.textContent = status;
    row.querySelectorAll("button[data-status]").forEach(function (button) {
      button.hidden = button.getAttribute("data-status") === status;
    });
  }

  // The pick buttons (data-featured: the state each leads to) and the row's "Editors' pick"
  // badge. Only an approved comment is a pick: any other status ends it on the server too.
  function setPick(row, status, featured) {
    var badge = row.querySelector(".pick-badge");
    if (!badge) return;
    if (status !== "approved") featured = false;
    else if (typeof featured !== "boolean") featured = !badge.hidden;
    badge.hidden = !featured;
    row.querySelectorAll("button[data-featured]").forEach(function (button) {
      var leadsTo = button.getAttribute("data-featured") === "true";
      button.hidden = status !== "approved" || leadsTo === featured;
    });
  }

  function decide(row, button) {
    var form = button.form;
    var url = button.getAttribute("formaction");
    row.setAttribute("aria-busy", "true");
    post(url, form).then(function (answer) {
      row.removeAttribute("aria-busy");
      if (!answer.ok) { notice(row, answer.body.message || "That did not work."); return; }
      setStatus(row, answer.body.status);
      setPick(row, answer.body.status, answer.body.featured);
      row.classList.add("decided");
      notice(row, answer.body.message, answer.body.undo);
      lastDecided = answer.body.undo ? {row: row, url: answer.body.undo} : null;
      var all = rows();
      var next = all.slice(all.indexOf(row) + 1).filter(function (r) {
        return !r.classList.contains("decided");
      })[0];
      focusRow(next || row);
    }).catch(function () { form.requestSubmit(button); });
  }

  function sendUndo(row, url) {
    var form = row.querySelector("form.row-actions");
    post(url, form).then(function (answer) {
      if (!answer.ok) { notice(row, answer.body.message || "That did not work."); return; }
      setStatus(row, answer.body.status);
      setPick(row, answer.body.status, answer.body.featured);
      row.classList.remove("decided");
      notice(row, answer.body.message);
      lastDecided = null;
      focusRow(row);
    });
  }

  if (queue) {
    queue.querySelectorAll("button[data-action]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        decide(button.closest(".queue-item"), button);
      });
    });
  }

  var keys = document.getElementById("keys");
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    var key = event.key;
    if (key === "?") { if (keys) keys.open = !keys.open; event.preventDefault(); return; }
    if (!queue) return;
    if (key === "j" || key === "k") { move(key === "j" ? 1 : -1); event.preventDefault(); return; }
    if (key === "u") {
      if (lastDecided) { sendUndo(lastDecided.row, lastDecided.url); event.preventDefault(); }
      else {
        var notice = document.querySelector(".undo-notice button");
        if (notice) { notice.click(); event.preventDefault(); }
      }
      return;
    }
    var row = current();
    if (!row) return;
    var button = row.querySelector('button[aria-keyshortcuts="' + key + '"]:not([hidden])');
    if (button) { event.preventDefault(); decide(row, button); }
  });
})();
