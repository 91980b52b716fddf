// The install hint (issue 19; templates/welcome/_install_hint.html).
// - Already installed (display-mode standalone, or iOS's navigator.standalone): never shown.
// - The browser offers installing (beforeinstallprompt): an "Install" button opens its prompt.
// - Safari on an iPhone or iPad has no such event: the "Add to Home Screen" steps instead.
// - On home the hint can be dismissed; that is remembered in localStorage on this device.
// Without this script the home hint stays hidden and the welcome's line stays as written.
(function () {
  "use strict";
  var DISMISSED = "journal.install-hint.dismissed";
  var hints = Array.prototype.slice.call(document.querySelectorAll("[data-install]"));
  if (!hints.length || window.journalInstallHint) return; // the script may be included twice
  window.journalInstallHint = true;

  function installed() {
    return (window.matchMedia && window.matchMedia("(display-mode: standalone)").matches) ||
      window.navigator.standalone === true;
  }

  function dismissed() {
    try { return window.localStorage.getItem(DISMISSED) === "1"; } catch (e) { return false; }
  }

  function each(fn) { hints.forEach(fn); }
  function part(hint, name) { return hint.querySelector("[data-install-" + name + "]"); }

  function hide(hint) { hint.hidden = true; }

  function show(hint, which) {
    if (hint.hasAttribute("data-install-dismissible") && dismissed()) return;
    part(hint, "generic").hidden = true;
    part(hint, "prompt").hidden = which !== "prompt";
    part(hint, "ios").hidden = which !== "ios";
    hint.hidden = false;
  }

  if (installed()) { each(hide); return; }

  var ua = window.navigator.userAgent || "";
  // iPadOS Safari says "Macintosh" but has touch.
  var apple = /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && window.navigator.maxTouchPoints > 1);
  var otherBrowser = /CriOS|FxiOS|EdgiOS/.test(ua); // only Safari can add to the home screen
  if (apple && !otherBrowser && !("onbeforeinstallprompt" in window)) {
    each(function (hint) { show(hint, "ios"); });
  }

  var offer = null;
  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault(); // our own, quieter hint instead of the browser's banner
    offer = event;
    each(function (hint) { show(hint, "prompt"); });
  });
  window.addEventListener("appinstalled", function () { offer = null; each(hide); });

  each(function (hint) {
    var button = part(hint, "button");
    if (button) {
      button.addEventListener("click", function () {
        if (!offer) return;
        var asked = offer;
        offer = null;
        asked.prompt();
        asked.userChoice.then(function (choice) {
          if (choice.outcome === "accepted") each(hide);
        }, function () {});
      });
    }
    var close = hint.querySelector("[data-install-dismiss]");
    if (close) {
      close.addEventListener("click", function () {
        try { window.localStorage.setItem(DISMISSED, "1"); } catch (e) { /* private mode */ }
        hide(hint);
      });
    }
  });
})();
