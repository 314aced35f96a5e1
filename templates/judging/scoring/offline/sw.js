{% load static %}{% comment %}The service worker of offline scoring (issue 15), served as /sw.js with scope / by
judging/scoring/offline/views.py. It keeps: the static files (one shared cache); the offline page; and, in a cache of
the person's own (named by their opaque key, never shared), only the pages that carry the marker
<meta name="kipp-offline"> (a judge's queue, their own sheets, their field checklists) and the pictures those pages
ask it to keep. Signing in or out, or an answer showing the session is gone (a kept page redirected to the login
page), drops every person's pages. A server error, a proxy's 5xx or a captive portal never drops a kept page: the
device's copy is shown instead; only a real refusal (403, 404, 410, a page without this person's marker) drops it. docs/judging.md "Offline scoring".{% endcomment %}"use strict";
importScripts({% for script in scripts %}"{% static script %}"{% if not forloop.last %}, {% endif %}{% endfor %});

const VERSION = "2";
const STATIC_CACHE = "kipp-static-v" + VERSION;
const SHELL_CACHE = "kipp-shell-v" + VERSION;
const PAGES_PREFIX = "kipp-pages-";
const META_CACHE = "kipp-meta";
const META_USER = "/__kipp-offline-user__";
const STATIC_PREFIX = "{% get_static_prefix %}";
const OFFLINE_URL = "{% url 'offline:offline_page' %}";
const LOGIN_PATH = "{% url 'kipp:login' %}";
const SIGN_PATHS = [LOGIN_PATH, "{% url 'kipp:logout' %}"];
const REFUSALS = [403, 404, 410]; // the server refuses the page: the device's copy goes
const NETWORK_WAIT_MS = 8000; // a kept page is shown from the device when the network takes longer than this
const PRECACHE = [
  "{% static 'vendor/bootstrap/css/bootstrap.min.css' %}",
  "{% static 'vendor/bootstrap/js/bootstrap.bundle.min.js' %}",
  "{% static 'css/kipp.css' %}",
  "{% static 'css/judging.css' %}",
  "{% static 'js/kipp.js' %}",
  "{% static 'js/judging.js' %}",
  "{% static 'js/offline/store.js' %}",
  "{% static 'js/offline/sync.js' %}",
  "{% static 'js/offline/page.js' %}",
  "{% static 'js/offline/sheet.js' %}",
  "{% static 'js/offline/queue.js' %}",
  "{% static 'js/offline/field.js' %}",
  "{% static 'img/favicon.svg' %}",
];
const MARKER = /<meta name="kipp-offline" content="([0-9a-f]+)"/;

self.addEventListener("install", function (event) {
  event.waitUntil(Promise.all([
    caches.open(STATIC_CACHE).then(function (cache) { return cache.addAll(PRECACHE); }),
    caches.open(SHELL_CACHE).then(function (cache) { return cache.add(new Request(OFFLINE_URL, { cache: "no-store" })); }),
  ]).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return (name.startsWith("kipp-static-") && name !== STATIC_CACHE) || (name.startsWith("kipp-shell-") && name !== SHELL_CACHE);
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function currentUser() {
  return caches.open(META_CACHE).then(function (cache) { return cache.match(META_USER); })
    .then(function (response) { return response ? response.text() : ""; });
}

function setUser(key) {
  // One person's pages at a time: another person's key drops the pages kept for anyone else.
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.startsWith(PAGES_PREFIX) && name !== PAGES_PREFIX + key;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return caches.open(META_CACHE); })
    .then(function (cache) { return cache.put(META_USER, new Response(key)); });
}

function dropPages() {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.startsWith(PAGES_PREFIX); })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return caches.delete(META_CACHE); })
    .then(function () { return self.KippSync.forgetSent(); });
}
self.KippSync.sessionGone = dropPages; // a sending answered with the login page (sync.js)

function isLogin(response) {
  const url = new URL(response.url || "/", self.location.origin);
  return url.origin === self.location.origin && url.pathname === LOGIN_PATH;
}

function refreshOfflinePage() {
  // In the language of the person now (the page is the same for everyone); the old copy stays without a connection.
  return fetch(new Request(OFFLINE_URL, { credentials: "same-origin", cache: "no-store" })).then(function (response) {
    return response.ok ? caches.open(SHELL_CACHE).then(function (cache) { return cache.put(OFFLINE_URL, response); }) : null;
  }).catch(function () { return null; });
}

function pageKey(response) {
  // The key a page names in its marker, or "" (a page without the marker is never kept).
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok || response.type !== "basic" || !type.startsWith("text/html")) return Promise.resolve("");
  return response.clone().text().then(function (text) {
    const found = MARKER.exec(text.slice(0, 8000));
    return found ? found[1] : "";
  });
}

function forgetPage(request) {
  return currentUser().then(function (user) {
    return user ? caches.open(PAGES_PREFIX + user).then(function (cache) { return cache.delete(request, { ignoreVary: true }); }) : null;
  });
}

function refused(response) {
  // Only a real refusal drops a kept page; a 5xx, a proxy's answer or a redirect (classified in navigate) does not.
  if (REFUSALS.indexOf(response.status) >= 0) return true;
  const type = response.headers.get("Content-Type") || "";
  return response.ok && response.type === "basic" && type.startsWith("text/html");
}

