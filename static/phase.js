// A live character count under each text box of /phase and /reflect (issue 22). Without
// JavaScript the server shows the count and refuses a text that is too long, keeping it.
(() => {
  for (const box of document.querySelectorAll("textarea[data-max]")) {
    const count = document.getElementById(`count-${box.id.replace(/^f-/, "")}`);
    const max = Number(box.dataset.max);
    if (!count || !max) continue;
    const template = count.dataset.t || "";
    const show = () => {
      count.textContent = template.replace("{count}", box.value.length).replace("{max}", max);
      count.classList.toggle("over", box.value.length > max);
    };
    box.addEventListener("input", show);
  }
})();
