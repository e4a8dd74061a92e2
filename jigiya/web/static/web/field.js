/* Built by tools/bundle_field_js.py from idb-keyval.umd.js, outbox.js, offline.js: do not edit. */
/* --- idb-keyval.umd.js --- */
function _slicedToArray(n,t){return _arrayWithHoles(n)||_iterableToArrayLimit(n,t)||_unsupportedIterableToArray(n,t)||_nonIterableRest()}function _nonIterableRest(){throw new TypeError("Invalid attempt to destructure non-iterable instance.\nIn order to be iterable, non-array objects must have a [Symbol.iterator]() method.")}function _unsupportedIterableToArray(n,t){if(n){if("string"==typeof n)return _arrayLikeToArray(n,t);var r={}.toString.call(n).slice(8,-1);return"Object"===r&&n.constructor&&(r=n.constructor.name),"Map"===r||"Set"===r?Array.from(n):"Arguments"===r||/^(?:Ui|I)nt(?:8|16|32)(?:Clamped)?Array$/.test(r)?_arrayLikeToArray(n,t):void 0}}function _arrayLikeToArray(n,t){(null==t||t>n.length)&&(t=n.length);for(var r=0,e=Array(t);r<t;r++)e[r]=n[r];return e}function _iterableToArrayLimit(n,t){var r=null==n?null:"undefined"!=typeof Symbol&&n[Symbol.iterator]||n["@@iterator"];if(null!=r){var e,o,u,i,a=[],c=!0,l=!1;try{if(u=(r=r.call(n)).next,0===t){if(Object(r)!==r)return;c=!1}else for(;!(c=(e=u.call(r)).done)&&(a.push(e.value),a.length!==t);c=!0);}catch(n){l=!0,o=n}finally{try{if(!c&&null!=r.return&&(i=r.return(),Object(i)!==i))return}finally{if(l)throw o}}return a}}function _arrayWithHoles(n){if(Array.isArray(n))return n}function _typeof(n){return _typeof="function"==typeof Symbol&&"symbol"==typeof Symbol.iterator?function(n){return typeof n}:function(n){return n&&"function"==typeof Symbol&&n.constructor===Symbol&&n!==Symbol.prototype?"symbol":typeof n},_typeof(n)}!function(n,t){"object"===("undefined"==typeof exports?"undefined":_typeof(exports))&&"undefined"!=typeof module?t(exports):"function"==typeof define&&define.amd?define(["exports"],t):t((n="undefined"!=typeof globalThis?globalThis:n||self).idbKeyval={})}(this,(function(n){"use strict";function t(n){return new Promise((function(t,r){n.oncomplete=n.onsuccess=function(){return t(n.result)},n.onabort=n.onerror=function(){return r(n.error)}}))}function r(n,r){var e;return function(o,u){return function(){if(e)return e;var o=indexedDB.open(n);return o.onupgradeneeded=function(){return o.result.createObjectStore(r)},(e=t(o)).then((function(n){n.onclose=function(){return e=void 0}}),(function(){e=void 0})),e}().then((function(n){return u(n.transaction(r,o).objectStore(r))}))}}var e;function o(){return e||(e=r("keyval-store","keyval")),e}function u(n,r){return n.openCursor().onsuccess=function(){this.result&&(r(this.result),this.result.continue())},t(n.transaction)}n.clear=function(){return(arguments.length>0&&void 0!==arguments[0]?arguments[0]:o())("readwrite",(function(n){return n.clear(),t(n.transaction)}))},n.createStore=r,n.del=function(n){return(arguments.length>1&&void 0!==arguments[1]?arguments[1]:o())("readwrite",(function(r){return r.delete(n),t(r.transaction)}))},n.delMany=function(n){return(arguments.length>1&&void 0!==arguments[1]?arguments[1]:o())("readwrite",(function(r){return n.forEach((function(n){return r.delete(n)})),t(r.transaction)}))},n.entries=function(){return(arguments.length>0&&void 0!==arguments[0]?arguments[0]:o())("readonly",(function(n){if(n.getAll&&n.getAllKeys)return Promise.all([t(n.getAllKeys()),t(n.getAll())]).then((function(n){var t=_slicedToArray(n,2),r=t[0],e=t[1];return r.map((function(n,t){return[n,e[t]]}))}));var r=[];return u(n,(function(n){return r.push([n.key,n.value])})).then((function(){return r}))}))},n.get=function(n){return(arguments.length>1&&void 0!==arguments[1]?arguments[1]:o())("readonly",(function(r){return t(r.get(n))}))},n.getMany=function(n){return(arguments.length>1&&void 0!==arguments[1]?arguments[1]:o())("readonly",(function(r){return Promise.all(n.map((function(n){return t(r.get(n))})))}))},n.keys=function(){return(arguments.length>0&&void 0!==arguments[0]?arguments[0]:o())("readonly",(function(n){if(n.getAllKeys)return t(n.getAllKeys());var r=[];return u(n,(function(n){return r.push(n.key)})).then((function(){return r}))}))},n.promisifyRequest=t,n.set=function(n,r){return(arguments.length>2&&void 0!==arguments[2]?arguments[2]:o())("readwrite",(function(e){return e.put(r,n),t(e.transaction)}))},n.setMany=function(n){return(arguments.length>1&&void 0!==arguments[1]?arguments[1]:o())("readwrite",(function(r){return n.forEach((function(n){return r.put(n[1],n[0])})),t(r.transaction)}))},n.update=function(n,r){return(arguments.length>2&&void 0!==arguments[2]?arguments[2]:o())("readwrite",(function(e){return new Promise((function(o,u){var i=e.get(n);i.onsuccess=function(){try{e.put(r(i.result),n),o(t(e.transaction))}catch(n){u(n)}},i.onerror=function(){return u(i.error)}}))}))},n.values=function(){return(arguments.length>0&&void 0!==arguments[0]?arguments[0]:o())("readonly",(function(n){if(n.getAll)return t(n.getAll());var r=[];return u(n,(function(n){return r.push(n.value)})).then((function(){return r}))}))}}));
/* --- outbox.js --- */
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
/* --- offline.js --- */
/* The field client on every page (issue 16): registers the service worker and tells of a new
   release; keeps field forms as drafts while she types; saves a submitted form in the outbox
   (outbox.js) before it leaves, so a network that drops loses nothing; shows the outbox count
   in the header, sends it when the network returns, and fills the outbox page.

   A field form is a POST form with a hidden client id (`id`) and a `made_at` field: the time
   it was made on the phone, kept by the server beside the time it was received. */
