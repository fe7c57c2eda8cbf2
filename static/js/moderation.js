// Progressive enhancement for the moderation desk: a "select all" box for the bulk form.
// Everything on the desk works without this script.
document.querySelectorAll("form#bulk").forEach(function (form) {
  var boxes = document.querySelectorAll('input[name="ids"][form="bulk"]');
  if (!boxes.length) return;
  var label = document.createElement("label");
  var all = document.createElement("input");
  all.type = "checkbox";
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
  label.appendChild(all);
  label.appendChild(document.createTextNode(" Select all on this page"));
  form.insertBefore(label, form.firstChild);
});
