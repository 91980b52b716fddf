// A new share link (templates/share/share.html, issue 19): a copy button with a "Copied"
// confirmation, and where the system share sheet exists (navigator.share) a button for it.
// Without this script the link stays in its read-only field, to select and copy by hand.
(function () {
  "use strict";
  var box = document.querySelector("[data-share-link]");
  if (!box) return;
  var field = document.getElementById(box.getAttribute("data-share-link"));
  var copy = box.querySelector("[data-share-copy]");
  var send = box.querySelector("[data-share-send]");
  var status = document.querySelector("[data-share-status]");
  if (!field) return;

  function say(text) { if (status) status.textContent = text; }

  function copyBySelection() {
    field.focus();
    field.select();
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }

  copy.hidden = false;
  copy.addEventListener("click", function () {
    var copied = box.getAttribute("data-t-copied");
    var failed = box.getAttribute("data-t-copy-failed");
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(function () { say(copied); }, function () {
        say(copyBySelection() ? copied : failed);
      });
    } else {
      say(copyBySelection() ? copied : failed);
    }
  });

  if (navigator.share) {
    send.hidden = false;
    send.addEventListener("click", function () {
      navigator.share({ title: box.getAttribute("data-share-title"), url: field.value })
        .catch(function () { /* closed without sharing: nothing to say */ });
    });
  }
})();
