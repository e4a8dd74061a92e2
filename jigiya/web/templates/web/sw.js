/* Jigiya's service worker, release {{ version }} (issue 16). Served at /sw.js by web.views.
   Workbox (vendored) precaches the static files of this release; a new release is a new
   worker whose precache replaces the old one only once the user accepts to reload (no stale
   mix of old and new files). Pages are network first and kept per user for offline reading;
   a form sent while the network is down stays in the outbox (outbox.js) and is sent later. */
importScripts({{ workbox_sw|safe }}, {{ idb_keyval|safe }}, {{ outbox_js|safe }});
workbox.setConfig({ modulePathPrefix: {{ workbox_prefix|safe }}, debug: false });
workbox.loadModule("workbox-core");
workbox.loadModule("workbox-precaching");
workbox.loadModule("workbox-routing");
workbox.loadModule("workbox-strategies");

var RELEASE = {{ version_json|safe }};
var OFFLINE_PREFIXES = {{ offline_prefixes|safe }};
var PAGES = "jigiya-pages|";

workbox.core.setCacheNameDetails({ prefix: "jigiya", precache: "static" });
workbox.precaching.precacheAndRoute({{ precache|safe }});
workbox.precaching.cleanupOutdatedCaches();

/* Her area on the phone: the pages a page names (her worklist, its households and forms) are
   fetched and kept while the network is there, one at a time, so they read offline later. */
async function warm(urls) {
  for (var i = 0; i < urls.length; i++) {
    var url = new URL(urls[i], self.location.origin);
    if (!keptPath(url)) continue;
    try {
      await fromNetwork(new Request(url.href, { credentials: "same-origin", mode: "same-origin" }));
    } catch (error) {
      return; // the network went away: the rest another time
    }
  }
}

self.addEventListener("message", function (event) {
  if (event.data && event.data.warm) event.waitUntil(warm(event.data.warm));
  if (event.data === "skip-waiting") self.skipWaiting();
  if (event.data === "release") event.source.postMessage({ release: RELEASE });
});
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function pagesCache(user) { return PAGES + encodeURIComponent(user); }

function keptPath(url) {
  return url.origin === self.location.origin && OFFLINE_PREFIXES.some(function (prefix) {
    return url.pathname === prefix || (prefix.endsWith("/") && url.pathname.indexOf(prefix) === 0);
  });
}

/* A page: from the network (kept in the user's own cache when it is hers and whole), else
   from her cache, marked so the page says when it was last refreshed. The user is the one
   the server names on the response (X-Jigiya-User), so a page never lands in another
   user's cache on a shared phone. A network too slow to answer within SLOW_MS (3G at the
   edge of town) gives her kept copy at once, and the network's answer refreshes it later. */
var SLOW_MS = {{ slow_ms }};

async function fromNetwork(request) {
  var url = new URL(request.url);
  var response = await fetch(request);
  var user = decodeURIComponent(response.headers.get("X-Jigiya-User") || "");
  var html = (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
  // The user the server names now; a page for nobody (the login page) forgets the last one,
  // so a phone logged out never shows her pages offline to the next person.
  if (html && response.ok) await JigiyaOutbox.setMeta("user", user);
  if (user && response.ok && !response.redirected && keptPath(url)) {
    var cache = await caches.open(pagesCache(user));
    await cache.put(url.pathname + url.search, response.clone());
  }
  return response;
}

async function kept(url) {
  var current = (await JigiyaOutbox.getMeta("user")) || "";
  var cache = await caches.open(pagesCache(current));
  return (await cache.match(url.pathname + url.search)) || (await cache.match(url.pathname));
}

async function page(request) {
  var url = new URL(request.url);
  var network = fromNetwork(request);
  network.catch(function () { return null; }); // answered from the cache: no unhandled error
  var slow = new Promise(function (resolve) { setTimeout(resolve, SLOW_MS, null); });
  var first = await Promise.race([network.catch(function () { return null; }), slow]);
  if (first) return first;
  var found = await kept(url);
  if (found) return found;
  try {
    return await network;
  } catch (error) {
    var fallback = await kept(new URL("/outbox/", self.location.origin));
    if (fallback) return fallback;
    throw error;
  }
}

workbox.routing.registerRoute(function (options) {
  return options.request.mode === "navigate" && options.request.method === "GET";
}, function (options) { return page(options.request); }, "GET");

/* A form posted from a page: the page stored it in the outbox before sending; the answer
   tells what to do with it. A redirect is the server's success (remove it); the network
   down sends her back to the page she came from, told it is saved on the phone; a server
   error keeps it for a later retry; a refused form (400/409) is shown as usual and removed
   (the page shows the errors with her values, and keeps them as a draft). */
async function formPost(request) {
  var body = await request.clone().formData();
  var id = body.get("id");
  var keys = id ? (await idbKeyval.keys(JigiyaOutbox.store)).filter(function (key) {
    return String(key).indexOf("outbox|") === 0 && String(key).endsWith("|" + id);
  }) : [];
  var entry = keys.length ? await JigiyaOutbox.get(keys[0]) : null;
  try {
    var response = await fetch(request);
    if (entry && (response.type === "opaqueredirect" || (response.status >= 400 && response.status < 500))) {
      await JigiyaOutbox.remove(entry.key);
    } else if (entry) {
      entry.status = "pending";
      entry.message = "HTTP " + response.status;
      await JigiyaOutbox.put(entry);
    }
    return response;
  } catch (error) {
    if (!entry) throw error;
    var back = new URL(entry.back || entry.page, self.location.origin);
    back.hash = "saved-offline";
    return Response.redirect(back.href, 303);
  }
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method === "POST" && request.mode === "navigate"
      && new URL(request.url).origin === self.location.origin) {
    event.respondWith(formPost(request));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "jigiya-outbox") {
    event.waitUntil(JigiyaOutbox.flush().then(function (result) {
      return self.clients.matchAll().then(function (clients) {
        clients.forEach(function (client) { client.postMessage({ outbox: result }); });
      });
    }));
  }
});
