// Pick a case's location: tap the map (the district's own base layer, basemap.js, with
// the reporter's grids outlined) or use the phone's position.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("pick-map");
  if (!box || typeof L === "undefined") { return; }
  var lat = document.getElementById("id_lat"), lng = document.getElementById("id_lng");
  var label = document.querySelector("[data-picked]");
  var map = L.map(box, { attributionControl: false }).setView([28.87, 105.44], 13);
  var base = window.jicengBaseMap ? jicengBaseMap(map) : Promise.resolve(null);
  var marker = null;
  function place(latlng) {
    lat.value = latlng.lat.toFixed(6); lng.value = latlng.lng.toFixed(6);
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    label.textContent = "已选位置：" + lat.value + ", " + lng.value;
  }
  fetch(box.dataset.grids || "/cases/grids.geojson").then(function (r) { return r.ok ? r.json() : null; })
    .then(function (data) {
      var layer = data ? L.geoJSON(data, { interactive: false, style: { color: "#b71c1c", weight: 2, fillOpacity: 0.05 } }).addTo(map) : null;
      if (layer && layer.getBounds().isValid()) { map.fitBounds(layer.getBounds()); } else {
        base.then(function (b) { if (b) { map.fitBounds(b); } });
      }
      if (lat.value && lng.value) { place(L.latLng(+lat.value, +lng.value)); }
    });
  map.on("click", function (e) { place(e.latlng); });
  var locate = document.querySelector("[data-locate]");
  if (locate && navigator.geolocation) {
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (p) {
        var here = L.latLng(p.coords.latitude, p.coords.longitude);
        place(here); map.setView(here, 16);
      });
    });
  }
});
