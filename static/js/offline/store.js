// Offline scoring: the device's store of sendings (IndexedDB), for pages and the service worker alike.
// One record per sheet or field check of one person (named by their opaque key): what was typed, the version it
// was based on, its idempotency key and where it stands (typed, queued, sent, conflict, refused).
(function (root) {
  "use strict";
  const DB_NAME = "kipp-offline";
  const STORE = "sendings";
  let opening = null;

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        const request = root.indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          const store = request.result.createObjectStore(STORE, { keyPath: "id" });
          store.createIndex("user", "user");
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { opening = null; reject(request.error); };
      });
    }
    return opening;
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        const tx = db.transaction(STORE, mode);
        const request = work(tx.objectStore(STORE));
        let result;
        if (request) request.onsuccess = function () { result = request.result; };
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  root.KippStore = {
    available: function () { return "indexedDB" in root; },
    get: function (id) { return run("readonly", function (s) { return s.get(id); }); },
    put: function (record) { record.updated = Date.now(); return run("readwrite", function (s) { return s.put(record); }); },
    remove: function (id) { return run("readwrite", function (s) { return s.delete(id); }); },
    ofUser: function (user) { return run("readonly", function (s) { return s.index("user").getAll(user); }); },
    all: function () { return run("readonly", function (s) { return s.getAll(); }); },
  };
})(self);
