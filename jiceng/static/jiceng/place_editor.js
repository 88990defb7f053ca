// The place form's map editor: draw, edit or delete a place's outline (or a
// building's point) with leaflet-geoman on the offline base layer, with the parent
// and sibling outlines drawn for reference. The drawing is written into the form's
// hidden geometry field as GeoJSON and posted with the form, so the server's
// validation (places.services.validate_geometry) and audit stay the one path.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-place-editor]");
  if (!box || typeof L === "undefined" || !L.PM) { return; }
  var field = document.getElementById(box.dataset.field);
  var status = box.querySelector("[data-editor-status]");
  var drawPoint = box.dataset.draw === "point";
  var selfId = box.dataset.selfId ? Number(box.dataset.selfId) : null;
  L.Icon.Default.mergeOptions({
    imagePath: "",
    iconUrl: box.dataset.markerIcon,
    iconRetinaUrl: box.dataset.markerIcon2x,
    shadowUrl: box.dataset.markerShadow,
  });
  var map = L.map(box.querySelector(".place-editor-map"), { attributionControl: false, zoomSnap: 0.25 });
  map.pm.setLang("zh");
  var base = window.jicengBaseMap ? jicengBaseMap(map) : Promise.resolve(null);
  var drawn = L.featureGroup().addTo(map);
  var SHAPE = { color: "#b71c1c", weight: 3, fillOpacity: 0.15 };
  map.pm.setPathOptions(SHAPE);

  function parse(text) {
    try { return text && text.trim() ? JSON.parse(text) : null; } catch (e) { return null; }
  }

  function vertexCount(layer) {
    var rings = layer.getLatLngs();
    var n = 0;
    (function walk(x) { if (x instanceof L.LatLng) { n += 1; } else { x.forEach(walk); } })(rings);
    return n;
  }

  function setCoordinateFields(latlng) {
    var lng = document.getElementById("id_lng");
    var lat = document.getElementById("id_lat");
    if (lng && lat) {
      lng.value = latlng.lng.toFixed(6);
      lat.value = latlng.lat.toFixed(6);
    }
  }

  // The drawing as one GeoJSON geometry: a Point, a Polygon, or a MultiPolygon.
  function write() {
    var polygons = [];
    var points = [];
    var lines = [];
    drawn.eachLayer(function (layer) {
      var g = layer.toGeoJSON().geometry;
      if (g.type === "Point") { points.push(g); setCoordinateFields(layer.getLatLng()); }
      else if (g.type === "Polygon") { polygons.push(g.coordinates); }
      else if (g.type === "MultiPolygon") { polygons = polygons.concat(g.coordinates); }
      else { lines.push(g); }
    });
    var geometry = null;
    if (polygons.length === 1) { geometry = { type: "Polygon", coordinates: polygons[0] }; }
    else if (polygons.length > 1) { geometry = { type: "MultiPolygon", coordinates: polygons }; }
    else if (points.length) { geometry = points[points.length - 1]; }
    else if (lines.length) { geometry = lines[lines.length - 1]; }
    field.value = geometry ? JSON.stringify(geometry) : "";
    var text = "尚未绘制范围";
    if (geometry && geometry.type === "Point") { text = "已标点：" + geometry.coordinates[0].toFixed(6) + ", " + geometry.coordinates[1].toFixed(6); }
    else if (polygons.length) {
      var n = 0;
      drawn.eachLayer(function (layer) { if (layer.getLatLngs) { n += vertexCount(layer); } });
      text = "已绘制" + (polygons.length > 1 ? polygons.length + "个多边形" : "多边形") + "，共" + n + "个顶点";
    } else if (geometry) { text = "已有线状范围"; }
    status.textContent = text + "（保存后生效）";
    box.dataset.geometryType = geometry ? geometry.type : "";
  }

  function watch(layer) {
    layer.on("pm:edit pm:dragend pm:cut pm:rotateend", write);
  }

  var initial = parse(field.value);
  if (initial) {
    L.geoJSON(initial, { style: function () { return SHAPE; } }).eachLayer(function (layer) {
      drawn.addLayer(layer);
      watch(layer);
    });
  }

  map.pm.addControls({
    position: "topleft",
    drawMarker: drawPoint,
    drawPolygon: true,
    drawRectangle: !drawPoint,
    drawPolyline: false,
    drawCircle: false,
    drawCircleMarker: false,
    drawText: false,
    cutPolygon: false,
    rotateMode: false,
    editMode: true,
    dragMode: true,
    removalMode: true,
  });

  // One shape per place: a new drawing replaces the old one.
  map.on("pm:create", function (e) {
    drawn.clearLayers();
    drawn.addLayer(e.layer);
    watch(e.layer);
    write();
  });
  map.on("pm:remove", function (e) {
    drawn.removeLayer(e.layer);
    write();
  });

  var reference = box.dataset.referenceUrl
    ? fetch(box.dataset.referenceUrl, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { features: [] }; })
        .catch(function () { return { features: [] }; })
    : Promise.resolve({ features: [] });
  reference.then(function (data) {
    var others = data.features.filter(function (f) { return f.properties.id !== selfId; });
    var layer = L.geoJSON({ type: "FeatureCollection", features: others }, {
      pmIgnore: true,
      interactive: false,
      style: function (f) {
        return f.properties.is_self
          ? { color: "#424242", weight: 2, dashArray: "6 4", fill: false }
          : { color: "#757575", weight: 1.5, dashArray: "4 3", fillOpacity: 0.05 };
      },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { pmIgnore: true, interactive: false, radius: 4, color: "#757575", weight: 1 });
      },
      onEachFeature: function (f, l) {
        l.bindTooltip(String(f.properties.name).replace(/[&<>"']/g, function (c) {
          return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
        }));
      },
    }).addTo(map);
    layer.bringToBack();
    var own = drawn.getBounds();
    var ref = layer.getBounds();
    if (own.isValid()) { map.fitBounds(own.pad(0.3)); }
    else if (ref.isValid()) { map.fitBounds(ref, { padding: [10, 10] }); }
    else {
      return base.then(function (b) { if (b) { map.fitBounds(b); } else { map.setView([30, 110], 4); } });
    }
  }).then(function () {
    if (initial || !field.value.trim()) { write(); }
    else { status.textContent = "原有内容不是有效的GeoJSON，请在地图上重新绘制"; }
    box.dataset.ready = "1";
  });
});
