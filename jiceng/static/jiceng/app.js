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
// Place picker (places/widgets/place_picker.html): a result fills the field, or adds
// a ticked box when the picker takes several places.
document.addEventListener("click", function (evt) {
  var button = evt.target.closest("[data-pick]");
  var picker = button && button.closest("[data-place-picker]");
  if (!picker) { return; }
  evt.preventDefault();
  var results = picker.querySelector(".place-picker-results");
  if (picker.dataset.multiple) {
    var chosen = picker.querySelector("[data-pick-chosen]");
    var taken = Array.prototype.some.call(chosen.querySelectorAll("input"), function (el) { return el.value === button.dataset.pick; });
    if (!taken) {
      var label = document.createElement("label");
      label.className = "form-check-label border rounded px-2 py-1";
      var box = document.createElement("input");
      box.type = "checkbox"; box.className = "form-check-input me-1";
      box.name = picker.dataset.name; box.value = button.dataset.pick; box.checked = true;
      label.appendChild(box);
      label.appendChild(document.createTextNode(button.dataset.pickLabel));
      chosen.appendChild(label);
    }
  } else {
    picker.querySelector("[data-pick-input]").value = button.dataset.pick;
    picker.querySelector("[data-pick-label]").textContent = button.dataset.pickLabel;
  }
  results.innerHTML = "";
});
