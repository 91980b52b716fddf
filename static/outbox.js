// The outbox: check-ins waiting on this device (IndexedDB) and their delivery to the API.
// One classic script for the pages and the service worker (importScripts), so both send the
// same way. Exposes self.Outbox.
(() => {
  "use strict";

  const DB = "hersteldagboek";
  const OUTBOX = "outbox"; // key client_id: {client_id, date, made_at, answers, account, status, message, code}
  const META = "meta"; // "csrf": the last CSRF token the server gave us
  const ACCOUNT = "X-Journal-Account"; // set by the server on responses to a logged-in person
  const WAITING = new Set(["queued", "needs_login"]); // sent again when possible
  const listeners = new Set();
  const channel = "BroadcastChannel" in self ? new BroadcastChannel("hersteldagboek-outbox") : null;
  let opening = null;

  const open = () => {
    opening ||= new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(OUTBOX, { keyPath: "client_id" });
        request.result.createObjectStore(META);
      };
      request.onsuccess = () => {
        const db = request.result;
        // A later version of this file may upgrade the schema from another tab: let it.
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      request.onerror = () => { opening = null; reject(request.error); };
    });
    return opening;
  };

  // One request in its own transaction; resolves once the transaction has committed.
  const run = async (store, mode, use) => {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const request = use(tx.objectStore(store));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  };

  // Tell this page (listeners) and every other page and the worker (channel) what changed.
  const changed = (detail = {}) => {
    listeners.forEach((listener) => listener(detail));
    channel?.postMessage(detail);
  };
  channel?.addEventListener("message", (event) => listeners.forEach((l) => l(event.data || {})));

  const all = () => run(OUTBOX, "readonly", (store) => store.getAll());
  const put = (item) => run(OUTBOX, "readwrite", (store) => store.put(item)).then(() => changed());
  const remove = (id) => run(OUTBOX, "readwrite", (store) => store.delete(id)).then(() => changed());
  const storedToken = () => run(META, "readonly", (store) => store.get("csrf"));

  // Who is logged in, with a fresh CSRF token; null when nobody is. Throws when offline.
  const session = async () => {
    const response = await fetch("/api/session", {
      credentials: "same-origin", cache: "no-store", redirect: "manual",
      headers: { Accept: "application/json" },
    });
    if (response.status === 401 || response.type === "opaqueredirect") return null;
    if (!response.ok) throw new Error(`session: ${response.status}`);
    const body = await response.json();
    if (!body.authenticated) return null;
    await run(META, "readwrite", (store) => store.put(body.csrf_token, "csrf"));
    return { token: body.csrf_token, account: response.headers.get(ACCOUNT) || "" };
  };

  const post = async (item, token) => {
    const response = await fetch("/api/checkins", {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual", // a redirect means a login page, never success
      // A request that hangs on a bad connection counts as offline; the item stays queued and
      // the server's idempotency key makes the later retry harmless if this one did arrive.
      signal: AbortSignal.timeout ? AbortSignal.timeout(20000) : undefined,
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token || "" },
      body: JSON.stringify({
        client_id: item.client_id, date: item.date, made_at: item.made_at, answers: item.answers,
      }),
    });
    const body = await response.json().catch(() => ({}));
    return { status: response.type === "opaqueredirect" ? 401 : response.status, body };
  };

  const messageOf = (body) => body.message || Object.values(body.errors || {}).join(" ");

  // Worth sending again later: a timeout, too many requests, a CSRF token gone stale again.
  const TRANSIENT = new Set([408, 425, 429]);
  const outcomeOf = ({ status, body }) => {
    if (status === 200 || status === 201) return "sent";
    if (status === 401) return "needs_login";
    if (status === 409) return "conflict";
    if (status === 403 && body.error === "csrf") return "retry";
    // Any other refusal (422, 400, 413, ...) comes again however often it is sent: out of the
    // queue, and shown to the person with the server's words, never dropped (issue 17).
    if (status >= 400 && status < 500 && !TRANSIENT.has(status)) return "invalid";
    return "retry"; // server trouble: keep it queued, try again later
  };

  // Send one item. Resolves with {outcome, message}; throws on a network error (offline).
  const deliver = async (item, token) => {
    let answer = await post(item, token || (await storedToken()));
    if (answer.body.error === "csrf") {
      // The token went stale (a new session since the page was rendered): fetch one, once.
      const who = await session();
      if (!who) return { outcome: "needs_login", message: "" };
      answer = await post(item, who.token);
    }
    return { outcome: outcomeOf(answer), message: messageOf(answer.body), code: answer.status };
  };

  // Send everything waiting. Resolves with {sent, waiting}: how many went out, how many stay
  // queued for a later try (offline, server trouble). Never throws.
  const sendNow = async () => {
    const result = { sent: 0, waiting: 0 };
    const items = (await all()).filter((item) => WAITING.has(item.status));
    if (items.length === 0) return result;
    const mark = async (item, status, message = "", code = 0) => {
      if (item.status !== status || item.message !== message) await put({ ...item, status, message, code });
    };
    let who;
    try {
      who = await session();
    } catch (_) {
      result.waiting = items.length;
      return result;
    }
    for (const [index, item] of items.entries()) {
      // Logged out, or someone else logged in on this device: it waits for its own account.
      if (!who || (item.account && who.account && item.account !== who.account)) {
        await mark(item, "needs_login");
        continue;
      }
      let answer;
      try {
        answer = await deliver(item, who.token);
      } catch (_) {
        result.waiting = items.length - index;
        break;
      }
      if (answer.outcome === "sent") {
        await run(OUTBOX, "readwrite", (store) => store.delete(item.client_id));
        result.sent += 1;
      } else if (answer.outcome === "retry") {
        result.waiting = items.length - index;
        break;
      } else {
        await mark(item, answer.outcome, answer.message, answer.code);
        if (answer.outcome === "needs_login") who = null; // the rest wait for the login too
      }
    }
    if (result.sent) changed({ sent: result.sent });
    return result;
  };

  // One sender at a time across pages and the worker (a page's `online` and the worker's
  // `sync` often fire together); the server's idempotency covers browsers without locks.
  const send = () => {
    const locks = self.navigator && self.navigator.locks;
    const sending = locks ? locks.request("hersteldagboek-outbox", sendNow) : sendNow();
    return sending.catch(() => ({ sent: 0, waiting: 0 }));
  };

  self.Outbox = {
    all, put, remove, send, deliver, onChange: (listener) => listeners.add(listener),
  };
})();
