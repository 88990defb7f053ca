// A place and its children, drawn over the district's own base layer (basemap.js).
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("place-map");
  if (!el || typeof L === "undefined") { return; }
  L.Icon.Default.mergeOptions({
    imagePath: "",
    iconUrl: el.dataset.markerIcon,
    iconRetinaUrl: el.dataset.markerIcon2x,
    shadowUrl: el.dataset.markerShadow,
  });
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
  var base = window.jicengBaseMap ? jicengBaseMap(map) : Promise.resolve(null);
  fetch(el.dataset.geojsonUrl, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        style: function (f) {
          return f.properties.is_self
            ? { color: "#b71c1c", weight: 3, fillOpacity: 0.03 }
            : { color: "#1565c0", weight: 1.5, fillOpacity: 0.12 };
        },
        onEachFeature: function (f, l) {
          l.bindTooltip(f.properties.name + "（" + f.properties.kind_label + "）");
          if (!f.properties.is_self) { l.on("click", function () { window.location = f.properties.url; }); }
        },
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10] }); } else {
        base.then(function (b) { if (b) { map.fitBounds(b); } else { map.setView([0, 0], 2); } });
      }
      el.dataset.loaded = String(data.features.length);
    });
});
