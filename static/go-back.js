// "Ga terug" on the expired-form page (templates/errors/400.html, issue 19): the browser's own
// back keeps what was typed in the form; the link's address, without this script, opens the
// form afresh (the words are then still in the read-only field on the page).
(function () {
  "use strict";
  var link = document.querySelector("[data-history-back]");
  if (!link || window.history.length < 2) return;
  link.addEventListener("click", function (event) {
    event.preventDefault();
    window.history.back();
  });
})();
