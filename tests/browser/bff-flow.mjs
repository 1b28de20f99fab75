// Signs in through the demo BFF in headless Chromium (the Debian package) and checks what the browser can see.
// Usage: node bff-flow.mjs   with BFF_URL, ISSUER, USERNAME, PASSWORD (and optionally CHROMIUM) in the environment.
// Prints one JSON object: {"checks":[{"name":…,"ok":…,"detail":…}],"error":…}; exits 1 when a check failed.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const { BFF_URL, ISSUER, USERNAME, PASSWORD } = process.env;
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const checks = [];
const check = (name, ok, detail = "") => checks.push({ name, ok: Boolean(ok), detail: String(detail).slice(0, 500) });

const userDataDir = mkdtempSync(join(tmpdir(), "tessera-chromium-"));
let context;
let error = null;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  context.setDefaultTimeout(15000);
  const page = context.pages()[0] ?? (await context.newPage());

  // 1. Signed out: the app offers to sign in.
  await page.goto(BFF_URL + "/");
  await page.locator("#signed-out").waitFor({ state: "visible" });
  check("signed_out_at_start", true);

  // 2. Sign in at the token service through the BFF (login → authorize → sign-in form → callback → app).
  await page.click("#login");
  await page.waitForURL((url) => url.href.startsWith(ISSUER + "/login"));
  check("redirected_to_token_service", page.url().startsWith(ISSUER + "/login"), page.url().split("?")[0]);
  await page.fill("#username", USERNAME);
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL(BFF_URL + "/");
  await page.locator("#signed-in").waitFor({ state: "visible" });
  const name = await page.textContent("#user-name");
  check("signed_in_shows_user", name && name.length > 0, name);

  // 3. The session cookie: accepted on http://127.0.0.1 (loopback is a secure context) with its flags.
  const cookies = await context.cookies(BFF_URL);
  const session = cookies.find((c) => c.name === "__Host-tessera-bff");
  check("session_cookie_accepted", session, cookies.map((c) => c.name).join(","));
  check("session_cookie_httponly", session?.httpOnly, session?.httpOnly);
  check("session_cookie_secure", session?.secure, session?.secure);
  check("session_cookie_samesite_strict", session?.sameSite === "Strict", session?.sameSite);
  check("session_cookie_host_only_path_root", session?.path === "/" && session?.domain === "127.0.0.1", `${session?.domain} ${session?.path}`);
  check("no_login_cookie_left", !cookies.some((c) => c.name === "__Host-tessera-bff-login"), cookies.map((c) => c.name).join(","));

  // 4. Nothing token-like is readable from JavaScript.
  const visible = await page.evaluate(() => {
    const dump = (storage) => Array.from({ length: storage.length }, (_, i) => storage.key(i) + "=" + storage.getItem(storage.key(i))).join(";");
    return { cookie: document.cookie, local: dump(localStorage), session: dump(sessionStorage) };
  });
  const tokenLike = (text) => /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/.test(text) || (session && text.includes(session.value));
  check("document_cookie_has_no_token", !tokenLike(visible.cookie) && !visible.cookie.includes("__Host-tessera-bff"), visible.cookie.length);
  check("local_storage_has_no_token", !tokenLike(visible.local), visible.local.length);
  check("session_storage_has_no_token", !tokenLike(visible.session), visible.session.length);
  const userBody = await page.evaluate(async () => (await fetch("/bff/user", { headers: { "X-CSRF": "1" } })).text());
  check("user_endpoint_has_no_token", !tokenLike(userBody) && userBody.includes("\"sub\""), userBody.length);

  // 5. The API through the BFF, with the anti-CSRF header (the page's button).
  await page.click("#load-orders");
  await page.locator("#orders", { hasText: "ord-1001" }).waitFor();
  check("api_call_through_bff", true);

  // 6. Without the anti-CSRF header: refused, even with the cookie.
  const withoutHeader = await page.evaluate(async () => (await fetch("/bff/api/orders", { credentials: "same-origin" })).status);
  check("api_without_anti_csrf_header_refused", withoutHeader === 403, withoutHeader);
  const logoutWithoutHeader = await page.evaluate(async () => (await fetch("/bff/logout", { method: "POST" })).status);
  check("logout_without_anti_csrf_header_refused", logoutWithoutHeader === 403, logoutWithoutHeader);

  // 7. Another origin cannot add the header: the CORS preflight fails, so the request never reaches the API.
  const other = await context.newPage();
  await other.goto(ISSUER + "/.well-known/openid-configuration");
  const crossOrigin = await other.evaluate(async (url) => {
    try {
      const r = await fetch(url, { credentials: "include", headers: { "X-CSRF": "1" } });
      return "status " + r.status;
    } catch (e) {
      return "blocked";
    }
  }, BFF_URL + "/bff/api/orders");
  check("cross_origin_call_with_header_blocked", crossOrigin === "blocked", crossOrigin);
  await other.close();

  // 8. Sign out: the session ends and the cookie is gone.
  await page.click("#logout");
  await page.locator("#signed-out").waitFor({ state: "visible" });
  const after = await context.cookies(BFF_URL);
  check("logout_removes_session_cookie", !after.some((c) => c.name === "__Host-tessera-bff"), after.map((c) => c.name).join(","));
  const afterStatus = await page.evaluate(async () => (await fetch("/bff/user", { headers: { "X-CSRF": "1" } })).status);
  check("user_after_logout_is_401", afterStatus === 401, afterStatus);
} catch (e) {
  error = String(e?.message ?? e).split("\n")[0];
} finally {
  await context?.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}

process.stdout.write(JSON.stringify({ checks, error }) + "\n");
process.exit(error || checks.some((c) => !c.ok) ? 1 : 0);
