// The base layer of every map: the district's own geometry (streets, communities and
// grids with their names, compound outlines, buildings, roads where a place's geometry
// is a line) from the places tree, so a map works offline with no tile server. Where
// the district has an intranet tile server (JICENG_TILE_URL: 天地图 intranet or
// self-hosted tiles) its tiles go underneath. Loaded by templates/includes/leaflet.html.
//
//   jicengBaseMap(map).then(function (bounds) { ... });
//   bounds: of the user's own compounds and buildings, else of the whole base layer, else null
(function () {
  var script = document.currentScript;
  var basemapUrl = script ? script.dataset.basemapUrl : "";
  var tileUrl = script ? script.dataset.tileUrl : "";
  var STYLE = {
    district: { color: "#6d4c41", weight: 2.5, dashArray: "8 4", fill: false },
    street: { color: "#8d6e63", weight: 2, dashArray: "6 4", fill: false },
    community: { color: "#b71c1c", weight: 1.5, fillColor: "#fff3e0", fillOpacity: 0.5 },
    grid: { color: "#1565c0", weight: 1, dashArray: "4 3", fillColor: "#e3f2fd", fillOpacity: 0.25 },
    compound: { color: "#558b2f", weight: 1, fillColor: "#dcedc8", fillOpacity: 0.7 },
    building: { color: "#616161", weight: 1, fillColor: "#bdbdbd", fillOpacity: 0.9 },
  };
  // Which names show at which zoom: communities far out, grids nearer, compounds close up.
  var LABEL_ZOOM = { community: [0, 15], grid: [15, 17], compound: [17, 30] };

  window.jicengBaseMap = function (map) {
    map.getContainer().classList.add("jiceng-map");
    if (tileUrl) { L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(map); }
    if (!map.getPane("basemap")) {
      map.createPane("basemap");
      map.getPane("basemap").style.zIndex = 250;
    }
    if (!basemapUrl) { return Promise.resolve(null); }
    return fetch(basemapUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { features: [] }; })
      .then(function (data) {
        var labels = [];
        var layer = L.geoJSON(data, {
          pane: "basemap",
          interactive: false,
          style: function (f) {
            var t = f.geometry.type;
            if (t === "LineString" || t === "MultiLineString") {
              return { color: "#ffffff", weight: 6, opacity: 1, className: "basemap-road" };
            }
            return STYLE[f.properties.kind] || STYLE.grid;
          },
          pointToLayer: function (f, latlng) {
            return L.circleMarker(latlng, { pane: "basemap", radius: 4, interactive: false, color: "#616161", weight: 1, fillColor: "#bdbdbd", fillOpacity: 0.9 });
          },
          onEachFeature: function (f, l) {
            if (LABEL_ZOOM[f.properties.kind] && l.getBounds) {
              labels.push({ kind: f.properties.kind, marker: L.tooltip({ permanent: true, direction: "center", className: "basemap-label", interactive: false }).setLatLng(l.getBounds().getCenter()).setContent(f.properties.name) });
            }
          },
        }).addTo(map);
        function showLabels() {
          var z = map.getZoom();
          labels.forEach(function (x) {
            var range = LABEL_ZOOM[x.kind];
            var on = z >= range[0] && z < range[1];
            if (on && !map.hasLayer(x.marker)) { x.marker.addTo(map); }
            if (!on && map.hasLayer(x.marker)) { map.removeLayer(x.marker); }
          });
        }
        map.on("zoomend", showLabels);
        map.whenReady(showLabels);
        // Fit to what is in the user's own scope (compounds, buildings) when there is any.
        var own = L.latLngBounds([]);
        layer.eachLayer(function (l) {
          var kind = l.feature && l.feature.properties.kind;
          if (kind === "compound" || kind === "building") {
            own.extend(l.getBounds ? l.getBounds() : l.getLatLng());
          }
        });
        var bounds = own.isValid() ? own : layer.getBounds();
        if (!bounds.isValid()) {
          map.getContainer().setAttribute("data-basemap-empty", "暂无辖区范围数据");
          return null;
        }
        return bounds;
      })
      .catch(function () { return null; });
  };
})();
