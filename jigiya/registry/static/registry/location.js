// "Use my location": fills a household form's latitude and longitude from the phone's GPS.
// A file of its own, no inline script: the Content-Security-Policy allows only scripts
// served from this site. Without JavaScript or geolocation the button stays hidden and the
// fields are typed by hand.
(function () {
  "use strict";
  var button = document.querySelector("[data-locate]");
  var latitude = document.getElementById("id_latitude");
  var longitude = document.getElementById("id_longitude");
  if (!button || !latitude || !longitude || !navigator.geolocation) {
    return;
  }
  var status = document.querySelector("[data-locate-status]");
  var container = button.parentNode;
  var row = latitude.closest("p");
  if (row) {
    row.before(container); // just above the latitude
  }
  container.hidden = false;
  function done(text) {
    status.textContent = text;
    button.disabled = false;
  }
  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        latitude.value = position.coords.latitude.toFixed(5);
        longitude.value = position.coords.longitude.toFixed(5);
        done(button.dataset.done + " (± " + Math.round(position.coords.accuracy) + " m)");
      },
      function () {
        done(button.dataset.failed);
      },
      { enableHighAccuracy: true, timeout: 30000, maximumAge: 60000 }
    );
  });
})();
