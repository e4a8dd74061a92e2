/* The outbox (issue 16): forms saved on the phone, sent to the server when it can be reached.
   Loaded by the pages (before offline.js) and by the service worker (importScripts), so both
   send the same way. Storage: IndexedDB through idb-keyval (one store, keys "<kind>|<user>|…").

   An entry: {key, id, user, action, page, title, fields: [[name, value], …], made_at,
   status: "pending" | "attention", message, tries, saved_at}. Nothing here drops an entry
   except a success (204 from the server, or 2xx after the form's redirect) or the user's own
   "discard".

   Sending is idempotent on the server (each form carries its client UUID, core/retries.py):
   an entry sent twice (two tabs, a response lost mid-way) is stored once, the second answer
   being the same success; a Web Lock keeps two tabs and the worker from sending at once. */
(function (scope) {
  "use strict";
  var idb = scope.idbKeyval;
  var store = idb.createStore("jigiya", "outbox");
  var LOGIN_PATH = "/accounts/login/";

  function outboxKey(user, id) { return "outbox|" + user + "|" + id; }
  function draftKey(user, path) { return "draft|" + user + "|" + path; }

  async function entries(user) {
    var all = await idb.entries(store);
    return all
      .filter(function (pair) { return String(pair[0]).indexOf("outbox|" + user + "|") === 0; })
      .map(function (pair) { return pair[1]; })
      .sort(function (a, b) { return a.saved_at < b.saved_at ? -1 : 1; });
  }

  async function put(entry) {
    entry.key = outboxKey(entry.user, entry.id);
    entry.saved_at = entry.saved_at || new Date().toISOString();
    await idb.set(entry.key, entry, store);
    return entry;
  }

  /* A request that gets no answer within `api.timeout` ms (30 s; a test shortens it) is given
     up, so a hung server never holds the outbox's lock: the entry stays, the next try sends it
     again (stored once: the server may have stored it and lost the answer). */
  function timed(url, options) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, api.timeout);
    options.signal = controller.signal;
    return fetch(url, options).finally(function () { clearTimeout(timer); });
  }

  async function get(key) { return idb.get(key, store); }
  async function remove(key) { return idb.del(key, store); }
  async function setMeta(name, value) { return idb.set("meta|" + name, value, store); }
  async function getMeta(name) { return idb.get("meta|" + name, store); }

  /* Who is logged in right now, and a fresh CSRF token: the outbox page's meta tags. An
     expired session answers with the login page: then nothing is sent until she logs in. */
  async function session() {
    var response = await timed("/outbox/?fresh=1", { credentials: "same-origin", cache: "no-store" });
    if (response.redirected && new URL(response.url).pathname === LOGIN_PATH) {
      return { user: "", token: "" };
    }
    var html = await response.text();
    function meta(name) {
      var found = html.match(new RegExp('<meta name="' + name + '" content="([^"]*)"'));
      return found ? found[1] : "";
    }
    return { user: meta("jigiya-user"), token: meta("csrf-token") };
  }

  /* The server's messages in a refused form's page (errors lists), as plain text. */
  function errorsOf(html) {
    var messages = [];
    var re = /<ul class="errorlist[^"]*"[^>]*>([\s\S]*?)<\/ul>/g;
    var found;
    while ((found = re.exec(html)) !== null) {
      found[1].replace(/<li>([\s\S]*?)<\/li>/g, function (_all, text) {
        messages.push(text.replace(/<[^>]+>/g, "").replace(/&#x27;|&#39;/g, "'")
          .replace(/&quot;/g, '"').replace(/&amp;/g, "&").trim());
        return "";
      });
    }
    return messages.join(" ");
  }

  /* Send one entry as its form would have been sent. Returns "sent", "attention", "login",
     "retry" (server error or CSRF refused) or "offline" (no network: stop for now). */
  async function send(entry, token) {
    var body = new URLSearchParams();
    entry.fields.forEach(function (pair) {
      if (pair[0] !== "csrfmiddlewaretoken") body.append(pair[0], pair[1]);
    });
    body.append("csrfmiddlewaretoken", token);
    var response;
    try {
      response = await timed(entry.action, {
        method: "POST", body: body, credentials: "same-origin", redirect: "follow",
        headers: { "X-Jigiya-Outbox": "1", "X-Jigiya-User": encodeURIComponent(entry.user) },
      });
    } catch (error) {
      if (error && error.name === "AbortError") {
        entry.tries = (entry.tries || 0) + 1;
        entry.status = "pending";
        entry.message = "timeout";
        await put(entry);
      }
      return "offline";
    }
    if (response.redirected && new URL(response.url).pathname === LOGIN_PATH) return "login";
    // Another account logged in on this phone since the outbox looked: kept for its author.
    if (response.headers.get("X-Jigiya-Other-User")) return "login";
    // Saved: 204 naming where the page would go (web.middleware.OutboxAnswerMiddleware), or
    // the form's own redirect.
    if (response.status === 204 || (response.ok && response.redirected)) {
      await remove(entry.key);
      return "sent";
    }
    entry.tries = (entry.tries || 0) + 1;
    if (response.status >= 400 && response.status < 500) {
      entry.status = "attention";
      entry.code = response.status;
      entry.message = errorsOf(await response.text()) || ("HTTP " + response.status);
      await put(entry);
      return "attention";
    }
    entry.status = "pending";
    entry.message = "HTTP " + response.status;
    await put(entry);
    return "retry";
  }

  /* Send every pending entry of the user logged in now (never another user's), one at a time,
     under a lock so two tabs or the worker do not send together. */
  async function flush() {
    var run = async function () {
      var now = await session().catch(function () { return null; });
      if (now === null) return { state: "offline", sent: 0 };
      if (!now.user) return { state: "login", sent: 0 };
      await setMeta("user", now.user);
      var list = (await entries(now.user)).filter(function (e) { return e.status !== "attention"; });
      var sent = 0;
      for (var i = 0; i < list.length; i++) {
        var result = await send(list[i], now.token);
        if (result === "sent") sent++;
        if (result === "offline" || result === "login") return { state: result, sent: sent };
      }
      return { state: "done", sent: sent };
    };
    if (scope.navigator && scope.navigator.locks) {
      return scope.navigator.locks.request("jigiya-outbox", { ifAvailable: true }, function (lock) {
        return lock ? run() : { state: "busy", sent: 0 };
      });
    }
    return run();
  }

  var api = scope.JigiyaOutbox = {
    timeout: 30000,
    store: store, entries: entries, put: put, get: get, remove: remove, send: send,
    flush: flush, session: session, errorsOf: errorsOf, outboxKey: outboxKey,
    draftKey: draftKey, setMeta: setMeta, getMeta: getMeta,
    saveDraft: function (user, path, draft) { return idb.set(draftKey(user, path), draft, store); },
    getDraft: function (user, path) { return idb.get(draftKey(user, path), store); },
    dropDraft: function (user, path) { return idb.del(draftKey(user, path), store); },
  };
})(typeof self !== "undefined" ? self : window);
