// Helpers for the session-token tests: decoding and crafting JWTs, the publishable key an app
// derives from orgd's --frontend-url, and the `orgd keys …` subcommands run as a second process
// beside a running orgd (SQLite WAL and PostgreSQL both let it read and write meanwhile).
import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { databaseUrl, orgdBinary } from './orgd.js';

export const b64url = data => Buffer.from(typeof data === 'string' ? data : JSON.stringify(data)).toString('base64url');

// { header, payload, parts } of a compact JWS (no verification).
export function decodeJwt(jwt) {
  const parts = jwt.split('.');
  if (parts.length !== 3) throw new Error(`not a compact JWS: ${jwt}`);
  return {
    header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
    parts,
  };
}

// An RS256 JWT signed with `privateKey` (a KeyObject or PEM).
export function signRs256(header, payload, privateKey) {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
  return `${input}.${signature}`;
}

export function signHs256(header, payload, secret) {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

// A fresh RSA-2048 key pair (e = 65537, as the SDK's PEM path needs), with its SPKI PEM.
export function newRsaKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }) };
}

// pk_test_/pk_live_ + base64("<frontend host>$") without padding (BEHAVIOR §5.6).
export function publishableKey(frontendUrl, kind = 'test') {
  const host = new URL(frontendUrl).host;
  return `pk_${kind}_` + Buffer.from(`${host}$`).toString('base64').replace(/=+$/, '');
}

// Runs `orgd <args…> --database <the store of dataDir>` and answers its stdout.
export function orgdCli(dataDir, args) {
  return execFileSync(orgdBinary(), [...args, '--database', databaseUrl(dataDir)], {
    encoding: 'utf8',
    env: { ...process.env, ORGD_SECRET_KEY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export const publicPem = (dataDir, kid) => orgdCli(dataDir, ['keys', 'public-pem', ...(kid ? ['--kid', kid] : [])]);

// `orgd keys rotate`: answers the new current kid from "orgd keys: <kid> is current".
export function rotateKeys(dataDir) {
  const out = orgdCli(dataDir, ['keys', 'rotate']);
  const m = /orgd keys: (\S+) is current/.exec(out);
  if (!m) throw new Error(`unexpected output of orgd keys rotate: ${out}`);
  return m[1];
}

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
export async function sleepUntil(epochMs) {
  const wait = epochMs - Date.now();
  if (wait > 0) await sleep(wait);
}
