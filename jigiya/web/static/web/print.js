// A button marked data-print prints the page (no inline handler: the Content-Security-Policy
// allows only scripts served from this site).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
