// A foreign OpenID Connect client doing the whole authorization code flow against a running Tessera token service
// (driven from tests/Tessera.Server.Tests/Sessions/CodeFlowInteropTests.cs). oauth4webapi discovers the server,
// builds the authorization request with PKCE S256, state and nonce; a minimal browser (fetch without redirects, a
// cookie jar) signs in through the server's HTML form; oauth4webapi checks the authorization response (state, RFC 9207
// iss), exchanges the code, validates the ID token (claims, nonce, and its signature against the JWKS), refreshes,
// and the browser signs out through the end-session endpoint. Deliberate mistakes check that the client notices a
// wrong state or nonce and that the server refuses what a signed-out session left behind.
// stdin:  {"issuer":"http://127.0.0.1:PORT","client_id":"…","client_secret":"…"|null,"redirect_uri":"…","scope":"…","username":"…","password":"…"}
// stdout: {"discovery":{…},"login":{…},"authorization":{…},"token":{…},"idToken":{…},"refresh":{…},"logout":{…},"after":{…},"mistakes":{…}}
import * as oauth from 'oauth4webapi';
import { readInput } from './stdio.mjs';

const input = await readInput();
const issuer = new URL(input.issuer);
// The test server listens on loopback over plain HTTP; a real deployment is https and needs no such option.
const loopback = { [oauth.allowInsecureRequests]: true };
const out = {};

const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...loopback }));
out.discovery = {
  authorization_endpoint: as.authorization_endpoint,
  end_session_endpoint: as.end_session_endpoint,
  iss_parameter: as.authorization_response_iss_parameter_supported,
  pkce: as.code_challenge_methods_supported,
};

const client = { client_id: input.client_id };
const clientAuth = input.client_secret ? oauth.ClientSecretBasic(input.client_secret) : oauth.None();

// ---- a browser: no automatic redirects, a cookie jar for the token service's own cookies ----
const jar = new Map();
async function browse(url, init = {}) {
  const headers = new Headers(init.headers);
  if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  for (const cookie of response.headers.getSetCookie()) {
    const [pair, ...attributes] = cookie.split(';');
    const name = pair.slice(0, pair.indexOf('='));
    const value = pair.slice(pair.indexOf('=') + 1);
    const expired = attributes.some((a) => /expires=.*1970/i.test(a)) || value === '';
    if (expired) jar.delete(name); else jar.set(name, value);
  }
  return response;
}
const location = (response) => new URL(response.headers.get('location'), issuer);
const entities = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const decode = (text) => text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+|#39);/gi, (_, e) =>
  e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : entities[e] ?? `&${e};`);
const hidden = (html, name) => {
  const match = html.match(new RegExp(`name="${name}" value="([^"]*)"`));
  return match ? decode(match[1]) : undefined;
};

function authorizationUrl(state, nonce, challenge) {
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('redirect_uri', input.redirect_uri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', input.scope);
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url;
}

// ---- 1. authorization request; the browser is sent to sign in ----
const verifier = oauth.generateRandomCodeVerifier();
const state = oauth.generateRandomState();
const nonce = oauth.generateRandomNonce();
let response = await browse(authorizationUrl(state, nonce, await oauth.calculatePKCECodeChallenge(verifier)));
const loginUrl = location(response);
response = await browse(loginUrl);
const page = await response.text();
out.login = {
  redirectStatus: response.status,
  path: loginUrl.pathname,
  hasAntiforgery: !!hidden(page, '__RequestVerificationToken'),
  labelled: page.includes('<label for="username">') && page.includes('<label for="password">'),
  cookies: [...jar.keys()],
};
const form = new URLSearchParams({
  __RequestVerificationToken: hidden(page, '__RequestVerificationToken'),
  return: hidden(page, 'return'),
  username: input.username,
  password: input.password,
});
response = await browse(new URL('/login', issuer), { method: 'POST', body: form });
out.login.postStatus = response.status;
out.login.sessionCookie = [...jar.keys()].find((k) => k.includes('session')) ?? null;
response = await browse(location(response));
const callback = location(response);
out.authorization = { status: response.status, redirect: `${callback.origin}${callback.pathname}`, iss: callback.searchParams.get('iss'), state: callback.searchParams.get('state') === state };

// ---- 2. the client checks the response and exchanges the code with its PKCE verifier ----
const parameters = oauth.validateAuthResponse(as, client, callback, state);
response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, parameters, input.redirect_uri, verifier, loopback);
const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
await oauth.validateApplicationLevelSignature(as, response, loopback);
const claims = oauth.getValidatedIdTokenClaims(tokens);
out.token = { token_type: tokens.token_type, expires_in: tokens.expires_in, scope: tokens.scope ?? null, refresh: typeof tokens.refresh_token === 'string' };
out.idToken = { signatureValid: true, iss: claims.iss, aud: claims.aud, azp: claims.azp ?? null, nonce: claims.nonce, sub: claims.sub, sid: claims.sid ?? null, auth_time: claims.auth_time ?? null };

