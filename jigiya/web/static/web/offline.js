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
