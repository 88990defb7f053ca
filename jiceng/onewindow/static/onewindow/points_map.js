// Service points on a blank canvas (no outside tiles): one marker per point.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("points-map");
  var data = document.getElementById("points-data");
  if (!el || !data || typeof L === "undefined") { return; }
  L.Icon.Default.mergeOptions({
    imagePath: "",
    iconUrl: el.dataset.markerIcon,
    iconRetinaUrl: el.dataset.markerIcon2x,
    shadowUrl: el.dataset.markerShadow,
  });
  var points = JSON.parse(data.textContent);
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
  if (el.dataset.tileUrl) { L.tileLayer(el.dataset.tileUrl, { maxZoom: 19 }).addTo(map); }
  var layer = L.featureGroup();
  points.forEach(function (p) {
    var text = document.createElement("div");
    [p.name + "（" + p.kind + "）", p.address, "开放：" + p.hours, p.amenities, p.phone]
      .filter(Boolean).forEach(function (line) {
        var row = document.createElement("div");
        row.textContent = line;
        text.appendChild(row);
      });
    var marker = p.rider
      ? L.circleMarker([p.lat, p.lng], { radius: 8, color: "#b71c1c", fillOpacity: 0.8 })
      : L.marker([p.lat, p.lng]);
    marker.bindPopup(text).addTo(layer);
  });
  layer.addTo(map);
  var bounds = layer.getBounds();
  if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20] }); } else { map.setView([34.36, 107.18], 12); }
  el.dataset.loaded = String(points.length);
});
