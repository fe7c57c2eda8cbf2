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
})();