// ---- 3. refresh (rotation: a new refresh token every time) ----
let latestIdToken = tokens.id_token;
let latestRefresh = tokens.refresh_token ?? null;
if (latestRefresh) {
  response = await oauth.refreshTokenGrantRequest(as, client, clientAuth, latestRefresh, loopback);
  const refreshed = await oauth.processRefreshTokenResponse(as, client, response);
  await oauth.validateApplicationLevelSignature(as, response, loopback);
  const refreshedClaims = oauth.getValidatedIdTokenClaims(refreshed);
  out.refresh = {
    rotated: typeof refreshed.refresh_token === 'string' && refreshed.refresh_token !== latestRefresh,
    newAccessToken: refreshed.access_token !== tokens.access_token,
    sameSubject: refreshedClaims?.sub === claims.sub,
    sameSession: refreshedClaims?.sid === claims.sid,
  };
  latestIdToken = refreshed.id_token ?? latestIdToken;
  latestRefresh = refreshed.refresh_token;
}

// ---- 4. mistakes the client must notice: a wrong state, a wrong nonce ----
out.mistakes = {};
try {
  oauth.validateAuthResponse(as, client, callback, 'not-the-state');
  out.mistakes.wrongState = 'accepted';
} catch (error) {
  out.mistakes.wrongState = error.code ?? error.name;
}
{
  const v2 = oauth.generateRandomCodeVerifier();
  const s2 = oauth.generateRandomState();
  response = await browse(authorizationUrl(s2, 'the-nonce-sent', await oauth.calculatePKCECodeChallenge(v2)));
  const again = location(response);
  out.mistakes.signedInAlready = again.pathname === new URL(input.redirect_uri).pathname;
  const p2 = oauth.validateAuthResponse(as, client, again, s2);
  const r2 = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, p2, input.redirect_uri, v2, loopback);
  try {
    await oauth.processAuthorizationCodeResponse(as, client, r2, { expectedNonce: 'another-nonce', requireIdToken: true });
    out.mistakes.wrongNonce = 'accepted';
  } catch (error) {
    out.mistakes.wrongNonce = error.code ?? error.name;
  }
}

// ---- 5. sign out (RP-initiated logout with id_token_hint), then what was left behind is refused ----
const logoutState = oauth.generateRandomState();
const logout = new URL(as.end_session_endpoint);
logout.searchParams.set('id_token_hint', latestIdToken);
logout.searchParams.set('client_id', client.client_id);
logout.searchParams.set('post_logout_redirect_uri', input.redirect_uri);
logout.searchParams.set('state', logoutState);
response = await browse(logout);
const back = location(response);
out.logout = { status: response.status, redirect: `${back.origin}${back.pathname}`, state: back.searchParams.get('state') === logoutState, sessionCookieLeft: [...jar.keys()].some((k) => k.includes('session')) };

out.after = {};
if (latestRefresh) {
  try {
    response = await oauth.refreshTokenGrantRequest(as, client, clientAuth, latestRefresh, loopback);
    await oauth.processRefreshTokenResponse(as, client, response);
    out.after.refresh = 'accepted';
  } catch (error) {
    out.after.refresh = error.error ?? error.code ?? error.name;
  }
}
const v3 = oauth.generateRandomCodeVerifier();
response = await browse(authorizationUrl(oauth.generateRandomState(), oauth.generateRandomNonce(), await oauth.calculatePKCECodeChallenge(v3)));
out.after.authorize = location(response).pathname;

process.stdout.write(JSON.stringify(out));
