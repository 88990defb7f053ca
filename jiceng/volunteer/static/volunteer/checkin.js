// When the activity checks the location, fill in the phone's position before posting.
(function () {
  var form = document.getElementById("checkin-form");
  if (!form || !form.dataset.geo || !navigator.geolocation) return;
  var sent = false;
  form.addEventListener("submit", function (event) {
    if (sent) return;
    event.preventDefault();
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        form.elements.lat.value = pos.coords.latitude;
        form.elements.lng.value = pos.coords.longitude;
        sent = true;
        form.submit();
      },
      function () { sent = true; form.submit(); },
      { enableHighAccuracy: true, timeout: 8000 }
    );
  });
})();
