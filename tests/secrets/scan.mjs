#!/usr/bin/env node
// Scans saved logs for secrets (README.md beside this file). Usage:
//   node tests/secrets/scan.mjs LOG_DIR...
// Every file under each LOG_DIR (subdirectories too) is read line by line, but the
// recorded-secrets.jsonl files: the secrets the test harness handed orgd (tests/compat/lib/orgd.js
// records them), which are looked for in every log, never scanned. A line fails when it holds one of those values, or a string shaped like a secret orgd
// or its clients handle. Each hit is printed as file:line with the secret masked.
// Exit status: 0 clean; 1 hits; 2 nothing to scan (no log files, or no recorded secrets: a scan
// that cannot fail would pass silently).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RECORDED_SECRETS = 'recorded-secrets.jsonl';
// Shorter recorded values are not looked for: they would match ordinary text.
const MIN_RECORDED = 8;

// What a secret looks like. `prefix` is the public part kept when masking (the rest is starred).
// Each pattern's comment says where orgd makes or takes that secret.
export const SHAPES = [
  // Backend API secret keys (api/backend/secret_key_auth.h): the shape orgd requires.
  { kind: 'secret key', re: /\bsk_(?:test|live)_[0-9A-Za-z]{16,}/g, prefix: m => m.slice(0, 8) },
  // Webhook signing secrets (service/webhook_service.cc NewWebhookSecret): whsec_ + base64.
  { kind: 'webhook secret', re: /\bwhsec_[A-Za-z0-9+/]{16,}={0,2}/g, prefix: () => 'whsec_' },
  // Session-token signing keys (service/signing_keys.h) and any other PEM private key.
  { kind: 'PEM private key', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g, prefix: m => m },
  // Frontend API client credentials (service/client_service.h): "<client id>.<secret>".
  { kind: 'client credential', re: /\bclient_[0-9A-Za-z]{10,}\.[A-Za-z0-9_-]{16,}/g, prefix: m => m.slice(0, m.indexOf('.') + 1) },
  // The __client cookie carries that credential; any value of it is one.
  { kind: '__client cookie', re: /\b__client=[^;\s"',]{8,}/g, prefix: () => '__client=' },
  // Invitation tickets (service/invitation_service.cc): "<invitation id>.<HMAC-SHA256 hex>".
  { kind: 'invitation ticket', re: /\borginv_[0-9A-Za-z]{10,}\.[0-9a-f]{32,}/g, prefix: m => m.slice(0, m.indexOf('.') + 1) },
  // Session tokens, handshake tokens and any other JWT: base64url("{...").base64url("{...").sig.
  { kind: 'JWT', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, prefix: () => 'eyJ' },
  // A ticket or token named as a parameter (?__clerk_ticket=…, "ticket":"…", token=…).
  {
    kind: 'ticket or token parameter',
    re: /(?:__clerk_ticket|__clerk_handshake|__clerk_db_jwt|\bticket|\btoken|\bsecret|\bpassword)["']?\s*[=:]\s*["']?[A-Za-z0-9_.~+/-]{12,}/gi,
    prefix: m => m.slice(0, m.search(/[=:]/) + 1),
  },
  // Sign-in token secrets and client secrets (RandomBase64Url(32)): 43 URL-safe base64
  // characters. Not IDs (prefix_base62), slugs (lowercase) or publishable keys (pk_live_…, public:
  // the host of the Frontend API), which may happen to be as long.
  {
    kind: 'random 256-bit token',
    re: /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
    accept: m => /[A-Z]/.test(m) && /[a-z]/.test(m) && /[0-9]/.test(m) &&
      !/^[a-z]+_[0-9A-Za-z]+$/.test(m) && !/^pk_(?:test|live)_/.test(m),
    prefix: () => '',
  },
  // The invitation ticket key, ticket MACs and the SHA-256 digests of credentials: 64 hex digits.
  { kind: '256-bit hex (key, MAC or secret digest)', re: /(?<![0-9A-Fa-f])[0-9a-f]{64}(?![0-9A-Fa-f])/g, prefix: () => '' },
  // Affiliation codes (service/domain_service.cc RandomDigits(6)) as a log line would show one.
  { kind: 'verification code', re: /\bcode\b["']?\s*[=:]\s*["']?\d{6}\b|verification code\D{0,30}\d{6}\b/gi, prefix: () => '' },
  // Credentials in a URL (smtp://user:password@host, postgres://user:password@host); not the
  // placeholders of a help text (user:pass@) or a password already starred out (orgd:***@).
  {
    kind: 'password in a URL',
    re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/gi,
    accept: m => !/:(?:\*+|pass|password|<[^>]*>|…)@$/i.test(m),
    prefix: m => m.slice(0, m.indexOf('://') + 3),
  },
];

// `value` with everything but its public prefix starred, and its length.
export function mask(value, prefix = '') {
  const kept = value.startsWith(prefix) ? prefix : '';
  return `${kept}${'*'.repeat(Math.min(8, Math.max(1, value.length - kept.length)))} [${value.length} chars]`;
}

// Every file under `dir`: [{ path, recorded }], recorded marking a recorded-secrets file.
function walk(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.isFile()) out.push({ path, recorded: entry.name === RECORDED_SECRETS });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

// The secrets recorded in these files: [{ kind, value }], deduplicated, short ones left out.
export function recordedSecrets(paths) {
  const seen = new Map();
  for (const path of paths) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const { kind, value } = JSON.parse(line);
      if (typeof value === 'string' && value.length >= MIN_RECORDED) seen.set(value, kind);
    }
  }
  return [...seen].map(([value, kind]) => ({ kind, value }));
}

// Every hit in one line: [{ kind, start, end, masked }]. `recorded` values are matched as they are
// and URL-encoded (a secret in a query string).
export function scanLine(line, recorded = []) {
  const hits = [];
  for (const { kind, value } of recorded) {
    for (const form of new Set([value, encodeURIComponent(value)])) {
      for (let at = line.indexOf(form); at >= 0; at = line.indexOf(form, at + 1)) {
        hits.push({ kind: `recorded ${kind}`, start: at, end: at + form.length, masked: mask(form) });
      }
    }
  }
  for (const shape of SHAPES) {
    for (const m of line.matchAll(shape.re)) {
      if (shape.accept && !shape.accept(m[0])) continue;
      hits.push({ kind: shape.kind, start: m.index, end: m.index + m[0].length, masked: mask(m[0], shape.prefix(m[0])) });
    }
  }
  return hits;
}

// The line with every hit starred, cut to `width` characters, for the report.
function maskedLine(line, hits, width = 160) {
  const stars = Array.from(line);
  for (const h of hits) for (let i = h.start; i < h.end && i < stars.length; i++) stars[i] = '*';
  const text = stars.join('').replace(/\*{9,}/g, '*********');
  return text.length > width ? text.slice(0, width) + '…' : text;
}

// Scans every file under `dirs` (subdirectories too) for the secrets recorded anywhere under them
// and for the SHAPES. Returns { files, lines, recorded, hits: [{ file, line, kind, masked, context }] }.
export function scan(dirs) {
  const files = dirs.flatMap(walk);
  const recorded = recordedSecrets(files.filter(f => f.recorded).map(f => f.path));
  const result = { files: 0, lines: 0, recorded: recorded.length, hits: [] };
  for (const { path: file } of files.filter(f => !f.recorded)) {
    result.files++;
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      result.lines++;
      const hits = scanLine(line, recorded);
      if (hits.length === 0) return;
      const context = maskedLine(line, hits);
      for (const h of hits) result.hits.push({ file, line: i + 1, kind: h.kind, masked: h.masked, context });
    });
  }
  return result;
}

function main(argv) {
  const dirs = argv.filter(a => !a.startsWith('--'));
  if (dirs.length === 0) {
    console.error('usage: node tests/secrets/scan.mjs LOG_DIR...');
    return 2;
  }
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      console.error(`secrets scan: ${dir} is not a directory`);
      return 2;
    }
  }
  const r = scan(dirs);
  if (r.files === 0) {
    console.error(`secrets scan: no log files in ${dirs.join(', ')} (was ORGD_TEST_LOG_DIR set for the run?)`);
    return 2;
  }
  if (r.recorded === 0) {
    console.error(`secrets scan: no ${RECORDED_SECRETS} in ${dirs.join(', ')}: the harness recorded no secret to look for`);
    return 2;
  }
  if (r.hits.length > 0) {
    console.error(`secrets scan: ${r.hits.length} secret(s) in the logs:`);
    for (const h of r.hits) console.error(`${h.file}:${h.line}: ${h.kind}: ${h.masked}\n    ${h.context}`);
    return 1;
  }
  console.log(`secrets scan: ${r.files} log file(s), ${r.lines} line(s), ${r.recorded} recorded secret(s): clean`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) process.exitCode = main(process.argv.slice(2));
