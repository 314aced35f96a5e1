// Offline verification on site: each checklist answer (and its photo) is kept on the device when "Simpan" is
// pressed, and sent now or when the connection returns; the server cleans each photo like every upload.
(function () {
  "use strict";
  const Offline = self.KippOffline;

  document.addEventListener("DOMContentLoaded", function () {
    if (!Offline || !Offline.usable) return;
    const texts = Offline.texts;
    const listRefused = function () { Offline.refused("field"); };
    listRefused();
    window.addEventListener("kipp-offline-changed", listRefused);
    document.querySelectorAll("form[data-check]").forEach(function (form) {
      const id = "field:" + Offline.user + ":" + form.dataset.check;
      const status = form.querySelector("[data-offline-status]");

      function show(record) {
        let text = "";
        if (record) {
          if (record.state === "sent") text = texts.sent;
          else if (record.state === "refused") text = texts.refused + " " + (record.message || "");
          else if (record.signin) text = texts.local + " " + texts.signin;
          else text = texts.local + (record.photoName ? " " + Offline.format(texts.photoWaits, record.photoName) : "");
        }
        status.textContent = text;
        status.hidden = !text;
        status.dataset.state = record ? record.state : "";
      }

      function fill(record) {
        if (!record || record.state === "sent") return;
        const values = new Map(record.fields);
        form.querySelectorAll("input[name=verified]").forEach(function (radio) {
          radio.checked = radio.value === values.get("verified");
        });
        form.querySelector("textarea[name=note]").value = values.get("note") || "";
      }

      function shown() {
        // what was answered, as the judge reads it (for the list of refused sendings, page.js)
        const checked = form.querySelector("input[name=verified]:checked");
        const label = checked && form.querySelector('label[for="' + checked.id + '"]');
        return [
          [form.querySelector("legend").textContent.trim(), label ? label.textContent.trim() : ""],
          [form.querySelector("label[for$=-note]").textContent.trim(), form.querySelector("textarea[name=note]").value],
        ];
      }

      self.KippStore.get(id).then(function (record) { fill(record); show(record); });
      window.addEventListener("kipp-offline-changed", function () { self.KippStore.get(id).then(show); });

      form.addEventListener("submit", function (event) {
        event.preventDefault();
        const fields = [];
        new FormData(form).forEach(function (value, name) {
          if (name !== "csrfmiddlewaretoken" && name !== "photo") fields.push([name, String(value)]);
        });
        const file = form.querySelector("input[type=file][name=photo]").files[0] || null;
        self.KippStore.get(id).then(function (earlier) {
          const record = {
            id: id, kind: "field", user: Offline.user, check: form.dataset.check, url: location.pathname,
            pageUrl: location.pathname, fields: fields, state: "queued", rev: 1,
            title: document.querySelector("main h1").textContent.trim() + " · " + form.querySelector("legend").textContent.trim(),
            display: shown(),
            key: earlier && earlier.state === "queued" ? earlier.key : self.KippSync.newKey(),
            photo: file || (earlier && earlier.state === "queued" ? earlier.photo : null),
            photoName: file ? file.name : (earlier && earlier.state === "queued" ? earlier.photoName : ""),
            token: form.querySelector("input[name=csrfmiddlewaretoken]").value,
          };
          return self.KippStore.put(record).then(function () {
            show(record);
            Offline.backgroundSync();
            return self.KippSync.send(record, { foreground: true });
          });
        }).then(function (answer) {
          if (answer && answer.ok && answer.next) { location.assign(answer.next); return; }
          self.KippStore.get(id).then(show);
        });
      });
    });
  });
})();
