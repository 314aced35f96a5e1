// The entry form's location: progressive enhancement only (without this file "Cari" asks the server).
// While the innovator types in the search box, the matches of /wilayah/cari/?format=json are listed as radio
// options; the option already chosen and "Belum dipilih" stay.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    const input = document.querySelector("[data-area-search]");
    const options = document.getElementById("area-options");
    if (!input || !options) return;
    const more = document.getElementById("area-more");
    const name = input.name.replace(/area_q$/, "area");
    let timer = null;
    let latest = 0;

    function option(value, label, index) {
      const wrap = document.createElement("div");
      wrap.className = "form-check";
      const radio = document.createElement("input");
      radio.className = "form-check-input";
      radio.type = "radio";
      radio.name = name;
      radio.value = value;
      radio.id = "id_" + name + "_live_" + index;
      const text = document.createElement("label");
      text.className = "form-check-label";
      text.htmlFor = radio.id;
      text.textContent = label;
      wrap.append(radio, text);
      return wrap;
    }

    function show(data) {
      const kept = new Set();
      options.querySelectorAll(".form-check").forEach(function (row) {
        const radio = row.querySelector("input");
        if (row.hasAttribute("data-area-none") || radio.checked) kept.add(radio.value);
        else row.remove();
      });
      data.results.forEach(function (result, index) {
        if (!kept.has(result.code)) options.append(option(result.code, result.label, index));
      });
      if (more) {
        more.hidden = data.total <= data.results.length;
        more.textContent = more.dataset.template.replace("{shown}", data.results.length).replace("{total}", data.total);
      }
    }

    function search() {
      const query = input.value.trim();
      if (!query) return;
      const ticket = ++latest;
      const url = input.dataset.areaSearch + "?" + new URLSearchParams({
        wilayah: input.dataset.areaRegion, q: query, format: "json",
      });
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && ticket === latest) show(data); })
        .catch(function () { /* the "Cari" button still asks the server */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
  });
})();
