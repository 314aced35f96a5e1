// Offline scoring: send what waits on the device, once. For pages and the service worker (no DOM here).
// Each sending carries its idempotency key (form_key) and, for a sheet, the version it was based on; the server
// answers in JSON (judging/scoring/offline/answers.py): stored, conflict (with the server's version), refused.
(function (root) {
  "use strict";
  const Store = root.KippStore;

  function newKey() {
    const bytes = new Uint8Array(24);
    root.crypto.getRandomValues(bytes);
    let text = "";
    bytes.forEach(function (b) { text += String.fromCharCode(b); });
    return root.btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function isJson(response) {
    return (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
  }

  function formBody(record, token) {
    const body = new FormData();
    (record.fields || []).forEach(function (pair) { body.append(pair[0], pair[1]); });
    if (record.kind === "sheet") {
      body.set("version", String(record.base));
      body.set("action", record.action || "save");
    }
    if (record.photo) body.append("photo", record.photo, record.photoName || "foto.jpg");
    body.set("form_key", record.key);
    body.set("csrfmiddlewaretoken", token || "");
    return body;
  }

  function post(record, token, foreground) {
    return root.fetch(record.url, {
      method: "POST",
      body: formBody(record, token),
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json", "X-Kipp-Foreground": foreground ? "1" : "0" },
    });
  }

  function freshToken(url) {
    // The token of a page kept on the device is refused once the person signed in again: read today's.
    return root.fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      return response.text();
    }).then(function (text) {
      const found = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(text);
      return found ? found[1] : "";
    });
  }

  function settle(sent, answer) {
    // Write the answer into the record as it is now: what was typed meanwhile (a later rev) stays.
    return Store.get(sent.id).then(function (record) {
      record = record || sent;
      const changed = record.rev !== sent.rev;
      record.message = answer.message || "";
      record.signin = false;
      if (answer.ok) {
        record.sentOnce = true;
        record.base = answer.version === undefined ? record.base : answer.version;
        record.sheetState = answer.state || record.sheetState;
        record.key = newKey();
        record.server = null;
        if (!changed) { record.state = "sent"; record.action = null; record.photo = null; }
      } else if (answer.conflict) {
        record.state = "conflict";
        record.server = answer.server;
      } else if (answer.signin) {
        record.signin = true;
      } else {
        record.state = "refused";
        record.errors = answer.errors || null;
        record.refusedAt = Date.now();
        record.key = newKey();
      }
      return Store.put(record).then(function () {
        if (answer.signin && root.KippSync.sessionGone) return Promise.resolve(root.KippSync.sessionGone()).then(function () { return answer; });
        return answer;
      });
    });
  }

  function answerOf(response) {
    // What an answer says. JSON: the server's own (a refused CSRF token is {csrf: true}, offline/views.py). A
    // JSON request redirected to a page of the site: the session is gone (the login page). An HTML 403: a
    // refusal without a reason. Anything else (a 5xx of a proxy, a captive portal's page): no connection yet.
    if (isJson(response)) return response.json().catch(function () { return { network: true }; });
    const url = new URL(response.url || root.location.href, root.location.href);
    if (response.redirected && url.origin === root.location.origin) return Promise.resolve({ signin: true });
    if (response.status === 403) return Promise.resolve({ ok: false, refused: true, message: "" });
    return Promise.resolve({ network: true });
  }

  function send(record, options) {
    // One sending. Resolves to the server's answer ({ok}, {conflict}, {refused}), {signin: true} when the
    // session is gone, or {network: true} when there is no connection (the record then stays queued).
    const foreground = Boolean(options && options.foreground);
    return post(record, record.token, foreground).then(answerOf).then(function (answer) {
      if (!answer.csrf) return answer;
      // the token of a page kept from an earlier session: today's is read once, then the sending goes again
      return freshToken(record.pageUrl || record.url).then(function (token) {
        record.token = token;
        return post(record, token, foreground).then(answerOf);
      });
    }).then(function (answer) {
      if (answer.network) return answer;
      return settle(record, answer.csrf ? { signin: true } : answer);
    }, function () { return { network: true }; });
  }

  function withLock(work) {
    const locks = root.navigator && root.navigator.locks;
    return locks ? locks.request("kipp-offline-sync", work) : work();
  }

  function syncAll(user) {
    // Send every queued record of this person, one after the other.
    if (!user) return Promise.resolve([]);
    return withLock(function () {
      return Store.ofUser(user).then(function (records) {
        const queued = records.filter(function (r) { return r.state === "queued"; });
        return queued.reduce(function (chain, record) {
          return chain.then(function (answers) {
            return send(record).then(function (answer) { answers.push(answer); return answers; });
          });
        }, Promise.resolve([]));
      });
    });
  }

  function sendNow(record, options) {
    return withLock(function () { return send(record, options); });
  }

  function forgetSent() {
    // On signing in or out, or a session found gone: what was sent is dropped, and so is a draft typed over a
    // sent one; what still waits (queued, to be chosen, refused) and a draft never sent stay, shown and sent only
    // under their person's key once they are signed in again.
    return Store.all().then(function (records) {
      return Promise.all(records.filter(function (r) {
        return r.state === "sent" || (r.state === "typed" && r.sentOnce);
      }).map(function (r) {
        return Store.remove(r.id);
      }));
    }).catch(function () { return null; });
  }

  // sessionGone: set by the page (page.js) or the worker (sw.js): drops the pages kept for this person
  root.KippSync = { newKey: newKey, send: sendNow, syncAll: syncAll, forgetSent: forgetSent, sessionGone: null };
})(self);
