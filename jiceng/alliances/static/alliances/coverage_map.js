// 包联覆盖地图: unpaired places (red) and pairs not visited within N days (orange).
(function () {
  var el = document.getElementById("coverage-map");
  var data = document.getElementById("coverage-points");
  if (!el || !data || typeof L === "undefined") { return; }
  var points = JSON.parse(data.textContent);
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
  // The district's own geometry underneath (and the intranet tiles where configured).
  var base = window.jicengBaseMap ? jicengBaseMap(map) : Promise.resolve(null);
  var bounds = [];
  points.forEach(function (p) {
    var colour = p.kind === "unpaired" ? "#dc3545" : "#fd7e14";
    L.circleMarker([p.lat, p.lng], { radius: 6, color: colour, fillColor: colour, fillOpacity: 0.7 })
      .bindPopup(p.name + "<br>" + p.label).addTo(map);
    bounds.push([p.lat, p.lng]);
  });
  if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20] }); return; }
  base.then(function (fit) {
    if (fit && fit.isValid && fit.isValid()) { map.fitBounds(fit); } else { map.setView([28.87, 105.44], 12); }
  });
})();
