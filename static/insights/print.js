/* The print button of the annual statistics report (no inline handler: the CSP forbids it). */
(function () {
  "use strict";
  var button = document.getElementById("print-report");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
})();
