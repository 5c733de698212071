// Progressive enhancement of the fee calculator (/fees): the form works without this script.
// When a start time is chosen and the end is not after it, the end moves to one hour later
// (the shortest booking), so the visitor does not have to fix it by hand.
(function () {
  'use strict';
  var start = document.getElementById('field-start');
  var end = document.getElementById('field-end');
  if (!start || !end) return;
  start.addEventListener('change', function () {
    if (!start.value || (end.value && end.value > start.value)) return;
    var parts = start.value.split(':');
    var minutes = Number(parts[0]) * 60 + Number(parts[1]) + 60;
    var wanted = String(Math.floor(minutes / 60)).padStart(2, '0') + ':' + String(minutes % 60).padStart(2, '0');
    for (var i = 0; i < end.options.length; i += 1) {
      if (end.options[i].value === wanted) {
        end.value = wanted;
        return;
      }
    }
  });
})();
