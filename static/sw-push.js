// The service worker's part of the reminders (issue 6): show a pushed reminder, and open the
// check-in when it is tapped. Imported by sw.js (`importScripts("/static/sw-push.js")`).
//
// The payload is {title, body, url, tag}: no scores, no notes. The tag is the delivery id, so
// a reminder that arrives twice replaces the first notification instead of adding a second.
// Wrapped in a function: an imported script shares the worker's global scope with sw.js.
(() => {
  "use strict";
  const REMINDER_DEFAULT_URL = "/checkin";

  // Only a path on our own site is ever opened, whatever a payload says.
  const reminderUrl = (value) => {
    try {
      const url = new URL(value || REMINDER_DEFAULT_URL, self.location.origin);
      return url.origin === self.location.origin ? url.href : new URL(REMINDER_DEFAULT_URL, self.location.origin).href;
    } catch (_) {
      return new URL(REMINDER_DEFAULT_URL, self.location.origin).href;
    }
  };

  self.addEventListener("push", (event) => {
    let data = {};
    try {
      data = event.data ? event.data.json() : {};
    } catch (_) {
      data = { body: event.data ? event.data.text() : "" };
    }
    const title = data.title || "Hersteldagboek";
    event.waitUntil(self.registration.showNotification(title, {
      body: data.body || "",
      tag: data.tag || "reminder",
      icon: "/static/icons/icon-192.png",
      badge: "/static/icons/icon-192.png",
      data: { url: reminderUrl(data.url) },
    }));
  });

  // Focus a window that already shows the check-in (it may hold answers being typed); else
  // bring an open window of the app to the check-in; else open a new one.
  const openReminder = async (target) => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const ours = windows.filter((client) => new URL(client.url).origin === self.location.origin);
    const checkin = ours.find((client) => new URL(client.url).pathname.startsWith(REMINDER_DEFAULT_URL));
    if (checkin) return checkin.focus().catch(() => checkin);
    for (const client of ours) {
      try {
        const moved = await client.navigate(target); // only works for windows this worker controls
        if (moved) return moved.focus().catch(() => moved);
      } catch (_) { /* not ours to steer: try the next, or open a new window */ }
    }
    return self.clients.openWindow(target);
  };

  self.addEventListener("notificationclick", (event) => {
    event.notification.close();
    const target = reminderUrl(event.notification.data && event.notification.data.url);
    // Started before waitUntil, so the work is the same however the event was dispatched.
    const opening = openReminder(target);
    event.waitUntil(opening);
  });
})();
