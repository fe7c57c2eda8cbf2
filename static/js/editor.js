/* The story editor: a formatting toolbar over an editable area, a live preview, a word count
   and autosave, built over the form's plain textarea (which is what is submitted, and what
   works without JavaScript). The server's article sanitiser still cleans whatever arrives.
   No eval, no inline styles: the site's CSP forbids both.

   For the images work: buttons go into [data-editor-slot="media"], and
   NewsroomEditor.insertImage(html) puts markup at the caret of the editor. */
(function () {
  "use strict";

  var AUTOSAVE_MS = 5000;
  // What a paste keeps: headings, paragraphs, lists, links, emphasis, quotes.
  var PASTE_TAGS = {
    H1: "h2", H2: "h2", H3: "h3", H4: "h3", H5: "h3", H6: "h3", P: "p", BR: "br",
    UL: "ul", OL: "ol", LI: "li", A: "a", STRONG: "strong", B: "strong", EM: "em", I: "em",
    BLOCKQUOTE: "blockquote"
  };
  // What a stored story may already hold (the server's article allowlist).
  var STORED_TAGS = {};
  ("H2 H3 H4 H5 H6 P BR HR A EM STRONG B I U S SUB SUP SMALL MARK ABBR CITE Q BLOCKQUOTE CODE " +
   "PRE KBD UL OL LI DL DT DD FIGURE FIGCAPTION IMG TABLE CAPTION THEAD TBODY TFOOT TR TH TD")
    .split(" ").forEach(function (tag) { STORED_TAGS[tag] = tag.toLowerCase(); });
  var STORED_ATTRIBUTES = ["href", "title", "src", "alt", "srcset", "sizes", "width", "height",
                           "colspan", "rowspan", "scope", "datetime"];
  var DROPPED = { SCRIPT: 1, STYLE: 1, HEAD: 1, TITLE: 1, META: 1, LINK: 1, IFRAME: 1,
                  OBJECT: 1, EMBED: 1, TEMPLATE: 1, NOSCRIPT: 1, SVG: 1, MATH: 1, FORM: 1,
                  INPUT: 1, BUTTON: 1, SELECT: 1, TEXTAREA: 1 };

  function safeHref(href) {
    href = (href || "").trim();
    return /^(https?:|mailto:|\/|#)/i.test(href) ? href : null;
  }

  // A span a word processor marked bold or italic (Google Docs does) counts as such.
  function spanTag(node) {
    var style = node.getAttribute("style") || "";
    if (/font-weight\s*:\s*(bold|[6-9]00)/i.test(style)) { return "strong"; }
    if (/font-style\s*:\s*italic/i.test(style)) { return "em"; }
    return null;
  }

  function cleanChildren(source, target, tags, doc) {
    Array.prototype.forEach.call(source.childNodes, function (node) {
      if (node.nodeType === 3) {
        target.appendChild(doc.createTextNode(node.nodeValue));
        return;
      }
      if (node.nodeType !== 1 || DROPPED[node.nodeName.toUpperCase()]) { return; }
      var name = node.nodeName.toUpperCase();
      var tag = tags[name] || (name === "SPAN" && tags === PASTE_TAGS ? spanTag(node) : null);
      if (name === "B" && /^docs-internal-guid/.test(node.id || "")) { tag = null; }
      if (!tag) {  // unknown element: keep its text and allowed children
        cleanChildren(node, target, tags, doc);
        return;
      }
      var element = doc.createElement(tag);
      copyAttributes(node, element, tags);
      cleanChildren(node, element, tags, doc);
      if (tag === "a" && !element.getAttribute("href")) {  // a link without a safe target
        while (element.firstChild) { target.appendChild(element.firstChild); }
        return;
      }
      target.appendChild(element);
    });
  }

  function copyAttributes(node, element, tags) {
    if (tags === PASTE_TAGS) {
      if (element.nodeName === "A" && safeHref(node.getAttribute("href"))) {
        element.setAttribute("href", safeHref(node.getAttribute("href")));
      }
      return;
    }
    STORED_ATTRIBUTES.forEach(function (attribute) {
      var value = node.getAttribute(attribute);
      if (value === null) { return; }
      if ((attribute === "href" || attribute === "src") && !safeHref(value)) { return; }
      element.setAttribute(attribute, value);
    });
  }

  // HTML from the clipboard (or the stored body) reduced to the allowed elements, inertly
  // parsed: nothing in it runs or loads while it is cleaned.
  function clean(html, tags) {
    var parsed = new DOMParser().parseFromString(html, "text/html");
    var holder = document.createElement("div");
    cleanChildren(parsed.body, holder, tags || PASTE_TAGS, document);
    return holder.innerHTML.replace(/<p>\s*<\/p>/g, "");
  }

  function escapeText(text) {
    var holder = document.createElement("div");
    holder.textContent = text;
    return holder.innerHTML;
  }

  function plainToHtml(text) {
    return text.split(/\r?\n\s*\r?\n/).map(function (paragraph) {
      return "<p>" + escapeText(paragraph).replace(/\r?\n/g, "<br>") + "</p>";
    }).join("");
  }

  function Editor(root) {
    this.root = root;
    this.form = root.closest("form");
    this.source = root.querySelector("[data-editor-source]");
    this.toolbar = root.querySelector("[data-editor-toolbar]");
    this.words = root.querySelector("[data-word-count]");
    this.status = root.querySelector("[data-autosave-status]");
    this.preview = document.querySelector("[data-editor-preview]");
    this.autosaveUrl = root.getAttribute("data-autosave-url");
    this.dirty = false;
    this.range = null;
    this.build();
  }

  Editor.prototype.build = function () {
    var source = this.source;
    var area = document.createElement("div");
    area.id = source.id + "-area";
    area.className = "editor-area";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    area.setAttribute("aria-labelledby", source.id + "-label");
    area.setAttribute("aria-describedby", source.getAttribute("aria-describedby") || "");
    area.innerHTML = clean(source.value, STORED_TAGS);
    source.parentNode.insertBefore(area, source);
    source.hidden = true;
    source.setAttribute("aria-hidden", "true");
    this.root.querySelector("label").setAttribute("for", area.id);
    this.area = area;
    this.toolbar.setAttribute("aria-controls", area.id);  // the area exists from now on
    this.toolbar.hidden = false;
    if (this.preview) { this.preview.hidden = false; }
    document.execCommand("defaultParagraphSeparator", false, "p");
    this.listen();
    this.sync(false);
  };

  Editor.prototype.listen = function () {
    var self = this;
    this.toolbar.addEventListener("mousedown", function (event) {
      if (event.target.closest("button")) { event.preventDefault(); }  // keep the selection
    });
    this.toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-command]");
      if (button) { self.run(button.getAttribute("data-command")); }
    });
    this.area.addEventListener("keydown", function (event) { self.shortcut(event); });
    this.area.addEventListener("input", function () { self.sync(true); });
    this.area.addEventListener("paste", function (event) { self.paste(event); });
    document.addEventListener("selectionchange", function () { self.remember(); self.pressed(); });
    ["headline", "standfirst"].forEach(function (id) {
      var input = document.getElementById(id);
      if (input) { input.addEventListener("input", function () { self.sync(true); }); }
    });
    this.form.addEventListener("submit", function () { self.sync(false); self.dirty = false; });
    if (this.autosaveUrl) {
      window.setInterval(function () { self.autosave(); }, AUTOSAVE_MS);
    }
  };

  Editor.prototype.block = function (tags) {
    var node = window.getSelection().anchorNode;
    while (node && node !== this.area) {
      if (node.nodeType === 1 && tags.indexOf(node.nodeName) !== -1) { return node; }
      node = node.parentNode;
    }
    return null;
  };

  Editor.prototype.run = function (command) {
    this.area.focus();
    this.restore();
    if (command === "bold" || command === "italic") {
      document.execCommand(command);
    } else if (command === "list") {
      document.execCommand("insertUnorderedList");
    } else if (command === "numbered") {
      document.execCommand("insertOrderedList");
    } else if (command === "heading") {
      document.execCommand("formatBlock", false, this.block(["H2", "H3"]) ? "p" : "h2");
    } else if (command === "quote") {
      document.execCommand("formatBlock", false, this.block(["BLOCKQUOTE"]) ? "p" : "blockquote");
    } else if (command === "link") {
      this.link();
    }
    this.sync(true);
    this.pressed();
  };

  Editor.prototype.link = function () {
    if (this.block(["A"])) {
      document.execCommand("unlink");
      return;
    }
    var href = safeHref(window.prompt("Link address (https://…)", "https://"));
    if (!href || href === "https://") { return; }
    if (window.getSelection().isCollapsed) {
      document.execCommand("insertHTML", false,
        "<a href=\"" + escapeText(href).replace(/"/g, "&quot;") + "\">" + escapeText(href) + "</a>");
    } else {
      document.execCommand("createLink", false, href);
    }
  };

  Editor.prototype.shortcut = function (event) {
    if (!(event.ctrlKey || event.metaKey)) { return; }
    var key = event.key.toLowerCase();
    var command = null;
    if (event.altKey && (key === "2" || event.code === "Digit2")) { command = "heading"; }
    else if (event.shiftKey && event.code === "Digit8") { command = "list"; }
    else if (event.shiftKey && event.code === "Digit7") { command = "numbered"; }
    else if (event.shiftKey && event.code === "Digit9") { command = "quote"; }
    else if (!event.shiftKey && !event.altKey && key === "b") { command = "bold"; }
    else if (!event.shiftKey && !event.altKey && key === "i") { command = "italic"; }
    else if (!event.shiftKey && !event.altKey && key === "k") { command = "link"; }
    if (command) {
      event.preventDefault();
      this.run(command);
    }
  };

  Editor.prototype.paste = function (event) {
    var data = event.clipboardData;
    if (!data) { return; }
    event.preventDefault();
    var html = data.getData("text/html");
    var cleaned = html ? clean(html, PASTE_TAGS) : plainToHtml(data.getData("text/plain"));
    document.execCommand("insertHTML", false, cleaned);
    this.sync(true);
  };

  Editor.prototype.remember = function () {
    var selection = window.getSelection();
    if (selection.rangeCount && this.area.contains(selection.anchorNode)) {
      this.range = selection.getRangeAt(0).cloneRange();
    }
  };

  Editor.prototype.restore = function () {
    if (!this.range) { return; }
    var selection = window.getSelection();
    if (selection.rangeCount && this.area.contains(selection.anchorNode)) { return; }
    selection.removeAllRanges();
    selection.addRange(this.range);
  };

  Editor.prototype.pressed = function () {
    var self = this;
    var inside = this.area.contains(window.getSelection().anchorNode);
    var states = {
      bold: inside && document.queryCommandState("bold"),
      italic: inside && document.queryCommandState("italic"),
      list: inside && !!this.block(["UL"]),
      numbered: inside && !!this.block(["OL"]),
      heading: inside && !!this.block(["H2", "H3"]),
      quote: inside && !!this.block(["BLOCKQUOTE"]),
      link: inside && !!this.block(["A"])
    };
    Array.prototype.forEach.call(this.toolbar.querySelectorAll("[data-command]"), function (b) {
      b.setAttribute("aria-pressed", states[b.getAttribute("data-command")] ? "true" : "false");
    });
    return self;
  };

  Editor.prototype.sync = function (typed) {
    this.source.value = this.area.innerHTML;
    if (typed) { this.dirty = true; }
    var text = (this.area.innerText || "").trim();
    var count = text ? text.split(/\s+/).length : 0;
    this.words.textContent = count + (count === 1 ? " word" : " words");
    if (!this.preview) { return; }
    var headline = document.getElementById("headline");
    var standfirst = document.getElementById("standfirst");
    // an empty heading is an accessibility error: say the story has no headline yet
    this.preview.querySelector("[data-preview-headline]").textContent =
      (headline && headline.value.trim()) || "Untitled story";
    this.preview.querySelector("[data-preview-standfirst]").textContent = standfirst ? standfirst.value : "";
    this.preview.querySelector("[data-preview-body]").innerHTML = clean(this.area.innerHTML, STORED_TAGS);
  };

  Editor.prototype.field = function (name) {
    var input = this.form.querySelector("[name=\"" + name + "\"]");
    return input ? input.value : "";
  };

  Editor.prototype.autosave = function () {
    if (!this.dirty || this.saving) { return; }
    var self = this;
    this.dirty = false;
    this.saving = true;
    var payload = { version: this.field("version"), headline: this.field("headline"),
                    standfirst: this.field("standfirst"), body: this.source.value };
    fetch(this.autosaveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": this.field("csrf_token") },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().then(function (answer) { return [response.ok, answer]; });
    }).then(function (result) {
      var answer = result[1];
      if (!result[0]) { throw new Error(answer.error || "refused"); }
      self.status.textContent = answer.conflict ||
        ("Unsaved changes kept at " + answer.saved_at_text + ".");
      self.status.classList.toggle("error", !!answer.conflict);
    }).catch(function (error) {
      self.dirty = true;
      self.status.textContent = "Autosave failed (" + error.message + "): keep this page open and save.";
      self.status.classList.add("error");
    }).then(function () { self.saving = false; });
  };

  // A figure at the caret the editor last had (a dialog took the focus since), or at the
  // end: the block holding the caret is split there, as a browser's own insertHTML would put
  // the figure's parts inside the paragraph. The caret ends up after the figure.
  Editor.prototype.insertImage = function (html) {
    var area = this.area;
    var range = this.range;
    var holder = document.createElement("div");
    holder.innerHTML = clean(html, STORED_TAGS);
    var figure = holder.firstElementChild;
    if (!figure) { return; }
    if (!range || !area.contains(range.endContainer)) {
      range = document.createRange();
      range.selectNodeContents(area);
      range.collapse(false);
    }
    var block = range.endContainer;
    while (block !== area && block.parentNode !== area) { block = block.parentNode; }
    if (block === area) {
      area.insertBefore(figure, area.childNodes[range.endOffset] || null);
    } else {
      splitAt(block, range);
      area.insertBefore(figure, block.nextSibling);
      if (!hasContent(block)) { area.removeChild(block); }
    }
    var next = figure.nextElementSibling;
    if (!next) {
      next = document.createElement("p");
      next.appendChild(document.createElement("br"));
      area.appendChild(next);
    }
    area.focus();
    var caret = document.createRange();
    caret.setStart(next, 0);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(caret);
    this.remember();
    this.sync(true);
  };

  function hasContent(node) {
    return !!(node.textContent.trim() || (node.querySelector && node.querySelector("img")));
  }

  // What follows the caret in ``block`` moves to a copy of it placed right after it.
  function splitAt(block, range) {
    if (block.nodeType !== 1 || block.nodeName === "FIGURE") { return; }
    var tail = document.createRange();
    tail.setStart(range.endContainer, range.endOffset);
    tail.setEnd(block, block.childNodes.length);
    var rest = tail.extractContents();
    if (!hasContent(rest)) { return; }
    var after = block.cloneNode(false);
    after.appendChild(rest);
    block.parentNode.insertBefore(after, block.nextSibling);
  }

  var editors = [];
  document.querySelectorAll("[data-editor]").forEach(function (root) {
    if (root.querySelector("[data-editor-source]")) { editors.push(new Editor(root)); }
  });

  window.NewsroomEditor = {
    clean: function (html) { return clean(html, PASTE_TAGS); },
    insertImage: function (html) { if (editors.length) { editors[0].insertImage(html); } }
  };
}());
