// Offline scoring on the judge's queue: each entry says where its sheet stands on this device (sent, waiting to
// be sent, needs a choice), with how many sheets wait; the open sheets are kept on the device. Works without it.
(function () {
  "use strict";
  const Offline = self.KippOffline;
  if (!Offline || !Offline.usable) return;

  Offline.extraKeep = function () {
    // the open sheets of this page of the queue: kept for a judge who goes offline before opening them
    return Array.prototype.map.call(document.querySelectorAll("#queue-open .queue-item a.queue-link"), function (a) {
      return a.getAttribute("href");
    });
  };

  function show() {
    const texts = Offline.texts;
    self.KippStore.ofUser(Offline.user).then(function (records) {
      const bySheet = new Map();
      records.forEach(function (record) { if (record.kind === "sheet") bySheet.set(String(record.sheet), record); });
      let waiting = 0;
      document.querySelectorAll(".queue-item[data-sheet]").forEach(function (item) {
        const badge = item.querySelector("[data-sync-state]");
        const record = bySheet.get(item.dataset.sheet);
        let text = "";
        let state = "";
        if (record) {
          state = record.state;
          if (record.state === "sent") text = record.sheetState === "final" ? texts.finalShort : texts.sentShort;
          else if (record.state === "queued") { text = texts.waiting; waiting += 1; }
          else if (record.state === "conflict") text = texts.choose;
          else if (record.state === "refused") text = texts.refusedShort;
          else text = texts.local;
        }
        badge.textContent = text;
        badge.hidden = !text;
        badge.dataset.state = state;
      });
      const summary = document.querySelector("[data-sync-summary]");
      summary.textContent = waiting === 1 ? Offline.format(texts.waitingOne, 1) : Offline.format(texts.waitingMany, waiting);
      summary.hidden = waiting === 0;
    });
    Offline.refused("sheet");
  }

  document.addEventListener("DOMContentLoaded", show);
  window.addEventListener("kipp-offline-changed", show);
})();
