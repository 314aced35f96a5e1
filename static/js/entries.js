// entries: progressive enhancement only; every page works without this file.
// Selection queue: a "select all" box (hidden without JavaScript) for the bulk decision.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    const all = document.getElementById("select-all");
    if (!all) return;
    const boxes = document.querySelectorAll("#selection-queue input[name=entries]");
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
  });
})();
