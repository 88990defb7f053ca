// 一小区一图示: the compound's outline, its buildings (labelled with their
// households), service points and open cases, over the district's own base layer
// (basemap.js, no tiles). The features come from the page's data island.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("atlas-map");
  var island = document.getElementById("atlas-data");
  if (!el || !island || typeof L === "undefined") { return; }
  var data = JSON.parse(island.textContent);
  var wall = el.dataset.wall === "1";
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25, zoomControl: !wall });
  var base = window.jicengBaseMap ? jicengBaseMap(map) : Promise.resolve(null);
  var STYLE = {
    compound: { color: "#2e7d32", weight: 3, fillColor: "#dcedc8", fillOpacity: 0.35 },
    building: { color: "#616161", weight: 1, fillColor: "#ffe0b2", fillOpacity: 0.95 },
    member: { color: "#b71c1c", weight: 1.5, fillColor: "#ef9a9a", fillOpacity: 0.95 },
  };
  // Tooltips and popups take HTML: every name from the database is escaped.
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function buildingLabel(p) {
    return esc(p.name) + (p.households ? " · " + p.households + "户" : "");
  }
  function buildingTip(p) {
    var lines = [p.name, "登记" + p.households + "户"];
    if (p.leads && p.leads.length) { lines.push("楼栋长：" + p.leads.join("；")); }
    if (p.member_households) { lines.push("党员中心户" + p.member_households + "户"); }
    if (p.tags) { lines.push("重点人群" + p.tags + "人"); }
    return lines.map(esc).join("<br>");
  }
  var layer = L.geoJSON(data, {
    style: function (f) {
      var p = f.properties;
      if (p.kind === "compound") { return STYLE.compound; }
      return p.member_households ? STYLE.member : STYLE.building;
    },
    pointToLayer: function (f, latlng) {
      var p = f.properties;
      if (p.kind === "service_point") {
        return L.circleMarker(latlng, { radius: 7, color: "#0d47a1", weight: 2, fillColor: "#1565c0", fillOpacity: 0.9 });
      }
      if (p.kind === "case") {
        return L.circleMarker(latlng, { radius: 5, color: "#b71c1c", weight: 1, fillColor: "#d32f2f", fillOpacity: 0.9 });
      }
      var style = p.kind === "compound" ? STYLE.compound : (p.member_households ? STYLE.member : STYLE.building);
      return L.circleMarker(latlng, L.extend({ radius: 9 }, style));
    },
    onEachFeature: function (f, l) {
      var p = f.properties;
      if (p.kind === "building") {
        l.bindTooltip(buildingLabel(p), { permanent: true, direction: "center", className: "atlas-label" });
        if (!wall) { l.bindPopup(buildingTip(p)); }
      } else if (p.kind === "service_point") {
        l.bindTooltip(esc(p.name + "（" + p.label + "）"), { permanent: wall, direction: "right", className: wall ? "atlas-label" : "" });
      } else if (p.kind === "case") {
        l.bindTooltip(esc(p.name));
      }
    },
  }).addTo(map);
  var bounds = layer.getBounds();
  var ready = bounds.isValid()
    ? Promise.resolve(map.fitBounds(bounds, { padding: [20, 20] }))
    : base.then(function (b) { if (b) { map.fitBounds(b); } else { map.setView([30, 110], 4); } });
  ready.then(function () { el.dataset.ready = String(data.features.length); });
  // The browser's own print dialog lays the poster out anew: redraw at that size.
  window.addEventListener("beforeprint", function () { map.invalidateSize(); });
  var print = document.querySelector("[data-print-poster]");
  if (print) { print.addEventListener("click", function () { window.print(); }); }
});
