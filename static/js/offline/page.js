// Offline scoring on a page that the device may keep (it carries <meta name="kipp-offline">): registers the
// service worker, asks it to keep this page (and what the page names), sends what waits on the device when the
// page opens and when the connection returns. The page works without this file.
(function () {
  "use strict";
  const meta = document.querySelector('meta[name="kipp-offline"]');
  const texts = (document.querySelector("[data-offline-texts]") || { dataset: {} }).dataset;
  const Offline = {
    user: meta ? meta.content : "",
    texts: texts,
    usable: Boolean(meta && self.KippStore && self.KippStore.available() && self.KippSync),
  };
  self.KippOffline = Offline;

  function register() {
    if (!Offline.usable || !("serviceWorker" in navigator)) return Promise.resolve(null);
    return navigator.serviceWorker.register(meta.dataset.worker, { scope: "/" })
      .then(function () { return navigator.serviceWorker.ready; })
      .catch(function () { return null; });
  }
  Offline.ready = register();

  Offline.keep = function (urls) {
    // Ask the worker to keep these pages and pictures of this person; resolves when it has them.
    return Offline.ready.then(function (registration) {
      if (!registration || !registration.active) return null;
      return new Promise(function (resolve) {
        const channel = new MessageChannel();
        channel.port1.onmessage = function () { resolve(true); };
        registration.active.postMessage({ type: "keep", user: Offline.user, urls: urls }, [channel.port2]);
        setTimeout(resolve, 30000);
      });
    });
  };

  Offline.changed = function () { window.dispatchEvent(new CustomEvent("kipp-offline-changed")); };

  Offline.sync = function () {
    if (!Offline.usable) return Promise.resolve([]);
    return self.KippSync.syncAll(Offline.user).then(function (answers) {
      if (answers.length) Offline.changed();
      return answers;
    }, function () { return []; });
  };

  Offline.backgroundSync = function () {
    // Where the browser has Background Sync, the worker sends what waits even with the page closed.
    return Offline.ready.then(function (registration) {
      if (registration && registration.sync) return registration.sync.register("kipp-sync").catch(function () {});
      return null;
    });
  };

  Offline.format = function (template, n) { return (template || "").replace("__n__", String(n)); };

  Offline.pictures = function () {
    const urls = [];
    document.querySelectorAll("main img[src]").forEach(function (img) {
      const url = new URL(img.getAttribute("src"), location.href);
      if (url.origin === location.origin) urls.push(url.pathname + url.search);
    });
    return urls;
  };

  if (!Offline.usable) return;
  window.addEventListener("online", function () { Offline.sync(); });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "synced") Offline.changed();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    const extra = (Offline.extraKeep && Offline.extraKeep()) || [];
    const urls = [location.pathname + location.search].concat(Offline.pictures(), extra);
    Offline.keep(urls).then(function () { document.documentElement.dataset.offlineReady = "1"; });
    if (navigator.onLine) Offline.sync();
  });
})();
