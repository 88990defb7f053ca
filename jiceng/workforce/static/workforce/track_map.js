// A patrol's map: the district's base layer, the track as a line and the findings
// as points, from the patrol's GeoJSON URL (data-geojson-url).
(function () {
  var el = document.getElementById("track-map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { zoomControl: true });
  map.setView([30.0, 120.0], 14);
  var base = window.jicengBaseMap ? window.jicengBaseMap(map) : Promise.resolve(null);
  fetch(el.dataset.geojsonUrl, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        style: { color: "#c62828", weight: 3 },
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 6, color: "#1565c0" }).bindPopup(f.properties.text || "");
        }
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20] }); }
      else { base.then(function (b) { if (b) { map.fitBounds(b); } }); }
      el.dataset.ready = "1";
    });
})();
