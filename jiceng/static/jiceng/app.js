// jiceng UI helpers. No inline scripts: the CSP allows scripts from this origin only.
document.addEventListener("DOMContentLoaded", function () {
  // Style form widgets rendered by Django with Bootstrap classes.
  document.querySelectorAll("main input:not([type=checkbox]):not([type=radio]):not([type=hidden]):not(.form-control), main textarea:not(.form-control)")
    .forEach(function (el) { el.classList.add("form-control"); });
  document.querySelectorAll("main select:not(.form-select)").forEach(function (el) { el.classList.add("form-select"); });
  document.querySelectorAll("main input[type=checkbox]:not(.form-check-input)").forEach(function (el) { el.classList.add("form-check-input"); });
  document.querySelectorAll(".filter-panel input:not([type=checkbox]):not([type=radio]), .filter-panel select").forEach(function (el) { el.classList.add(el.tagName === "SELECT" ? "form-select-sm" : "form-control-sm"); });
  jicengReady(document);
});
// After an htmx swap, re-apply the same styling to new content.
document.addEventListener("htmx:afterSwap", function (evt) {
  evt.detail.target.querySelectorAll("input:not([type=checkbox]):not([type=radio]):not([type=hidden]):not(.form-control)").forEach(function (el) { el.classList.add("form-control"); });
  jicengReady(evt.detail.target);
});

// Phone-ready pieces shared by every page (issue 16); run on load and after each swap.
function jicengReady(root) {
  // A .list-cards table becomes cards on phones: each cell carries its column's name.
  root.querySelectorAll("table.list-cards").forEach(function (table) {
    var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    table.querySelectorAll("tbody > tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (td, i) {
        if (names[i] && !td.hasAttribute("data-label") && !td.hasAttribute("colspan")) { td.setAttribute("data-label", names[i]); }
      });
    });
  });
  root.querySelectorAll("input[type=radio]:not(.form-check-input)").forEach(function (el) { el.classList.add("form-check-input"); });
  // Dates: the text field keeps 年-月-日; the calendar button opens the browser's picker.
  root.querySelectorAll("input[data-picker]").forEach(function (input) {
    var field = input.closest(".date-field");
    if (!field || field.querySelector(".date-native")) { return; }
    var native = document.createElement("input");
    native.type = input.dataset.picker;
    native.className = "date-native";
    native.tabIndex = -1;
    native.setAttribute("aria-hidden", "true");
    field.appendChild(native);
    native.addEventListener("change", function () {
      input.value = native.value.replace("T", " ");
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    var open = field.querySelector("[data-picker-open]");
    if (open) {
      open.addEventListener("click", function () {
        native.value = input.value.trim().replace(" ", "T");
        if (native.showPicker) { try { native.showPicker(); return; } catch (e) { /* fall through */ } }
        input.focus();
      });
    }
  });
  root.querySelectorAll(".file-pick input[type=file]").forEach(function (input) {
    input.classList.remove("form-control");
  });
}

// A chosen file's name (or the number of photos) shows beside the Chinese button.
document.addEventListener("change", function (evt) {
  var input = evt.target;
  if (input.matches && input.matches(".file-pick input[type=file]")) {
    var name = input.closest(".file-pick").querySelector(".file-pick-name");
    var files = input.files || [];
    name.textContent = files.length === 0 ? name.dataset.empty : files.length === 1 ? files[0].name : "已选择 " + files.length + " 个文件";
  }
  // The 筛选 button counts the filters in use.
  var panel = input.closest && input.closest("[data-filter-panel]");
  if (panel) { jicengCountFilters(panel); }
});
document.addEventListener("input", function (evt) {
  var panel = evt.target.closest && evt.target.closest("[data-filter-panel]");
  if (panel) { jicengCountFilters(panel); }
});
function jicengCountFilters(panel) {
  var count = 0;
  panel.querySelectorAll("input:not([type=hidden]):not([type=search]), select").forEach(function (el) {
    if (el.classList.contains("date-native")) { return; }
    if (el.type === "checkbox" || el.type === "radio") { if (el.checked) { count += 1; } return; }
    if (el.value && el.value !== "unknown") { count += 1; }
  });
  var badge = panel.querySelector("[data-filter-count]");
  if (badge) { badge.textContent = count; badge.hidden = count === 0; }
}
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
