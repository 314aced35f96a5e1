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

  Offline.forget = function () {
    // The session is gone (a sending was answered with the login page): the worker drops this person's pages and
    // the sendings already sent; what still waits stays for when they are signed in again.
    return Offline.ready.then(function (registration) {
      if (!registration || !registration.active) return self.KippSync.forgetSent();
      return new Promise(function (resolve) {
        const channel = new MessageChannel();
        channel.port1.onmessage = function () { resolve(true); };
        registration.active.postMessage({ type: "forget" }, [channel.port2]);
        setTimeout(resolve, 10000);
      });
    });
  };
  if (self.KippSync) self.KippSync.sessionGone = Offline.forget;

  Offline.refused = function (kind) {
    // The sendings of this person the server refused, listed where the judge comes back to (the queue, the field
    // index): the reason and what was typed, even when the sheet itself is no longer open to them (a conflict of
    // interest declared). Each can be removed from the device once read.
    const main = document.querySelector("main");
    const heading = main && main.querySelector("h1");
    if (!heading) return Promise.resolve();
    return self.KippStore.ofUser(Offline.user).then(function (records) {
      const list = records.filter(function (r) { return r.kind === kind && r.state === "refused"; });
      let section = main.querySelector("[data-offline-refused]");
      if (!list.length) { if (section) section.remove(); return; }
      if (!section) {
        section = document.createElement("section");
        section.className = "alert alert-danger";
        section.dataset.offlineRefused = "";
        section.setAttribute("role", "status");
        heading.after(section);
      }
      const title = document.createElement("h2");
      title.className = "h6";
      title.textContent = Offline.format(list.length === 1 ? texts.refusedOne : texts.refusedMany, list.length);
      const items = document.createElement("ul");
      items.className = "small mb-0";
      list.forEach(function (record) {
        const item = document.createElement("li");
        item.dataset.refused = record.id;
        const name = document.createElement("strong");
        name.textContent = record.title || record.url;
        const reason = document.createElement("span");
        reason.textContent = ": " + (record.message || texts.refused);
        const values = document.createElement("div");
        values.dataset.values = "";
        values.textContent = texts.typed + " " + (record.display || record.fields || []).filter(function (pair) {
          return pair[1] !== "";
        }).map(function (pair) { return pair[0] + ": " + pair[1]; }).join(" · ");
        const drop = document.createElement("button");
        drop.type = "button";
        drop.className = "btn btn-sm btn-outline-danger mt-1";
        drop.textContent = texts.dropRefused;
        drop.addEventListener("click", function () {
          self.KippStore.remove(record.id).then(function () { Offline.changed(); });
        });
        item.append(name, reason, values, drop);
        items.appendChild(item);
      });
      section.replaceChildren(title, items);
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
    const named = Array.prototype.map.call(document.querySelectorAll("a[data-offline-keep]"), function (a) {
      return a.getAttribute("href");
    });
    const home = meta.dataset.home ? [meta.dataset.home] : [];
    const urls = [location.pathname + location.search].concat(Offline.pictures(), extra, named, home);
    Offline.keep(urls).then(function () { document.documentElement.dataset.offlineReady = "1"; });
    if (navigator.onLine) Offline.sync();
  });
})();
