// verifyToken of orgd's session tokens by the unmodified @clerk/backend (the copy tests/compat
// installs), in one Node.js process, for a bounded time. Used by bench/tokens.sh:
//
//   node bench/verify_tokens.mjs TOKENS_FILE PEM_FILE SECONDS IN_FLIGHT[,IN_FLIGHT…] [USER_ID [ORG_ID]]
//
// TOKENS_FILE has one JWT a line; PEM_FILE is `orgd keys public-pem` (what an app sets as
// CLERK_JWT_KEY). Every token is first verified once and its claims checked (sub = USER_ID,
// o.id = ORG_ID when given); then, per IN_FLIGHT value, that many verifications are kept in flight
// (1 = one after the other, as one request handler does) for SECONDS, cycling through the tokens.
// Prints per value: "BENCH verify in_flight=K count=N seconds=S per_second=R". Any failed
// verification ends the process with status 1.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [tokensFile, pemFile, secondsArg, inFlightArg, userId, orgId] = process.argv.slice(2);
if (!tokensFile || !pemFile || !secondsArg || !inFlightArg) {
  console.error('usage: node bench/verify_tokens.mjs TOKENS_FILE PEM_FILE SECONDS IN_FLIGHT[,…] [USER_ID [ORG_ID]]');
  process.exit(2);
}
const seconds = Number(secondsArg);
if (!(seconds > 0 && seconds <= 600)) {
  console.error(`verify_tokens: SECONDS must be in (0, 600], got ${secondsArg}`);
  process.exit(2);
}

// The SDK from tests/compat/node_modules, resolved from this file's place in the repository.
const compat = new URL('../tests/compat/package.json', import.meta.url);
let sdk;
try {
  sdk = createRequire(compat)('@clerk/backend');
} catch (err) {
  console.error(`verify_tokens: @clerk/backend not found under tests/compat (npm ci there, or make test): ${err.message}`);
  process.exit(2);
}
const { verifyToken } = sdk;
const sdkVersion = createRequire(compat)('@clerk/backend/package.json').version;

const tokens = readFileSync(tokensFile, 'utf8').split('\n').filter(Boolean);
const jwtKey = readFileSync(pemFile, 'utf8');
if (tokens.length === 0) {
  console.error('verify_tokens: no tokens');
  process.exit(1);
}
if (!jwtKey.includes('-----BEGIN PUBLIC KEY-----')) {
  console.error('verify_tokens: the PEM file holds no public key');
  process.exit(1);
}

// Correctness first, untimed: each token verifies and carries the expected claims.
for (const token of tokens) {
  const claims = await verifyToken(token, { jwtKey });
  if (userId && claims.sub !== userId) throw new Error(`sub ${claims.sub}, expected ${userId}`);
  if (orgId && claims.o?.id !== orgId) throw new Error(`o.id ${claims.o?.id}, expected ${orgId}`);
  if (!/^sess_/.test(claims.sid ?? '')) throw new Error(`sid ${claims.sid}`);
}
console.log(`verify_tokens: @clerk/backend ${sdkVersion}, Node.js ${process.version}, ${tokens.length} tokens verified and checked`);

for (const inFlight of inFlightArg.split(',').map(Number)) {
  if (!(Number.isInteger(inFlight) && inFlight >= 1 && inFlight <= 256)) {
    console.error(`verify_tokens: bad IN_FLIGHT ${inFlight}`);
    process.exit(2);
  }
  let next = 0;
  let count = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  const worker = async () => {
    while (process.hrtime.bigint() < deadline) {
      const token = tokens[next++ % tokens.length];
      await verifyToken(token, { jwtKey });  // throws on any verification error
      count++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`BENCH verify in_flight=${inFlight} count=${count} seconds=${elapsed.toFixed(2)} per_second=${(count / elapsed).toFixed(0)}`);
}
