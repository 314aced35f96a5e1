// kipp: progressive enhancement only. Every page works without this file.
document.documentElement.classList.add("js");

// Word counters: <textarea data-word-limit="200" aria-describedby="ID"> with <span id="ID" class="word-count">.
// Counts words the same way as the server (kipp.text.count_words): runs of non-whitespace characters.
(function () {
  function countWords(text) {
    const trimmed = text.trim();
    return trimmed === "" ? 0 : trimmed.split(/\s+/u).length;
  }
  function update(area) {
    const limit = parseInt(area.dataset.wordLimit, 10);
    const target = document.getElementById(area.dataset.wordCounter);
    if (!target) return;
    const words = countWords(area.value);
    target.textContent = target.dataset.template.replace("{count}", words).replace("{limit}", limit);
    target.classList.toggle("over", words > limit);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-word-limit]").forEach(function (area) {
      update(area);
      area.addEventListener("input", function () { update(area); });
    });
  });
})();
