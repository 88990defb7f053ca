// Cases as coloured dots over the district's own base layer (basemap.js) (overdue red, open amber, closed green).
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("case-map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
  var base = window.jicengBaseMap ? jicengBaseMap(map) : Promise.resolve(null);
  function colour(p) {
    if (p.overdue) { return "#c62828"; }
    if (p.open) { return "#f9a825"; }
    return p.cancelled ? "#9e9e9e" : "#2e7d32";
  }
  fetch(el.dataset.geojsonUrl, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 7, color: colour(f.properties), fillOpacity: 0.8, weight: 1 });
        },
        onEachFeature: function (f, l) {
          var p = f.properties;
          l.bindTooltip(p.number + " " + p.category + "（" + p.status + "）");
          l.on("click", function () { window.location = p.url; });
        },
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17 }); } else {
        map.setView([28.87, 105.44], 13);
        base.then(function (b) { if (b) { map.fitBounds(b); } });
      }
      el.dataset.loaded = String(data.features.length);
      // areas other apps add (未诉先办 hot spots): circles with a label and a link
      (el.dataset.overlays || "").split(" ").filter(Boolean).forEach(function (url) {
        fetch(url, { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (extra) {
            extra.features.forEach(function (f) {
              var p = f.properties, c = f.geometry.coordinates;
              L.circle([c[1], c[0]], { radius: Math.max(p.radius_m, 30), color: "#6a1b9a", weight: 2, fillOpacity: 0.12 })
                .bindTooltip(p.label).on("click", function () { window.location = p.url; }).addTo(map);
            });
            el.dataset.overlaysLoaded = String(extra.features.length);
          });
      });
    });
});
