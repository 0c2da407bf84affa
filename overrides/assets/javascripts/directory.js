// Narrows the project directory by Land and theme without a round trip. The form is hidden in the
// HTML: without JavaScript there is nothing to narrow by, and the full directory is there.
(function () {
  var form = document.querySelector(".rb-filter");
  if (!form) return;
  var selects = form.querySelectorAll("select[data-filter]");
  var status = form.querySelector(".rb-filter__status");
  var groups = document.querySelectorAll(".rb-state");

  function apply() {
    var wanted = {};
    selects.forEach(function (select) { wanted[select.dataset.filter] = select.value; });
    var shown = 0;
    groups.forEach(function (group) {
      var visible = 0;
      group.querySelectorAll("li[data-state]").forEach(function (item) {
        var themes = JSON.parse(item.dataset.themes);
        var match = (!wanted.state || item.dataset.state === wanted.state) &&
          (!wanted.theme || themes.indexOf(wanted.theme) >= 0);
        item.hidden = !match;
        if (match) visible += 1;
      });
      group.hidden = visible === 0;
      shown += visible;
    });
    status.textContent = shown === 1 ? "1 Projekt gefunden" : shown + " Projekte gefunden";
  }

  selects.forEach(function (select) { select.addEventListener("change", apply); });
  // A click on a Land in the map narrows the directory to it, as choosing it in the list would.
  document.querySelectorAll(".rb-map__land[data-state]").forEach(function (land) {
    land.addEventListener("click", function () {
      var select = form.querySelector('select[data-filter="state"]');
      select.value = land.dataset.state;
      apply();
    });
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
})();
