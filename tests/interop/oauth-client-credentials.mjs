// A foreign OAuth client against a running Tessera token service (driven from
// tests/Tessera.Server.Tests/Interop/ForeignClientTests.cs).
// oauth4webapi discovers the server from its issuer (RFC 8414) and obtains a service token with
// client_credentials and client_secret_basic; jose verifies it against the published JWK Set with the issuer,
// audience, typ and algorithm pinned, then checks that the same token is refused for another audience and as
// another kind, and that a wrong secret is refused.
// stdin:  {"issuer":"http://127.0.0.1:PORT","client_id":"…","client_secret":"…","resource":"api://…","scope":"…"}
// stdout: {"discovery":{…},"token":{…},"verified":{"header":{…},"payload":{…}},"wrongAudience":"ERR_…",…}
import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { readInput } from './stdio.mjs';

const input = await readInput();
const issuer = new URL(input.issuer);
// The test server listens on loopback over plain HTTP; a real deployment is https and needs no such option.
const loopback = { [oauth.allowInsecureRequests]: true };
const out = {};

const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...loopback }));
out.discovery = { issuer: as.issuer, token_endpoint: as.token_endpoint, jwks_uri: as.jwks_uri };

const client = { client_id: input.client_id };
const parameters = () => new URLSearchParams({ resource: input.resource, scope: input.scope });
const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(input.client_secret), parameters(), loopback);
const tokens = await oauth.processClientCredentialsResponse(as, client, response);
out.token = { token_type: tokens.token_type, expires_in: tokens.expires_in, scope: tokens.scope ?? null };

const jwks = createRemoteJWKSet(new URL(as.jwks_uri));
const expected = { issuer: as.issuer, audience: input.resource, typ: 'service+jwt', algorithms: ['ES256'] };
const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, expected);
out.verified = { header: protectedHeader, payload };

async function refusal(options) {
  try {
    await jwtVerify(tokens.access_token, jwks, options);
    return 'accepted';
  } catch (error) {
    return error.code ?? error.name;
  }
}

out.wrongAudience = await refusal({ ...expected, audience: 'api://someone-else' });
out.wrongType = await refusal({ ...expected, typ: 'at+jwt' });
out.wrongIssuer = await refusal({ ...expected, issuer: 'https://evil.example' });

try {
  const denied = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic('not-the-secret'), parameters(), loopback);
  await oauth.processClientCredentialsResponse(as, client, denied);
  out.wrongSecret = { accepted: true };
} catch (error) {
  out.wrongSecret = { name: error.name, status: error.status ?? error.response?.status ?? null, error: error.error ?? null };
}

process.stdout.write(JSON.stringify(out));
