// A patrol in progress: while the page is open, the phone's position is sampled
// (at most one point every 10 s, or on a move of 15 m) and posted in small
// batches to the patrol's points URL; what is left goes with 结束巡查. The last
// position also fills the finding form's hidden lat/lng.
(function () {
  var root = document.getElementById("patrol-live");
  if (!root) { return; }
  var url = root.dataset.pointsUrl;
  var token = (document.querySelector("[name=csrfmiddlewaretoken]") || {}).value || "";
  var status = document.getElementById("track-status");
  var buffer = [], last = null, lastAt = 0, sent = Number(root.dataset.points || 0);

  function metres(a, b) {
    var lat = (a[1] + b[1]) / 2 * Math.PI / 180;
    var dx = (b[0] - a[0]) * Math.PI / 180 * Math.cos(lat), dy = (b[1] - a[1]) * Math.PI / 180;
    return 6371000 * Math.sqrt(dx * dx + dy * dy);
  }
  function show(text) { if (status) { status.textContent = text; } }
  function fill(point) {
    document.querySelectorAll("[data-finding-form]").forEach(function (form) {
      form.querySelector("[name=lat]").value = point[1].toFixed(6);
      form.querySelector("[name=lng]").value = point[0].toFixed(6);
    });
  }
  function flush() {
    if (!buffer.length) { return; }
    var batch = buffer.splice(0, buffer.length);
    fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ coordinates: batch })
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (data.points !== undefined) { sent = data.points; show("已记录 " + sent + " 个轨迹点，" + data.metres + " 米"); }
    }).catch(function () { buffer = batch.concat(buffer); show("网络不畅，轨迹暂存在本机"); });
  }
  if (!navigator.geolocation) { show("此浏览器不支持定位，无法记录轨迹"); return; }
  navigator.geolocation.watchPosition(function (pos) {
    var point = [Number(pos.coords.longitude.toFixed(6)), Number(pos.coords.latitude.toFixed(6))];
    var now = Date.now();
    fill(point);
    if (last && now - lastAt < 10000 && metres(last, point) < 15) { return; }
    buffer.push(point); last = point; lastAt = now;
    show("正在记录轨迹：" + (sent + buffer.length) + " 个点");
    if (buffer.length >= 6) { flush(); }
  }, function () { show("无法获取位置，请在浏览器设置中允许定位"); }, { enableHighAccuracy: true, maximumAge: 5000 });
  setInterval(flush, 30000);
  var end = document.getElementById("patrol-end");
  if (end) {
    end.addEventListener("submit", function () {
      end.querySelector("[name=coordinates]").value = JSON.stringify(buffer.splice(0, buffer.length));
    });
  }
})();
