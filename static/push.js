// Web Push on the reminder settings page (issue 6): turn notifications on or off for this
// browser. Loaded only by templates/settings/settings.html; the texts come from its data-t-*
// attributes, so they are in the person's language. The service worker's side is sw-push.js.
(() => {
  "use strict";

  const box = document.querySelector("[data-push]");
  if (!box) return;
  const status = box.querySelector("[data-push-status]");
  const onButton = box.querySelector("[data-push-on]");
  const offButton = box.querySelector("[data-push-off]");
  const say = (key) => { status.textContent = box.dataset[key] || ""; };
  // The server's count of this person's devices, after a change here.
  const count = (answer) => {
    const line = box.querySelector("[data-push-devices]");
    const n = Number(answer && answer.devices);
    if (!line || !Number.isInteger(n)) return;
    const key = n === 0 ? "tDevicesNone" : n === 1 ? "tDevicesOne" : "tDevicesMany";
    line.textContent = (box.dataset[key] || "").replace("{n}", String(n));
  };
  const show = (subscribed) => {
    onButton.hidden = subscribed;
    offButton.hidden = !subscribed;
  };

  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported) {
    say("tUnsupported");
    return;
  }

  // The VAPID public key, base64url as the server renders it, as the bytes subscribe() wants.
  const keyBytes = (text) => {
    const base64 = (text + "=".repeat((4 - (text.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  };

  const post = async (url, body) => {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": document.querySelector("meta[name=csrf-token]")?.content || "",
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error("HTTP " + response.status);
    return response.json();
  };

  // app.js registers the worker on load; registering again here is harmless and makes this
  // page work on its own.
  const registration = async () => {
    await navigator.serviceWorker.register("/sw.js", { scope: "/", updateViaCache: "none" });
    return navigator.serviceWorker.ready;
  };

  const busy = (flag) => {
    onButton.disabled = flag;
    offButton.disabled = flag;
  };

  onButton.addEventListener("click", async () => {
    busy(true);
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say("tDenied");
        return;
      }
      const reg = await registration();
      const subscription = (await reg.pushManager.getSubscription()) ||
        (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.vapidKey) }));
      count(await post(box.dataset.subscribeUrl, subscription.toJSON()));
      show(true);
      say("tOn");
    } catch (_) {
      say("tFailed");
    } finally {
      busy(false);
    }
  });

  offButton.addEventListener("click", async () => {
    busy(true);
    try {
      const reg = await registration();
      const subscription = await reg.pushManager.getSubscription();
      if (subscription) {
        const { endpoint } = subscription;
        await subscription.unsubscribe().catch(() => false);
        count(await post(box.dataset.unsubscribeUrl, { endpoint }));
      }
      show(false);
      say("tOff");
    } catch (_) {
      say("tFailed");
    } finally {
      busy(false);
    }
  });

  // The starting state. A subscription this browser still holds is sent again, so the server
  // knows it even if it dropped it (a 410 earlier) or another account used this device since.
  (async () => {
    if (Notification.permission === "denied") {
      say("tDenied");
      show(false);
      onButton.hidden = true;
      return;
    }
    try {
      const reg = await registration();
      const subscription = await reg.pushManager.getSubscription();
      if (subscription && Notification.permission === "granted") {
        count(await post(box.dataset.subscribeUrl, subscription.toJSON()).catch(() => null));
        show(true);
        say("tOn");
      } else {
        show(false);
        say("tOff");
      }
    } catch (_) {
      show(false);
      say("tOff");
    }
  })();
})();
