// A button with data-confirm asks before its form is sent. Without JavaScript the form is sent at once.
(function () {
  document.addEventListener("submit", function (event) {
    const button = event.submitter;
    if (button && button.dataset.confirm && !event.target.matches("[data-score-form]") && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
