// Signs tokens with panva/jose for the Tessera interop tests.
// stdin:  {"tokens":[{"alg":"ES256","kid":"k1","payload":"{...}","typ":"JWT"}]}
// stdout: {"results":[{"alg":"ES256","jwk":{public JWK (or the oct secret) with the kid},"token":"eyJ..."}]}
// Every key is generated here, so Tessera verifies with a key it has never seen before.
import { CompactSign, exportJWK, generateKeyPair, generateSecret } from 'jose';
import { readInput } from './stdio.mjs';

const encoder = new TextEncoder();
const input = await readInput();
const results = [];
for (const request of input.tokens) {
  // "Ed25519" is the fully-specified name for EdDSA over Ed25519.
  const keyAlg = request.alg === 'Ed25519' ? 'EdDSA' : request.alg;
  let signingKey;
  let jwk;
  if (keyAlg.startsWith('HS')) {
    signingKey = await generateSecret(keyAlg, { extractable: true });
    jwk = await exportJWK(signingKey);
  } else {
    const pair = await generateKeyPair(keyAlg, { extractable: true, crv: keyAlg === 'EdDSA' ? 'Ed25519' : undefined });
    signingKey = pair.privateKey;
    jwk = await exportJWK(pair.publicKey);
  }

  if (request.kid) jwk.kid = request.kid;

  const header = { alg: request.alg };
  if (request.kid) header.kid = request.kid;
  if (request.typ) header.typ = request.typ;
  const token = await new CompactSign(encoder.encode(request.payload)).setProtectedHeader(header).sign(signingKey);
  results.push({ alg: request.alg, jwk, token });
}

process.stdout.write(JSON.stringify({ results }));
