// The scanner must fail when it should: a synthetic log holding one secret of every kind it knows
// (each on its own line, each reported at that line, none printed unmasked), beside a clean log of
// look-alikes orgd really prints (which must not be reported), the recorded-secrets file (never
// scanned), and the refusals that keep a scan of nothing from passing.
//   node --test tests/secrets/
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { RECORDED_SECRETS, SHAPES, scan } from './scan.mjs';

const SCANNER = join(dirname(fileURLToPath(import.meta.url)), 'scan.mjs');
const dirs = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function logDir(files) {
  const dir = mkdtempSync(join(tmpdir(), 'orgd-secrets-scan-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const alnum = n => Array.from(randomBytes(n), b => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[b % 62]).join('');
// 32 random bytes as URL-safe base64 with a digit, an upper- and a lowercase letter in it, as the
// sign-in token secrets are (43 characters).
function base64url32() {
  for (;;) {
    const s = randomBytes(32).toString('base64url');
    if (/[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s) && !/^[a-z]+_/.test(s)) return s;
  }
}
const hex64 = () => randomBytes(32).toString('hex');
const jwtPart = o => Buffer.from(JSON.stringify(o)).toString('base64url');
const at = '2026-12-01T10:00:00.000Z';

// One line per kind: [kind the scanner must report, the line, the secret in it].
function secretLines() {
  const recordedKey = `sk_live_${alnum(40)}`;
  const smtpPassword = 'r1ght-pass-' + alnum(6);
  const queryPassword = `p&ss=w/rd ${alnum(6)}`;
  const lines = [
    ['recorded secret key', `${at} error request_id=req_x1 detail=presented ${recordedKey}`, recordedKey],
    ['recorded smtp-password-file', `${at} warning smtp: AUTH as mailer with ${smtpPassword} refused`, smtpPassword],
    // Only URL-encoded in the line.
    ['recorded smtp-password-file', `${at} info http path=/x?p=${encodeURIComponent(queryPassword)}`, null],
    ['secret key', `${at} info authorization: Bearer sk_test_${alnum(48)}`, null],
    ['webhook secret', `${at} info endpoint secret whsec_${randomBytes(24).toString('base64')}`, null],
    ['PEM private key', '-----BEGIN PRIVATE KEY-----', null],
    ['PEM private key', '-----BEGIN RSA PRIVATE KEY-----', null],
    ['client credential', `${at} debug client client_${alnum(27)}.${base64url32()} signed in`, null],
    ['__client cookie', `${at} debug cookie: __client=abc.${alnum(20)}; __client_uat=0`, null],
    ['invitation ticket', `${at} info url=https://app.test/accept?x=orginv_${alnum(27)}.${hex64()}`, null],
    ['JWT', `${at} debug token ${jwtPart({ alg: 'RS256', kid: 'ins_1' })}.${jwtPart({ sub: 'user_1', sid: 'sess_1' })}.${randomBytes(64).toString('base64url')}`, null],
    ['ticket or token parameter', `${at} info redirect to https://app.test/?__clerk_ticket=${alnum(30)}`, null],
    ['ticket or token parameter', `${at} info body {"ticket":"${alnum(24)}"}`, null],
    ['random 256-bit token', `${at} info redeemed ${base64url32()} for user_2`, null],
    ['256-bit hex (key, MAC or secret digest)', `${at} info invitation_ticket_key=${hex64()}`, null],
    ['verification code', `${at} info job payload {"to":"a@b.test","code":"${String(100000 + randomBytes(2).readUInt16BE())}"}`, null],
    ['verification code', `${at} info sent: Your verification code is 042917`, null],
    ['password in a URL', `${at} warning cannot connect to postgres://orgd:${alnum(12)}@127.0.0.1:5432/orgd`, null],
  ];
  return { lines, recorded: [
    { kind: 'secret key', value: recordedKey },
    { kind: 'smtp-password-file', value: smtpPassword },
    { kind: 'smtp-password-file', value: queryPassword },
    // Only in this file: the scanner must not scan it.
    { kind: 'secret key', value: `sk_test_${alnum(40)}` },
    { kind: 'smtp-password-file', value: 'short' },  // too short to look for
  ] };
}

// Lines orgd prints that are not secrets but look a little like them.
const CLEAN = [
  `${at} info sqlite: applied 11 migration(s) to /tmp/orgd-compat-xeK6FX/orgd.db`,
  `orgd 0.1.0 listening on http://127.0.0.1:44193 (public URL http://127.0.0.1:44193)`,
  `orgd frontend API listening on http://127.0.0.1:45497 (URL https://clerk.tokens.example.test, publishable key pk_live_Y2xlcmsudG9rZW5zLmV4YW1wbGUudGVzdCQ)`,
  `${at} info http method=GET path=/v1/organizations/org_0ERytoiONPGfVIxBBQTgQsNwGF/memberships status=200 duration_ms=0.930 bytes=450 request_id=req_dj5icL1 remote=127.0.0.1`,
  `${at} info http method=POST path=/v1/sessions/sess_0ERytqN3K7bj3bqKcb4THszBSP/tokens status=200 duration_ms=1.2 bytes=900 request_id=req_TVz1r2 remote=127.0.0.1`,
  `orgd: no secret key: pass --secret-key-file FILE or --secret-key sk_test_…, or set ORGD_SECRET_KEY`,
  `orgd: a secret key must look like sk_test_<at least 16 letters or digits> or sk_live_<…>`,
  `orgd: the --webhook-secret-file must hold a whsec_<base64> secret`,
  `${at} error request_id=req_1 status=500 code=internal_error detail=sqlite: UNIQUE constraint failed (constraint failed, code 2067) in: INSERT INTO clients`,
  `${at} warning job job_email_orginv_0ERytjs9F8K3WoVhrNfroCpjfX1 (invitation_email) attempt 1 failed: smtp: sending <orginv_0ERytjs9F8K3WoVhrNfroCpjfX1@acme.test> failed: Operation timed out after 10001 milliseconds`,
  `${at} info http method=GET path=/v1/organizations/a-long-lowercase-slug-of-forty-three-chars0 status=404`,
  `${at} info http method=GET path=/v1/users/user_0ERytizcVXtQqkX5FTI4L0fa2Wr status=200`,
  `${at} info token_lifetime=60 session_lifetime=604800`,
  `${at} info connecting to postgres://orgd@127.0.0.1:5432/postgres and http://127.0.0.1:8080/`,
  `orgd: --database must look like sqlite:<path> or postgres://user:pass@host/db (got 'postgress://orgd:***@127.0.0.1:1/orgd')`,
  `orgd migrate: 0 migration(s) applied to postgres://orgd:***@db.internal/orgd?password=***`,
].join('\n') + '\n';

test('every kind of secret is reported at its line, masked; the clean log and the record are not', () => {
  const { lines, recorded } = secretLines();
  const dir = logDir({
    'a.test.js.1.1.orgd.log': lines.map(([, line]) => line).join('\n') + '\n',
    'nested/b.test.js.2.1.demo-app.log': CLEAN,
    [RECORDED_SECRETS]: recorded.map(r => JSON.stringify(r)).join('\n') + '\n',
  });
  const run = spawnSync(process.execPath, [SCANNER, dir], { encoding: 'utf8' });
  assert.equal(run.status, 1, run.stdout + run.stderr);
  const reported = run.stderr.split('\n').filter(l => l.startsWith(dir));
  lines.forEach(([kind], i) => {
    const where = `${join(dir, 'a.test.js.1.1.orgd.log')}:${i + 1}: ${kind}:`;
    assert.ok(reported.some(l => l.startsWith(where)), `line ${i + 1} (${kind}) was not reported:\n${run.stderr}`);
  });
  assert.ok(!reported.some(l => l.includes('demo-app.log')), `the clean log was reported:\n${run.stderr}`);
  assert.ok(!reported.some(l => l.includes(RECORDED_SECRETS)), 'the recorded secrets were scanned');
  // Nothing secret in the report itself: no recorded value, and none of the secrets the lines hold.
  for (const { value } of recorded) assert.ok(value === 'short' || !run.stderr.includes(value), 'a recorded secret in the report');
  for (const [kind, line] of lines) {
    for (const shape of SHAPES) {
      for (const m of line.matchAll(shape.re)) {
        if (shape.accept && !shape.accept(m[0])) continue;
        const secretPart = m[0].slice(shape.prefix(m[0]).length);
        if (secretPart.length >= 6) assert.ok(!run.stderr.includes(secretPart), `${kind}: ${shape.kind} printed unmasked`);
      }
    }
  }
  // Every shape the scanner knows is exercised above.
  for (const shape of SHAPES) assert.ok(lines.some(([kind]) => kind === shape.kind), `no synthetic line for ${shape.kind}`);
});

test('a clean log passes', () => {
  const dir = logDir({ 'c.log': CLEAN, [RECORDED_SECRETS]: JSON.stringify({ kind: 'secret key', value: `sk_test_${alnum(40)}` }) + '\n' });
  const run = spawnSync(process.execPath, [SCANNER, dir], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /1 log file\(s\), \d+ line\(s\), 1 recorded secret\(s\): clean/);
  assert.equal(scan([dir]).hits.length, 0);
});

test('a scan that could not fail does not pass: no logs, no record, no directory', () => {
  const empty = logDir({});
  const noRecord = logDir({ 'c.log': CLEAN });
  for (const [dir, why] of [[empty, /no log files/], [noRecord, /recorded no secret/], [join(empty, 'absent'), /not a directory/]]) {
    const run = spawnSync(process.execPath, [SCANNER, dir], { encoding: 'utf8' });
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(run.stderr, why);
  }
  assert.equal(spawnSync(process.execPath, [SCANNER], { encoding: 'utf8' }).status, 2);
});

test('a secret recorded in one run\'s directory is looked for in every log under the scanned ones', () => {
  const password = `pw-${alnum(20)}`;  // no secret's shape: only the record finds it
  const dir = logDir({
    [`compat-sqlite/${RECORDED_SECRETS}`]: JSON.stringify({ kind: 'smtp-password-file', value: password }) + '\n',
    'compat-sqlite/x.test.js.1.1.orgd.log': CLEAN,
    'e2e/y.test.js.2.1.demo-app.log': `${at} info ok\n${at} warning smtp login with ${password} failed\n`,
  });
  const r = scan([dir]);
  assert.equal(r.recorded, 1);
  assert.equal(r.files, 2);
  assert.deepEqual(r.hits.map(h => [h.file.slice(dir.length + 1), h.line, h.kind]),
    [['e2e/y.test.js.2.1.demo-app.log', 2, 'recorded smtp-password-file']]);
});
