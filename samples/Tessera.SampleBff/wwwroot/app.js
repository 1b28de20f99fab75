// The demo page: no framework, no tokens. Every call to the BFF carries the X-CSRF header, which a cross-site
// form cannot send and a cross-site script cannot add without a CORS preflight that the BFF never grants.
"use strict";

const bff = (path, init = {}) =>
  fetch("/bff" + path, { ...init, credentials: "same-origin", headers: { ...(init.headers || {}), "X-CSRF": "1" } });

const $ = (id) => document.getElementById(id);

function show(signedIn) {
  $("signed-in").hidden = !signedIn;
  $("signed-out").hidden = signedIn;
}

async function loadUser() {
  const response = await bff("/user");
  if (response.status === 401) {
    show(false);
    return;
  }
  if (!response.ok) {
    $("status").textContent = "The BFF answered " + response.status + ".";
    return;
  }
  const claims = await response.json();
  $("user-name").textContent = claims.name || claims.preferred_username || claims.sub;
  $("claims").textContent = JSON.stringify(claims, null, 2);
  show(true);
}

async function loadOrders() {
  $("orders").textContent = "Loading…";
  const response = await bff("/api/orders", { headers: { Accept: "application/json" } });
  if (response.status === 401) {
    $("orders").textContent = "Your session has ended; sign in again.";
    show(false);
    return;
  }
  const text = await response.text();
  $("orders").textContent = response.ok ? JSON.stringify(JSON.parse(text), null, 2) : "The API answered " + response.status + ".";
}

async function logout() {
  await bff("/logout", { method: "POST" });
  $("orders").textContent = "";
  $("status").textContent = "Signed out.";
  show(false);
}

document.addEventListener("DOMContentLoaded", () => {
  $("load-orders").addEventListener("click", loadOrders);
  $("logout").addEventListener("click", logout);
  loadUser().catch(() => { $("status").textContent = "The BFF is not reachable."; });
});