function keepPage(request, response) {
  if (isLogin(response)) return dropPages();
  if (!response.ok && !refused(response)) return Promise.resolve(null);
  return pageKey(response).then(function (key) {
    if (!key) {
      return refused(response) ? forgetPage(request) : null; // a page no longer meant for the device is not kept
    }
    return currentUser().then(function (user) { return user === key ? null : setUser(key); })
      .then(function () { return caches.open(PAGES_PREFIX + key); })
      .then(function (cache) { return cache.put(request, response); });
  });
}

function fromDevice(request) {
  return currentUser().then(function (user) {
    if (!user) return undefined;
    return caches.open(PAGES_PREFIX + user).then(function (cache) { return cache.match(request, { ignoreVary: true }); });
  });
}

function offlinePage() {
  return caches.open(SHELL_CACHE).then(function (cache) { return cache.match(OFFLINE_URL); }).then(function (response) {
    return response || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  });
}

function redirectedTo(request) {
  // A navigation's redirect is opaque to the worker: where it leads is read again (following it), so that the
  // login page (the session is gone) is told apart from a captive portal or the network's trouble.
  return fetch(new Request(request.url, { credentials: "same-origin", cache: "no-store", redirect: "follow" }))
    .then(function (response) {
      if (isLogin(response)) return "login";
      return new URL(response.url).origin === self.location.origin ? "site" : "elsewhere";
    }, function () { return "elsewhere"; });
}

function answered(event, response) {
  // What the browser is shown for a navigation the network answered.
  const request = event.request;
  if (response.type === "opaqueredirect") {
    return fromDevice(request).then(function (kept) {
      if (!kept) return response;
      return redirectedTo(request).then(function (where) {
        if (where === "login") { event.waitUntil(dropPages()); return response; }
        return where === "elsewhere" ? kept : response;
      });
    });
  }
  if (response.status >= 500 || (!response.ok && !refused(response)) || response.type !== "basic") {
    // a brief server error, a proxy's 502/504: the device's copy, kept as it is
    return fromDevice(request).then(function (kept) { return kept || response; });
  }
  event.waitUntil(keepPage(request, response.clone()));
  return response;
}

function navigate(event) {
  const request = event.request;
  const network = fetch(request).then(function (response) { return answered(event, response); });
  const late = new Promise(function (resolve) { setTimeout(resolve, NETWORK_WAIT_MS); }).then(function () { return fromDevice(request); });
  return Promise.race([network, late.then(function (kept) { return kept || network; })]).catch(function () {
    return fromDevice(request).then(function (kept) { return kept || offlinePage(); });
  });
}

function staticFile(event) {
  // From the device at once, refreshed from the network behind it.
  const request = event.request;
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(request).then(function (kept) {
      const fresh = fetch(request).then(function (response) {
        if (response.ok) event.waitUntil(cache.put(request, response.clone()));
        return response;
      });
      if (kept) { fresh.catch(function () {}); return kept; }
      return fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    if (request.method === "POST" && SIGN_PATHS.indexOf(url.pathname) >= 0) event.waitUntil(dropPages());
    return;
  }
  if (url.pathname.startsWith(STATIC_PREFIX)) { event.respondWith(staticFile(event)); return; }
  if (request.mode === "navigate") { event.respondWith(navigate(event)); return; }
  // a picture a kept page asked for: the network first, the device's copy without a connection
  event.respondWith(fetch(request).catch(function () {
    return fromDevice(request).then(function (kept) { return kept || Response.error(); });
  }));
});

function keep(user, urls) {
  // Fetch and keep what a page of `user` asked for and the device does not hold yet (a kept page is refreshed
  // whenever it is opened online): pages only with that person's marker; pictures as they are.
  return currentUser().then(function (current) { return current === user ? null : setUser(user); }).then(function () {
    return caches.open(PAGES_PREFIX + user);
  }).then(function (cache) {
    return Promise.all(urls.map(function (href) {
      const url = new URL(href, self.location.origin);
      if (url.origin !== self.location.origin) return null;
      const request = new Request(url.href, { credentials: "same-origin", cache: "no-store" });
      return cache.match(url.href, { ignoreVary: true }).then(function (kept) {
        return kept ? null : fetchAndKeep(cache, user, url, request);
      });
    }));
  });
}

function fetchAndKeep(cache, user, url, request) {
  return fetch(request).then(function (response) {
    const type = response.headers.get("Content-Type") || "";
    if (type.startsWith("text/html")) {
      return pageKey(response).then(function (key) { return key === user ? cache.put(url.href, response) : null; });
    }
    if (isLogin(response)) return dropPages();
    return response.ok && type.startsWith("image/") ? cache.put(url.href, response) : null;
  }).catch(function () { return null; });
}

self.addEventListener("message", function (event) {
  const data = event.data || {};
  const reply = function () { if (event.ports && event.ports[0]) event.ports[0].postMessage({ done: true }); };
  if (data.type === "keep" && /^[0-9a-f]+$/.test(data.user || "") && Array.isArray(data.urls)) {
    // a kept page opened online: what it names is kept, and the offline page refetched in today's language
    event.waitUntil(Promise.all([keep(data.user, data.urls.slice(0, 60)), refreshOfflinePage()]).then(reply, reply));
  } else if (data.type === "forget") {
    event.waitUntil(dropPages().then(reply, reply));
  }
});

function tellPages() {
  return self.clients.matchAll({ type: "window" }).then(function (windows) {
    windows.forEach(function (client) { client.postMessage({ type: "synced" }); });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag !== "kipp-sync") return;
  event.waitUntil(currentUser().then(function (user) { return user ? self.KippSync.syncAll(user) : null; }).then(tellPages));
});
