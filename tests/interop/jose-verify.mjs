// Verifies tokens with panva/jose for the Tessera interop tests.
// stdin:  {"tokens":[{"alg":"ES256","jwk":{...},"token":"eyJ..."}]}
// stdout: {"results":[{"valid":true,"payload":"{...}","header":{...}} | {"valid":false,"code":"ERR_JWS_SIGNATURE_VERIFICATION_FAILED"}]}
// The algorithm is pinned, as a careful verifier would.
import { compactVerify, importJWK } from 'jose';
import { readInput } from './stdio.mjs';

const decoder = new TextDecoder();
const input = await readInput();
const results = [];
for (const request of input.tokens) {
  try {
    const key = await importJWK(request.jwk, request.alg);
    const { payload, protectedHeader } = await compactVerify(request.token, key, { algorithms: [request.alg] });
    results.push({ valid: true, payload: decoder.decode(payload), header: protectedHeader });
  } catch (error) {
    results.push({ valid: false, code: error.code ?? error.name, message: String(error.message) });
  }
}

process.stdout.write(JSON.stringify({ results }));
