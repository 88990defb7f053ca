// jiceng UI helpers. No inline scripts: the CSP allows scripts from this origin only.
document.addEventListener("DOMContentLoaded", function () {
  // Style form widgets rendered by Django with Bootstrap classes.
  document.querySelectorAll("main input:not([type=checkbox]):not([type=radio]):not([type=hidden]):not(.form-control), main textarea:not(.form-control)")
    .forEach(function (el) { el.classList.add("form-control"); });
  document.querySelectorAll("main select:not(.form-select)").forEach(function (el) { el.classList.add("form-select"); });
  document.querySelectorAll("main input[type=checkbox]:not(.form-check-input)").forEach(function (el) { el.classList.add("form-check-input"); });
  document.querySelectorAll(".filter-form input, .filter-form select").forEach(function (el) { el.classList.add("form-control-sm"); });
});
// After an htmx swap, re-apply the same styling to new content.
document.addEventListener("htmx:afterSwap", function (evt) {
  evt.detail.target.querySelectorAll("input:not([type=checkbox]):not([type=hidden]):not(.form-control)").forEach(function (el) { el.classList.add("form-control"); });
});
// Export links follow the list's current filters (htmx updates the URL, not the link).
document.addEventListener("click", function (evt) {
  var link = evt.target.closest("a[data-export-href]");
  if (!link) { return; }
  var params = new URLSearchParams(window.location.search);
  params.delete("page");
  if (link.dataset.exportExtra) {
    new URLSearchParams(link.dataset.exportExtra).forEach(function (v, k) { params.set(k, v); });
  }
  link.href = link.dataset.exportHref + (params.toString() ? "?" + params.toString() : "");
});
