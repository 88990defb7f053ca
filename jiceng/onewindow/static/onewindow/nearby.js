// 附近的服务点: ask the phone for its position and reload the list sorted by distance.
document.getElementById("locate-btn").addEventListener("click", function () {
  var msg = document.getElementById("locate-msg");
  if (!navigator.geolocation) { msg.textContent = "此浏览器不支持定位"; return; }
  msg.textContent = "正在定位…";
  navigator.geolocation.getCurrentPosition(function (pos) {
    var params = new URLSearchParams(window.location.search);
    params.set("lat", pos.coords.latitude.toFixed(6));
    params.set("lng", pos.coords.longitude.toFixed(6));
    window.location.search = params.toString();
  }, function () { msg.textContent = "无法获取位置，请在浏览器设置中允许定位后重试"; }, { timeout: 10000 });
});
