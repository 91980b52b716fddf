// The service worker: app shell offline, personal pages for this account only, the outbox.
// Served at /sw.js by journal/web/pwa.py, which puts `self.PWA = {version, shell,
// accountHeader}` in front of this file: the version is a hash of the shell's files.
/* global Outbox */
"use strict";

importScripts("/static/outbox.js");
importScripts("/static/sw-push.js");

const { version: VERSION, shell: SHELL, accountHeader: ACCOUNT } = self.PWA;
const SHELL_PREFIX = "hersteldagboek-shell-";
const SHELL_CACHE = SHELL_PREFIX + VERSION;
const PAGES_CACHE = "hersteldagboek-pages"; // personal: emptied at logout, or for another account
const PAGES = ["/", "/checkin"]; // the pages that open offline from the last online visit
const OFFLINE = "/offline";

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    // "reload" skips the HTTP cache so a new version never stores an old file; the offline
    // page goes without cookies so its cached copy holds nothing personal.
    await cache.addAll(SHELL.map((url) => new Request(url, {
      cache: "reload", credentials: url === OFFLINE ? "omit" : "same-origin",
    })));
    // Take over at once. Safe here: pages are server-rendered and load all their files up
    // front, so an open page never asks the new worker for a file of the old version; and
    // the outbox lives in IndexedDB, which no version change touches.
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names
      .filter((name) => name.startsWith(SHELL_PREFIX) && name !== SHELL_CACHE)
      .map((name) => caches.delete(name)));
    // Start the page request while the worker boots instead of after.
    await self.registration.navigationPreload?.enable();
    await self.clients.claim();
    // Open pages may hold a queue the old version did not get to: ask them to send it.
    for (const client of await self.clients.matchAll({ type: "window" })) {
      client.postMessage({ type: "flush" });
    }
  })());
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  // Only our own GETs. The API and every POST go to the network and never into a cache.
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event, url));
  } else if (url.pathname.startsWith("/static/") || SHELL.includes(url.pathname)) {
    event.respondWith(asset(request));
  }
});

// Static files: from the versioned cache, else from the network (and kept for next time).
const asset = async (request) => {
  const cached = await caches.match(request, { cacheName: SHELL_CACHE });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && new URL(request.url).pathname.startsWith("/static/")) {
    const copy = response.clone();
    caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
};

// Pages: network first; offline, the last copy of "/" or "/checkin", else the offline page.
const page = async (event, url) => {
  const personal = PAGES.includes(url.pathname) && !url.search;
  try {
    const response = (await event.preloadResponse) || (await fetch(event.request));
    event.waitUntil(remember(url, personal, response.clone()));
    return response;
  } catch (_) {
    const copy = personal && (await caches.match(url.pathname, { cacheName: PAGES_CACHE }));
    return copy || (await caches.match(OFFLINE, { cacheName: SHELL_CACHE })) || Response.error();
  }
};

// Keep a personal page only for the account that is logged in now (the server marks its
// responses with ACCOUNT). A page without the mark means nobody is logged in: drop them all.
const remember = async (url, personal, response) => {
  const account = response.type === "basic" ? response.headers.get(ACCOUNT) : null;
  if (!account) {
    // An opaque redirect of "/checkin" is the login redirect of an ended session.
    if (response.ok || (personal && response.type === "opaqueredirect")) {
      await caches.delete(PAGES_CACHE);
    }
    return;
  }
  const cache = await caches.open(PAGES_CACHE);
  for (const key of await cache.keys()) {
    const old = await cache.match(key);
    if (!old || old.headers.get(ACCOUNT) !== account) await cache.delete(key);
  }
  if (personal && response.status === 200) await cache.put(url.pathname, response);
};

// Background Sync: the browser wakes us when the network is back, even with no page open.
self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox") return;
  event.waitUntil(Outbox.send().then(({ waiting }) => {
    if (waiting) throw new Error("still offline"); // a rejected sync is retried later
  }));
});

self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  if (type === "logout") event.waitUntil(caches.delete(PAGES_CACHE));
  else if (type === "flush") event.waitUntil(Outbox.send());
});
