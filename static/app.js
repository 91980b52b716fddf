// Progressive enhancement only: every page works without this file.
(() => {
  "use strict";

  // Registration: take the time zone from the browser so "today" is the person's own day.
  for (const input of document.querySelectorAll("[data-browser-timezone]")) {
    try { input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (_) { /* keep default */ }
  }

  const form = document.querySelector("[data-checkin-form]");

  // --- The check-in form: every open question gets its message before anything is sent. ---
  if (form) {
    const message = form.querySelector("[data-required-msg]")?.textContent || "";

    const answered = (q) =>
      [...q.querySelectorAll("input, textarea")].some((el) =>
        (el.type === "radio" || el.type === "checkbox") ? el.checked : el.value.trim() !== "");

    const showError = (q) => {
      if (q.querySelector(".error")) return;
      const p = document.createElement("p");
      p.className = "error";
      p.id = "err-" + q.id.slice(2);
      p.textContent = message;
      q.append(p);
      q.classList.add("has-error");
      q.setAttribute("aria-describedby", p.id);
    };

    const clearError = (q) => {
      q.classList.remove("has-error");
      q.querySelector(".error")?.remove();
      q.removeAttribute("aria-describedby");
    };

    // A typed "other" number and a tapped chip mean the same question: keep only one answer.
    form.addEventListener("input", (event) => {
      const el = event.target;
      const q = el.closest(".q");
      if (!q) return;
      if (el.type === "number" && el.closest(".other") && el.value !== "") {
        q.querySelectorAll("input[type=radio]").forEach((r) => { r.checked = false; });
      } else if (el.type === "radio") {
        const other = q.querySelector(".other input");
        if (other) other.value = "";
      }
      // "nothing" excludes the other night signals, and the other way round.
      if (el.name === "night_signals" && el.checked) {
        q.querySelectorAll("input[name=night_signals]").forEach((box) => {
          if ((el.value === "nothing") !== (box.value === "nothing")) box.checked = false;
        });
      }
      if (answered(q)) clearError(q);
    });

    form.addEventListener("submit", (event) => {
      const missing = [...form.querySelectorAll(".q[data-required]")]
        .filter((q) => q.offsetParent !== null && !answered(q));
      if (missing.length === 0) return;
      event.preventDefault();
      missing.forEach(showError);
      missing[0].scrollIntoView({ behavior: "smooth", block: "center" });
      missing[0].querySelector("input, textarea")?.focus({ preventScroll: true });
    });
  }

  // --- Offline: service worker, outbox banner, offline check-in, logout. ---
  const outbox = "indexedDB" in window ? window.Outbox : null; // from outbox.js
  const region = document.querySelector("[data-outbox]");
  const PAGES_CACHE = "hersteldagboek-pages"; // as in sw.js
  const MULTI = new Set(["rest_types", "context_tags", "night_signals"]);
  const text = (el, key, values = {}) =>
    (el?.dataset[key] || "").replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
  const lang = document.documentElement.lang || "nl";
  const dayName = (iso) => {
    try {
      return new Date(iso + "T12:00:00").toLocaleDateString(lang, { weekday: "long", day: "numeric", month: "long" });
    } catch (_) { return iso; }
  };
  const make = (tag, props = {}, ...children) => {
    const el = Object.assign(document.createElement(tag), props);
    el.append(...children);
    return el;
  };

  if ("serviceWorker" in navigator) {
    // After load, so installing the worker never competes with the first paint.
    window.addEventListener("load", () => {
      navigator.serviceWorker.register("/sw.js", { scope: "/", updateViaCache: "none" }).catch(() => {});
    });
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data?.type === "flush") flush();
    });
  }

  const askForSync = () => {
    // Background Sync lets the worker send even after this page is closed (Chromium).
    navigator.serviceWorker?.ready.then((reg) => reg.sync?.register("outbox")).catch(() => {});
  };

  const flush = () => (outbox && navigator.onLine ? outbox.send() : Promise.resolve());

  // The banner: one line per unsent check-in. Redrawn only when something changed, so the
  // live region does not repeat itself.
  let shown = "";
  const note = region && make("p", { className: "outbox-note" });
  const list = region && make("div");
  region?.append(note, list);

  const row = (item) => {
    const status = { queued: "tQueued", needs_login: "tNeedsLogin", conflict: "tConflict", invalid: "tInvalid" }[item.status] || "tQueued";
    const li = make("li", {}, make("strong", {}, dayName(item.date)), ": ", text(region, status));
    // The server's words; for a refusal without any (a proxy's page), its status code.
    const said = item.message || (item.code ? text(region, "tRefused", { code: item.code }) : "");
    if (said) li.append(make("span", { className: "small" }, said));
    const typed = item.answers?.note;
    if ((item.status === "conflict" || item.status === "invalid") && typed) {
      // What the person wrote stays theirs: shown to copy, before they open or discard the day.
      const box = make("textarea", { readOnly: true, rows: 3, value: typed });
      box.setAttribute("aria-label", text(region, "tNote"));
      li.append(make("details", { className: "outbox-note-copy" }, make("summary", {}, text(region, "tNote")), box));
    }
    const actions = make("span", { className: "actions" });
    if (item.status === "needs_login") {
      actions.append(make("a", { href: "/login" }, text(region, "tLogin")));
    } else if (item.status === "conflict" || item.status === "invalid") {
      actions.append(make("a", { href: "/checkin/" + item.date }, text(region, "tOpen")));
      const discard = make("button", { type: "button", className: "link" }, text(region, "tDiscard"));
      discard.addEventListener("click", () => {
        if (confirm(text(region, "tDiscardConfirm", { day: dayName(item.date) }))) outbox.remove(item.client_id);
      });
      actions.append(discard);
    }
    if (actions.childElementCount) li.append(actions);
    return li;
  };

  const render = async () => {
    if (!region || !outbox) return;
    const items = (await outbox.all()).sort((a, b) => a.date.localeCompare(b.date));
    const signature = JSON.stringify(items.map((i) => [i.client_id, i.status, i.message]));
    if (signature === shown) return;
    shown = signature;
    list.replaceChildren();
    if (items.length) {
      list.append(make("section", { className: "card outbox-list" },
        make("h2", {}, text(region, "tHeading")), make("ul", {}, ...items.map(row))));
    }
  };

  if (outbox) {
    outbox.onChange((detail) => {
      if (detail.sent && note) {
        const said = detail.sent === 1
          ? text(region, "tSentOne") : text(region, "tSentMany", { n: detail.sent });
        // Home shows whether today is done: load it again so it says so (nothing is being
        // typed there). Other pages keep what the person is doing and just get the note.
        if (location.pathname === "/" && region.dataset.account && carry(said)) {
          location.reload();
          return;
        }
        note.textContent = said;
      }
      render();
    });
    render().catch(() => {});
    flush();
    window.addEventListener("online", flush);
  }

  // A message for the next page (home, reloaded after the outbox sent check-ins). Returns
  // false when session storage is blocked.
  function carry(message) {
    try { sessionStorage.setItem("hersteldagboek-note", message); return true; } catch (_) { return false; }
  }
  try {
    const carried = sessionStorage.getItem("hersteldagboek-note");
    if (carried && note) {
      note.textContent = carried;
      note.classList.add("flash"); // looks like the other confirmations
      sessionStorage.removeItem("hersteldagboek-note");
    }
  } catch (_) { /* storage blocked: no message */ }

  // Home after a save (/#saved, /#changed): the named confirmation shows by CSS alone. Once the
  // page has loaded, the address goes back to "/", so a reload does not confirm it again; the
  // paragraph stays shown, as the browser keeps its target until the next navigation.
  const confirmation = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  if (confirmation?.classList.contains("confirm")) {
    window.addEventListener("load", () => {
      history.replaceState(history.state, "", location.pathname + location.search);
    });
  }

  // The check-in without a network: a new day's answers go into the outbox first, then to
  // the API; edits of a saved day need the server.
  const msg = form?.querySelector("[data-checkin-msg]");
  if (form && msg && outbox && "randomUUID" in crypto) {
    let clientId = crypto.randomUUID();
    const say = (key, link) => {
      msg.replaceChildren(text(msg, key));
      if (link) msg.append(" ", make("a", { href: "/login" }, text(msg, "tLoginLink")));
    };

    if (form.hasAttribute("data-new")) {
      // Reopened offline after saving this day on the device: saving again replaces that one.
      outbox.all().then((items) => {
        const waiting = items.find((i) => i.date === form.dataset.date && i.status === "queued");
        if (waiting) { clientId = waiting.client_id; say("tWaiting"); }
      }).catch(() => {});
    }

    const answers = () => {
      const data = new FormData(form);
      const out = {};
      for (const el of form.elements) {
        const name = el.name;
        if (!name || name === "csrf_token" || name in out) continue;
        const values = data.getAll(name).map(String).filter((v) => v.trim() !== "");
        // As the server reads the form: sets as lists, else the last filled-in value.
        out[name] = MULTI.has(name) ? values : (values[values.length - 1] || "");
      }
      return out;
    };

    form.addEventListener("submit", async (event) => {
      if (event.defaultPrevented) return; // open questions: the check above showed them
      if (!form.hasAttribute("data-new")) {
        if (!navigator.onLine) { event.preventDefault(); say("tOfflineEdit"); }
        return;
      }
      event.preventDefault();
      const button = form.querySelector("button.primary");
      button.disabled = true;
      const item = {
        client_id: clientId, date: form.dataset.date, made_at: new Date().toISOString(),
        answers: answers(), account: region?.dataset.account || "", status: "queued", message: "",
      };
      const savedHere = () => { say("tOffline"); askForSync(); };
      try {
        try {
          await outbox.put(item); // on the device first: closing the page now loses nothing
        } catch (_) {
          form.submit(); // no IndexedDB (private mode): the ordinary form post
          return;
        }
        if (!navigator.onLine) return savedHere();
        let answer;
        try {
          answer = await outbox.deliver(item, document.querySelector("meta[name=csrf-token]")?.content);
        } catch (_) {
          return savedHere(); // the request failed: it stays queued
        }
        if (answer.outcome === "retry") return savedHere();
        if (answer.outcome === "needs_login") {
          await outbox.put({ ...item, status: "needs_login" });
          return say("tLogin", true);
        }
        // Sent, or an answer the form itself can show: the item leaves the outbox.
        await outbox.remove(item.client_id);
        if (answer.outcome === "sent") {
          window.location.assign("/#saved"); // home's confirmation, as after the form post
        } else {
          // Errors: the server renders them next to the fields, answers kept. A 409 (this day
          // was saved meanwhile, e.g. the form came back with Back after its save): the plain
          // post applies it as an edit, or shows it beside the saved day (issue 19).
          form.submit();
        }
      } finally {
        button.disabled = false;
      }
    });
  }

  // Logging out: nothing queued disappears silently, and personal pages leave the device.
  const logout = document.querySelector("form.logout");
  logout?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const pending = outbox ? (await outbox.all().catch(() => [])).length : 0;
    const question = pending === 1 ? text(region, "tLogoutOne") : text(region, "tLogoutMany", { n: pending });
    if (pending && !confirm(question)) return;
    const cleared = Promise.all([
      window.caches?.delete(PAGES_CACHE),
      navigator.serviceWorker?.controller?.postMessage({ type: "logout" }),
    ]).catch(() => {});
    // Wait for the cache, but never let a stuck cache keep someone logged in.
    await Promise.race([cleared, new Promise((resolve) => setTimeout(resolve, 1000))]);
    logout.submit();
  });
})();
