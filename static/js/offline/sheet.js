// Offline scoring on a sheet page: what the judge types is kept on the device as they type; "Simpan draf" and
// "Kirim final" queue the sending on the device and send it (now, or when the connection returns). A sheet that
// changed on the server meanwhile is shown in both versions until the judge chooses. The form works without it.
(function () {
  "use strict";
  const Offline = self.KippOffline;
  const Store = self.KippStore;
  const Sync = self.KippSync;
  const OWN_FIELDS = ["csrfmiddlewaretoken", "version", "form_key", "action"];

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.querySelector("form[data-score-form][data-offline-sheet]");
    if (!form || !Offline || !Offline.usable) return;
    const texts = Offline.texts;
    const id = "sheet:" + Offline.user + ":" + form.dataset.offlineSheet;
    const status = document.querySelector("[data-offline-status]");
    const choice = document.querySelector("[data-offline-choice]");
    const versionInput = form.querySelector("input[name=version]");
    const pageVersion = parseInt(versionInput.value, 10) || 0;
    const editable = Boolean(form.querySelector("button[name=action]"));
    let record = null;
    let typing = null;

    function fields() {
      const list = [];
      new FormData(form).forEach(function (value, name) {
        if (OWN_FIELDS.indexOf(name) < 0) list.push([name, String(value)]);
      });
      return list;
    }

    function fill(list) {
      const values = new Map(list);
      form.querySelectorAll("input, textarea, select").forEach(function (element) {
        if (!element.name || OWN_FIELDS.indexOf(element.name) >= 0 || element.disabled) return;
        const value = values.has(element.name) ? values.get(element.name) : "";
        if (element.type === "radio" || element.type === "checkbox") element.checked = element.value === value;
        else element.value = value;
      });
    }

    function serverFields(server) {
      const list = [["overall_comment", server.overall_comment || ""]];
      Object.keys(server.scores || {}).forEach(function (criterion) {
        const score = server.scores[criterion];
        list.push(["score_" + criterion, score.value === null ? "" : String(score.value)]);
        list.push(["comment_" + criterion, score.comment || ""]);
      });
      return list;
    }

    function lock(locked) {
      form.querySelectorAll("input, textarea, select, button").forEach(function (element) {
        if (element.type !== "hidden") element.disabled = locked;
      });
    }

    function show() {
      if (!status) return;
      let text = "";
      if (record) {
        if (record.state === "sent") text = record.sheetState === "final" ? texts.final : texts.sent;
        else if (record.state === "conflict") text = texts.conflict;
        else if (record.state === "refused") text = texts.refused + " " + (record.message || "");
        else if (record.signin) text = texts.local + " " + texts.signin;
        else if (record.state === "queued" && record.action === "submit") text = texts.local + " " + texts.finalWaits;
        else text = texts.local;
      }
      status.textContent = text;
      status.hidden = !text;
      status.dataset.state = record ? record.state : "";
      showChoice();
    }

    function label(fieldName) {
      const input = form.querySelector('[name="' + fieldName + '"]');
      const fieldset = input && input.closest("fieldset");
      const legend = fieldset && fieldset.querySelector("legend");
      const own = input && input.id ? form.querySelector('label[for="' + input.id + '"]') : null;
      const title = legend ? legend.firstChild.textContent.trim() : "";
      if (fieldName.indexOf("score_") === 0) return title;
      return (title ? title + " · " : "") + (own ? own.textContent.trim() : fieldName);
    }

    function showChoice() {
      if (!choice) return;
      choice.hidden = !(record && record.state === "conflict" && record.server);
      const list = choice.querySelector("[data-offline-versions]");
      list.replaceChildren();
      if (choice.hidden) return;
      choice.querySelector("[data-offline-reason]").textContent = record.message || "";
      const mine = new Map(record.fields);
      const theirs = new Map(serverFields(record.server));
      const names = [];
      form.querySelectorAll("[name^=score_], [name^=comment_], [name=overall_comment]").forEach(function (element) {
        if (names.indexOf(element.name) < 0) names.push(element.name);
      });
      names.forEach(function (name) {
        const a = mine.get(name) || "–";
        const b = theirs.get(name) || "–";
        if (name.indexOf("score_") !== 0 && a === b) return; // comments only where the versions differ
        const row = document.createElement("li");
        row.dataset.field = name;
        if (a !== b) row.className = "fw-semibold";
        row.textContent = label(name) + ": " + texts.mine + " " + a + " · " + texts.server + " " + b;
        list.appendChild(row);
      });
      choice.querySelector("[data-keep-mine]").hidden = record.server.state === "final";
      choice.querySelector("[data-server-final]").hidden = record.server.state !== "final";
    }

    function save(changes, keepFields) {
      record = record || {
        id: id, kind: "sheet", user: Offline.user, sheet: form.dataset.offlineSheet, url: location.pathname,
        pageUrl: location.pathname, base: pageVersion, key: Sync.newKey(), state: "typed", rev: 0,
      };
      Object.assign(record, changes || {});
      if (!keepFields) record.fields = fields();
      record.title = (document.querySelector("main h1") || { textContent: "" }).textContent.trim();
      record.display = record.fields.map(function (pair) { return [label(pair[0]), pair[1]]; });
      record.rev = (record.rev || 0) + 1;
      record.token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
      return Store.put(record).then(function () { show(); Offline.changed(); });
    }

    function answered(answer) {
      return Store.get(id).then(function (stored) {
        record = stored || record;
        if (answer.ok && answer.next) { location.assign(answer.next); return; }
        if (record) versionInput.value = String(record.base);
        if (record && record.state === "queued" && record.action === "submit") lock(true);
        else if (editable) lock(false);
        show();
        Offline.changed();
      });
    }

    function sendNow() {
      Offline.backgroundSync();
      return Sync.send(record, { foreground: true }).then(answered);
    }

    function restore(stored) {
      if (!stored) return;
      record = stored;
      if (record.state === "sent" && record.base < pageVersion) { record = null; return Store.remove(id); }
      if (record.state === "sent" && record.base === pageVersion) return;
      if (record.state === "typed" && record.base !== pageVersion) {
        record.server = { version: pageVersion, state: "draft", scores: {}, overall_comment: "" };
        const list = fields();
        list.forEach(function (pair) {
          if (pair[0] === "overall_comment") record.server.overall_comment = pair[1];
          else if (pair[0].indexOf("score_") === 0) {
            const pk = pair[0].slice(6);
            record.server.scores[pk] = record.server.scores[pk] || { value: null, comment: "" };
            record.server.scores[pk].value = pair[1] === "" ? null : parseInt(pair[1], 10);
          } else if (pair[0].indexOf("comment_") === 0) {
            const pk = pair[0].slice(8);
            record.server.scores[pk] = record.server.scores[pk] || { value: null, comment: "" };
            record.server.scores[pk].comment = pair[1];
          }
        });
        record.state = "conflict";
        record.message = texts.conflict;
      }
      fill(record.fields || []);
      if (record.state === "sent" || record.state === "queued" || record.state === "conflict") {
        versionInput.value = String(Math.max(record.base, pageVersion));
      }
      if ((record.state === "queued" && record.action === "submit") || record.sheetState === "final") lock(true);
      return Store.put(record);
    }

    Store.get(id).then(restore).then(show).then(function () { form.dataset.offlineRestored = "1"; });

    if (editable) {
      const typed = function () {
        clearTimeout(typing);
        typing = setTimeout(function () {
          const changes = record && (record.state === "sent" || record.state === "refused") ? { state: "typed" } : {};
          save(changes);
        }, 200);
      };
      form.addEventListener("input", typed);
      form.addEventListener("change", typed);
      form.addEventListener("submit", function (event) {
        if (event.defaultPrevented) return; // judging.js: the judge did not confirm
        event.preventDefault();
        clearTimeout(typing);
        const action = event.submitter && event.submitter.value === "submit" ? "submit" : "save";
        form.querySelectorAll("input[type=hidden][name=action]").forEach(function (input) { input.remove(); });
        const changes = { action: action, state: record && record.state === "conflict" ? "conflict" : "queued" };
        if (record && record.state === "refused") changes.key = Sync.newKey();
        save(changes).then(function () {
          lock(action === "submit" && record.state === "queued");
          if (record.state === "queued") return sendNow();
          if (editable) lock(false);
          return null;
        });
      });
    }

    if (choice) {
      choice.querySelector("[data-keep-mine]").addEventListener("click", function () {
        const base = record.server.version;
        versionInput.value = String(base);
        record.base = base;
        record.key = Sync.newKey();
        record.server = null;
        record.state = record.action ? "queued" : "typed";
        save({}, true).then(function () {
          if (record.state === "queued") return sendNow();
          lock(false);
          return null;
        });
      });
      choice.querySelector("[data-keep-server]").addEventListener("click", function () {
        const server = record.server;
        lock(false);
        fill(serverFields(server));
        versionInput.value = String(server.version);
        record = null;
        Store.remove(id).then(function () {
          if (server.state === "final") { location.reload(); return; }
          show();
          Offline.changed();
        });
      });
    }

    window.addEventListener("kipp-offline-changed", function () {
      Store.get(id).then(function (stored) {
        if (!stored) return;
        record = stored;
        versionInput.value = String(Math.max(record.base, parseInt(versionInput.value, 10) || 0));
        show();
      });
    });
  });
})();
