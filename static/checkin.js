// The check-in's flow (issue 19), progressive enhancement only: without this file the form
// still submits, the server reads every time it accepts and refuses a note that is too long.
// app.js keeps the required-question check and the offline outbox; this file adds the
// progress cue, bringing the next question into view, the note's counter, 24-hour times,
// and the copy buttons of a save that came too late.
(() => {
  "use strict";

  // --- Copy what was typed (checkins/kept.html). ---
  for (const button of document.querySelectorAll("[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    const said = button.parentElement.querySelector("[data-copy-said]");
    if (!source) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.value);
      } catch (_) {
        // No clipboard permission (an http page, an old browser): select it for the person.
        source.focus();
        source.select();
        try { document.execCommand("copy"); } catch (__) { /* the text stays selected */ }
      }
      if (said) said.textContent = button.dataset.tCopied || "";
    });
  }

  const form = document.querySelector("[data-checkin-form]");
  if (!form) return;

  // Back after saving may show this page from the browser's memory, as the empty "new" form:
  // ask the server again, which then shows the saved day to edit.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) location.reload();
  });

  const reduceMotion = matchMedia("(prefers-reduced-motion: reduce)");
  const shown = (q) => q.offsetParent !== null;
  const answered = (q) =>
    [...q.querySelectorAll("input, textarea")].some((el) =>
      (el.type === "radio" || el.type === "checkbox") ? el.checked : el.value.trim() !== "");

  // --- Times: written HH:MM (24 h) whatever was typed, as the server reads them. ---
  // The same reading as normalise_time in journal/web/checkin_form.py: keep the two in step.
  const TYPED_TIME = /^(\d{1,2})(?:\s*[:.,hHuU]\s*(\d{2})|(\d{2}))?(?::00)?$/;
  const normalise = (text) => {
    const m = TYPED_TIME.exec(text.trim());
    if (!m) return text;
    const hour = Number(m[1]);
    const minute = Number(m[2] || m[3] || 0);
    if (hour > 23 || minute > 59) return text;
    return String(hour).padStart(2, "0") + ":" + String(minute).padStart(2, "0");
  };
  const tidyTimes = () => {
    for (const input of form.querySelectorAll("input[data-time]")) input.value = normalise(input.value);
  };

  // --- The note: a live count, and no save past the limit (the text stays as it is). ---
  const note = form.querySelector("textarea[data-note]");
  const count = form.querySelector("[data-note-count]");
  const limit = () => Number(note?.dataset.max || 0); // read each time: 0 means no check here
  const countText = count?.dataset.t || "";
  const showCount = () => {
    if (!note || !count) return;
    count.textContent = countText.replace("{count}", note.value.length).replace("{max}", limit());
    count.classList.toggle("over", note.value.length > limit());
  };
  note?.addEventListener("input", showCount);

  // Runs before app.js's own submit handlers (capture on the document): the times are tidied
  // before the outbox reads the form, and a note that is too long stops the save here.
  document.addEventListener("submit", (event) => {
    if (event.target !== form) return;
    tidyTimes();
    if (note && limit() && note.value.length > limit()) {
      event.preventDefault();
      event.stopImmediatePropagation();
      const q = note.closest(".q");
      let error = q.querySelector(".error");
      if (!error) {
        error = Object.assign(document.createElement("p"), { className: "error", id: "err-note" });
        q.append(error);
      }
      error.textContent = (count?.dataset.tTooLong || "").replace("{count}", note.value.length);
      q.classList.add("has-error");
      note.setAttribute("aria-invalid", "true");
      note.setAttribute("aria-describedby", "err-note " + (count?.id || ""));
      note.closest("details")?.setAttribute("open", "");
      note.scrollIntoView({ block: "center", behavior: reduceMotion.matches ? "auto" : "smooth" });
      note.focus({ preventScroll: true });
    }
  }, true);

  // --- Progress: "4 questions to go", counted over the questions that are shown. ---
  const progress = form.querySelector("[data-progress]");
  const required = () => [...form.querySelectorAll(".q[data-required]")].filter(shown);
  let lastSaid = "";
  const showProgress = () => {
    if (!progress) return;
    const open = required().filter((q) => !answered(q)).length;
    const said = open === 0 ? progress.dataset.tDone
      : open === 1 ? progress.dataset.tOne : progress.dataset.tMany.replace("{n}", open);
    if (said === lastSaid) return; // a live region repeats whatever is written into it
    lastSaid = said;
    progress.textContent = said;
    progress.hidden = false;
  };

  // --- After an answer, the next open question comes into view. ---
  // Wholly on screen, and not under the progress cue where that floats over the form.
  const inView = (el) => {
    const r = el.getBoundingClientRect();
    const cue = progress && !progress.hidden ? progress.getBoundingClientRect() : null;
    const covered = cue && r.bottom > cue.top && r.top < cue.bottom;
    return r.top >= 0 && r.bottom <= window.innerHeight && !covered;
  };
  // The first open question after this one, else any open one; once the last is answered,
  // the save button. An edit of a full day has nothing open, so nothing moves under it.
  let openBefore = Infinity;
  const nextAfter = (q) => {
    const open = required().filter((other) => !answered(other));
    const wasOpen = openBefore;
    openBefore = open.length;
    if (open.length === 0) return wasOpen > 0 ? form.querySelector("button.primary") : null;
    const after = q.compareDocumentPosition.bind(q);
    return open.find((other) => after(other) & Node.DOCUMENT_POSITION_FOLLOWING) || open[0];
  };
  // Ticking boxes moves nothing (more may follow), so a question of boxes comes up with the
  // question after it in view as well: the thumb goes on from there without a swipe.
  const boxesThenNext = (next) => {
    if (!next.querySelector("input[type=checkbox]")) return null;
    const all = required();
    return all[all.indexOf(next) + 1] || null;
  };
  const bringNext = (q) => {
    const next = nextAfter(q);
    const then = next && boxesThenNext(next);
    if (!next || (inView(next) && (!then || inView(then)))) return;
    // After the layout settles: a question that just appeared (rest types) has its height.
    requestAnimationFrame(() => {
      const tall = then || next.getBoundingClientRect().height > window.innerHeight * 0.6;
      next.scrollIntoView({ block: tall ? "start" : "center", behavior: reduceMotion.matches ? "auto" : "smooth" });
    });
  };

  form.addEventListener("change", (event) => {
    const el = event.target;
    const q = el.closest(".q");
    showProgress();
    // One tap answers a radio question; ticking boxes may go on, so they stay put.
    if (q && el.type === "radio" && el.checked) bringNext(q);
  });
  // A time typed to the end (0710, 710, 7:10) is written 07:10 at once and the next question
  // comes into view, as after a tap; "23" may still become 23:15, so it waits.
  const complete = (v) => /^\d{4}$/.test(v) || (/^\d{3}$/.test(v) && Number(v.slice(0, 2)) > 23)
    || /^\d{1,2}\s*[:.,hHuU]\s*\d{2}$/.test(v);
  form.addEventListener("input", (event) => {
    const el = event.target;
    if (!el.matches("input[data-time]") || !complete(el.value.trim())) return;
    const tidy = normalise(el.value);
    if (!/^\d\d:\d\d$/.test(tidy)) return; // 24:10 and the like: the server will say so
    if (tidy !== el.value) el.value = tidy;
    showProgress();
    bringNext(el.closest(".q"));
  });
  form.addEventListener("input", showProgress);

  // --- Quick-pick chips under a time box: one tap is the answer, as a time typed in full. ---
  const pressPicks = (input) => {
    const group = form.querySelector(`[data-time-picks="${input.id}"]`);
    for (const b of group?.querySelectorAll("[data-time-pick]") || []) {
      b.setAttribute("aria-pressed", String(b.dataset.timePick === normalise(input.value)));
    }
  };
  for (const group of form.querySelectorAll("[data-time-picks]")) {
    const input = document.getElementById(group.dataset.timePicks);
    if (!input) continue;
    group.hidden = false;
    group.addEventListener("click", (event) => {
      const pick = event.target.closest("[data-time-pick]");
      if (!pick) return;
      input.value = pick.dataset.timePick;
      // The handlers above then tidy it, count it and bring the next question into view.
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
  for (const type of ["input", "change"]) {
    form.addEventListener(type, (event) => {
      const el = event.target;
      if (!el.matches("input[data-time]")) return;
      if (type === "change") el.value = normalise(el.value); // "23" is 23:00 on leaving the box
      pressPicks(el);
    });
  }
  form.querySelector("details.more")?.addEventListener("toggle", showProgress);
  showProgress();
  openBefore = required().filter((q) => !answered(q)).length;
  showCount();
})();
