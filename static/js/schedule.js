/* Optional drag-and-drop for the presentation schedule. Dropping a presentation row on another posts the same
   "up"/"down" forms as the buttons, once per step, then reloads. Without JavaScript the buttons do the same. */
(function () {
  "use strict";
  var root = document.getElementById("schedule");
  if (!root || root.dataset.editable !== "true" || !window.fetch) { return; }
  var rows = function () { return Array.prototype.slice.call(root.querySelectorAll("tr[data-entry]")); };
  var dragged = null;
  rows().forEach(function (row) {
    row.addEventListener("dragstart", function (event) {
      dragged = row;
      event.dataTransfer.effectAllowed = "move";
      row.classList.add("opacity-50");
    });
    row.addEventListener("dragend", function () { row.classList.remove("opacity-50"); });
    row.addEventListener("dragover", function (event) { event.preventDefault(); });
    row.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!dragged || dragged === row) { return; }
      var all = rows();
      var from = all.indexOf(dragged);
      var to = all.indexOf(row);
      var direction = to < from ? "up" : "down";
      var steps = Math.abs(to - from);
      var forms = [];
      for (var k = 0; k < steps; k += 1) {
        var at = direction === "up" ? from - k : from + k;
        var form = all[at].querySelector("form[action$='/" + direction + "/']");
        if (!form) { return; }
        forms.push(form);
      }
      var chain = Promise.resolve();
      forms.forEach(function (form) {
        chain = chain.then(function () {
          var body = new FormData();
          body.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
          return fetch(form.action, { method: "POST", body: body, credentials: "same-origin" });
        });
      });
      chain.then(function () { window.location.reload(); });
    });
  });
})();
