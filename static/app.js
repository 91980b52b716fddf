// Progressive enhancement only: every page works without this file.
(() => {
  "use strict";

  // Registration: take the time zone from the browser so "today" is the person's own day.
  for (const input of document.querySelectorAll("[data-browser-timezone]")) {
    try { input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (_) { /* keep default */ }
  }

  const form = document.querySelector("[data-checkin-form]");
  if (!form) return;
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
})();