(function () {
  "use strict";
  if (typeof document === "undefined") return; // loaded by the service worker: outbox only
  var outbox = window.JigiyaOutbox;
  var meta = function (name) {
    var found = document.querySelector('meta[name="' + name + '"]');
    return found ? found.content : "";
  };
  var user = meta("jigiya-user");
  var texts = document.getElementById("field-client");
  var t = function (name) { return texts ? texts.dataset[name] || "" : ""; };
  var RETRY_MS = 60000;

  function banner(text, link, onClick) {
    var box = document.getElementById("field-banner");
    if (!box) return;
    box.textContent = text + " ";
    if (link) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link";
      button.textContent = link;
      button.addEventListener("click", onClick);
      box.appendChild(button);
    }
    box.hidden = false;
  }

  /* --- the service worker and its releases --- */
  function register() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function (registration) {
      function offer(worker) {
        banner(t("update"), t("reload"), function () {
          window.jigiyaUpdateAccepted = true;
          worker.postMessage("skip-waiting");
        });
      }
      if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
      registration.addEventListener("updatefound", function () {
        var worker = registration.installing;
        worker.addEventListener("statechange", function () {
          if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
        });
      });
    });
    var reloading = false;
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      if (reloading || !window.jigiyaUpdateAccepted) return;
      reloading = true;
      window.location.reload();
    });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.outbox) refresh(event.data.outbox);
    });
  }

  /* --- forms: fields, drafts, the outbox --- */
  function fieldsOf(form) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) { pairs.push([name, String(value)]); });
    return pairs;
  }

  function fill(form, pairs) {
    form.querySelectorAll("input[type=checkbox], input[type=radio]").forEach(function (box) {
      box.checked = false;
    });
    pairs.forEach(function (pair) {
      if (pair[0] === "csrfmiddlewaretoken") return;
      form.querySelectorAll('[name="' + CSS.escape(pair[0]) + '"]').forEach(function (field) {
        if (field.type === "checkbox" || field.type === "radio") {
          if (field.value === pair[1]) field.checked = true;
        } else {
          field.value = pair[1];
        }
      });
    });
    form.querySelectorAll("input, select, textarea").forEach(function (field) {
      field.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  function fieldForms() {
    return Array.prototype.filter.call(document.querySelectorAll("main form"), function (form) {
      return form.method.toLowerCase() === "post" && form.querySelector('input[name="made_at"]')
        && form.querySelector('input[name="id"]');
    });
  }

  function here() { return window.location.pathname + window.location.search; }

  function backTo(form) {
    var next = form.querySelector('input[name="next"]');
    if (next && next.value) return next.value;
    var from = document.referrer ? new URL(document.referrer) : null;
    if (from && from.origin === window.location.origin && from.pathname !== window.location.pathname) {
      return from.pathname + from.search;
    }
    return here();
  }

  async function submitted(event) {
    var form = event.target;
    if (!user || fieldForms().indexOf(form) < 0) return;
    event.preventDefault();
    var madeAt = form.querySelector('input[name="made_at"]');
    var opened = form.dataset.outboxKey ? await outbox.get(form.dataset.outboxKey) : null;
    madeAt.value = opened && opened.made_at ? opened.made_at : new Date().toISOString();
    var entry = {
      id: form.querySelector('input[name="id"]').value, user: user,
      action: form.getAttribute("action") || here(), page: here(), back: backTo(form),
      title: (document.querySelector("main h1") || document).textContent.trim(),
      fields: fieldsOf(form), made_at: madeAt.value, status: "pending", message: "",
    };
    await outbox.put(entry);
    await outbox.dropDraft(user, here());
    if (!navigator.onLine) {
      syncLater();
      goBack(entry.back);
      return;
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  /* Where she came from, told the form is saved on the phone (the same page: loaded again,
     empty, with a new id for the next record). */
  function goBack(back) {
    var target = new URL(back, window.location.href);
    target.hash = "saved-offline";
    if (target.pathname + target.search === here()) {
      window.location.replace(target.href);
      window.location.reload();
    } else {
      window.location.assign(target.href);
    }
  }

  function keepDrafts(form) {
    var timer = null;
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        outbox.saveDraft(user, here(), { fields: fieldsOf(form), saved_at: new Date().toISOString() });
      }, 300);
    });
  }

  async function restore(form) {
    var key = decodeURIComponent((window.location.hash.match(/^#outbox=(.+)$/) || [])[1] || "");
    if (key) {
      var entry = await outbox.get(key);
      if (entry && entry.user === user) {
        form.dataset.outboxKey = key;
        fill(form, entry.fields);
        if (entry.message) banner(entry.message);
      }
      return;
    }
    if (form.querySelector(".errorlist")) {
      outbox.saveDraft(user, here(), { fields: fieldsOf(form), saved_at: new Date().toISOString() });
      return;
    }
    var draft = await outbox.getDraft(user, here());
    if (!draft) {
      /* A new record: a new id, even when the page comes from the phone's cache. */
      form.querySelector('input[name="id"]').value = crypto.randomUUID();
      return;
    }
    fill(form, draft.fields);
    banner(t("draft") + " (" + new Date(draft.saved_at).toLocaleString() + ").", t("discardDraft"),
      function () { outbox.dropDraft(user, here()).then(function () { window.location.reload(); }); });
  }

  /* --- sending, the header count, the outbox page --- */
  function syncLater() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("jigiya-outbox");
    }).catch(function () {});
  }

  async function count() {
    var list = await outbox.entries(user);
    var link = document.getElementById("outbox-count");
    if (link) {
      link.hidden = list.length === 0;
      link.querySelector("span").textContent = String(list.length);
      link.classList.toggle("attention", list.some(function (e) { return e.status === "attention"; }));
    }
    return list;
  }

  function refresh(result) {
    if (result && result.state === "login") banner(t("login"));
    if (result && result.sent) banner(t("sent") + ": " + result.sent);
    count().then(renderOutbox);
  }

  var flushing = false;
  async function send() {
    if (!user || flushing || !navigator.onLine) return;
    flushing = true;
    try {
      var pending = (await outbox.entries(user)).filter(function (e) { return e.status !== "attention"; });
      if (pending.length) refresh(await outbox.flush());
    } catch (error) {
      /* the network went away mid-way: the entries stay, the next try sends them */
    } finally {
      flushing = false;
    }
  }

  function button(label, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "secondary";
    b.textContent = label;
    b.addEventListener("click", action);
    return b;
  }

  async function renderOutbox() {
    var list = document.getElementById("outbox-list");
    if (!list) return;
    var entries = await outbox.entries(user);
    list.textContent = "";
    if (!entries.length) {
      var none = document.createElement("li");
      none.textContent = t("empty");
      list.appendChild(none);
    }
    entries.forEach(function (entry) { list.appendChild(entryCard(entry)); });
  }

  function entryCard(entry) {
    var item = document.createElement("li");
    item.className = entry.status;
    var title = document.createElement("strong");
    title.textContent = entry.title;
    var when = document.createElement("span");
    when.textContent = t("made") + " " + new Date(entry.made_at).toLocaleString() + " · "
      + (entry.status === "attention" ? t("attention") : t("pending"));
    item.append(title, when);
    if (entry.message) {
      var message = document.createElement("p");
      message.className = entry.status === "attention" ? "errorlist" : "muted";
      message.textContent = entry.message === "timeout" ? t("timeout") : entry.message;
      item.appendChild(message);
    }
    var open = document.createElement("a");
    open.className = "button secondary";
    open.href = entry.page + "#outbox=" + encodeURIComponent(entry.key);
    open.textContent = t("open");
    item.appendChild(open);
    item.appendChild(button(t("resend"), async function () {
      entry.status = "pending";
      await outbox.put(entry);
      await send();
      renderOutbox();
    }));
    if (entry.code === 409) item.appendChild(button(t("asNew"), function () { asNew(entry); }));
    item.appendChild(button(t("drop"), async function () {
      if (!window.confirm(t("discard"))) return;
      await outbox.remove(entry.key);
      refresh();
    }));
    return item;
  }

  /* A conflict: the server holds another record under this id. Sent as a new record, it
     gets a new id (the one on the server is kept as it is). */
  async function asNew(entry) {
    await outbox.remove(entry.key);
    var id = crypto.randomUUID();
    entry.fields = entry.fields.map(function (pair) { return pair[0] === "id" ? ["id", id] : pair; });
    entry.id = id;
    entry.status = "pending";
    entry.message = "";
    entry.code = undefined;
    await outbox.put(entry);
    await send();
    refresh();
  }

  /* Logging out with unsent records asks first; her pages kept on the phone are cleared,
     her outbox stays (under her name, sent when she logs in again). */
  function guardLogout() {
    document.querySelectorAll('form[action$="/logout/"]').forEach(function (form) {
      form.addEventListener("submit", async function (event) {
        event.preventDefault();
        var list = await outbox.entries(user);
        if (list.length && !window.confirm(t("logout"))) return;
        if (window.caches) await caches.delete("jigiya-pages|" + encodeURIComponent(user));
        HTMLFormElement.prototype.submit.call(form);
      });
    });
  }

  /* While online, ask the service worker to keep the pages she needs offline: the start
     pages of her programs and the pages this one links to (a worklist links to each visit
     form and household). At most once every few minutes per page. */
  var WARM_EVERY_MS = 5 * 60000;
  var START_PAGES = ["/", "/followup/", "/registry/", "/savings/", "/outbox/"];
  function warmArea() {
    if (!navigator.onLine || !navigator.serviceWorker || !navigator.serviceWorker.controller) return;
    var stamp = "jigiya-warm|" + user + "|" + here();
    var last = Number(window.localStorage.getItem(stamp) || 0);
    if (Date.now() - last < WARM_EVERY_MS) return;
    window.localStorage.setItem(stamp, String(Date.now()));
    var urls = START_PAGES.slice();
    document.querySelectorAll("main a[href^='/']").forEach(function (link) {
      var href = link.getAttribute("href");
      if (urls.length < 150 && urls.indexOf(href) < 0 && !/export|download|\.(csv|xlsx|pdf)/.test(href)) {
        urls.push(href);
      }
    });
    navigator.serviceWorker.controller.postMessage({ warm: urls });
  }

  function lastRefreshed() {
    var rendered = meta("jigiya-rendered");
    if (!rendered) return;
    var age = Date.now() - new Date(rendered).getTime();
    if (!navigator.onLine || age > 120000) {
      banner(t("refreshed") + ": " + new Date(rendered).toLocaleString() + ".");
      document.documentElement.classList.add("from-phone");
    }
  }

  function start() {
    register();
    if (!user) return;
    outbox.setMeta("user", user);
    // Ask that the outbox and her pages be kept when the phone runs short of space (the
    // browser decides; a user's own "clear site data" still clears them).
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
    lastRefreshed();
    if (window.location.hash === "#saved-offline") banner(t("saved"));
    fieldForms().forEach(function (form) {
      keepDrafts(form);
      restore(form);
    });
    document.addEventListener("submit", submitted);
    guardLogout();
    var sendNow = document.getElementById("outbox-send");
    if (sendNow) sendNow.addEventListener("click", send);
    count().then(renderOutbox).then(send).then(warmArea);
    window.addEventListener("online", send);
    setInterval(send, RETRY_MS);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
