// judging: progressive enhancement of the score form. The form works without this file.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    const form = document.querySelector("[data-score-form]");
    if (!form) return;
    let dirty = false;
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function (event) {
      const button = event.submitter;
      if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
        event.preventDefault();
        return;
      }
      dirty = false;
      // One click, one request: a second click while the first is on its way does nothing.
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        if (b !== button) b.disabled = true;
      });
      if (button) {
        const keep = document.createElement("input");
        keep.type = "hidden";
        keep.name = button.name;
        keep.value = button.value;
        form.appendChild(keep);
        button.disabled = true;
      }
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  });
})();
