// `orgd doctor` (issue 20, item 6): checks a configuration (serve's flags) and says what is wrong
// in plain words, with exit code 1 when something is; it changes nothing and prints no secret.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { databaseUrl, orgdBinary, recordSecret, storeKind } from '../lib/orgd.js';
import { useOrgd } from '../lib/suite.js';

const ctx = useOrgd();
const scratch = mkdtempSync(join(tmpdir(), 'orgd-doctor-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

// Runs `orgd doctor` with the running orgd's store and key and `args`; returns its exit code, its
// lines by check name, and the whole output.
function doctor(args = [], { database = databaseUrl(ctx.orgd.dataDir) } = {}) {
  const listen = args.includes('--listen') ? [] : ['--listen', '127.0.0.1:0'];
  const run = spawnSync(orgdBinary(), [
    'doctor', '--database', database, '--secret-key', ctx.orgd.secretKey,
    ...listen, '--frontend-listen', '127.0.0.1:0', ...args,
  ], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ORGD_SECRET_KEY: '' } });
  const out = run.stdout + run.stderr;
  assert.ok(!out.includes(ctx.orgd.secretKey), 'doctor printed the secret key');
  const checks = {};
  for (const line of run.stdout.split('\n')) {
    const m = /^(ok|warn|FAIL|skip)\s+(\S+(?: key)?)\s+(.*)$/.exec(line);
    if (m) (checks[m[2]] ??= []).push({ status: m[1], detail: m[3] });
  }
  return { status: run.status, checks, out };
}

// A loopback port nothing listens on.
async function closedPort() {
  const server = createServer();
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise(r => server.close(r));
  return port;
}

test('a good configuration: every check ok, exit 0', async () => {
  const r = doctor();
  assert.equal(r.status, 0, r.out);
  assert.equal(r.checks.config[0].status, 'ok', r.out);
  assert.equal(r.checks.store[0].status, 'ok', r.out);
  assert.match(r.checks.store[0].detail, /answers; its \d+ migrations are this build's/);
  assert.equal(r.checks['signing key'][0].status, 'ok', r.out);
  assert.equal(r.checks.smtp[0].status, 'skip', r.out);
  if (storeKind() === 'postgres') {
    assert.ok(r.checks.clock.some(c => c.status === 'ok' && /database server's/.test(c.detail)), r.out);
  }
  assert.match(r.out, /orgd doctor: nothing is wrong/);
});

test('what is wrong is said in plain words, and the exit code is 1', async () => {
  const invalid = doctor(['--token-lifetime', '0s']);
  assert.equal(invalid.status, 1);
  assert.equal(invalid.checks.config[0].status, 'FAIL');
  assert.match(invalid.checks.config[0].detail, /--token-lifetime/);

  const port = await closedPort();
  const smtp = doctor(['--smtp-url', `smtp://127.0.0.1:${port}`]);
  assert.equal(smtp.status, 1, smtp.out);
  assert.equal(smtp.checks.smtp[0].status, 'FAIL');
  assert.match(smtp.checks.smtp[0].detail, new RegExp(`smtp://127.0.0.1:${port} does not answer`));

  // A webhook endpoint at a loopback address: refused (SSRF) unless --webhook-allow-private,
  // and then it must accept connections.
  const secretFile = join(scratch, 'whsec');
  const whsec = 'whsec_' + Buffer.from('doctor-test-secret-0123456789ab').toString('base64');
  recordSecret('webhook secret', whsec);
  writeFileSync(secretFile, whsec + '\n', { mode: 0o600 });
  const hook = ['--webhook-endpoint', `http://127.0.0.1:${port}/hook`, '--webhook-secret-file', secretFile];
  const privateHook = doctor(hook);
  assert.equal(privateHook.status, 1, privateHook.out);
  assert.match(privateHook.checks.webhooks[0].detail, /not public .*--webhook-allow-private/);
  const closedHook = doctor([...hook, '--webhook-allow-private']);
  assert.equal(closedHook.status, 1, closedHook.out);
  assert.equal(closedHook.checks.webhooks[0].status, 'FAIL');
  const listeningHook = doctor(['--webhook-endpoint', `${ctx.orgd.url}/healthz`, '--webhook-secret-file', secretFile,
    '--webhook-allow-private']);
  assert.equal(listeningHook.checks.webhooks[0].status, 'ok', listeningHook.out);
  assert.ok(!listeningHook.out.includes(whsec), 'doctor printed the webhook secret');

  // The running orgd's own address is in use: a warning, not a failure.
  const inUse = doctor(['--listen', new URL(ctx.orgd.url).host]);
  assert.equal(inUse.checks.listen[0].status, 'warn', inUse.out);
  assert.match(inUse.checks.listen[0].detail, /in use/);
});

test('a store that is behind, or not there yet', { skip: storeKind() !== 'sqlite' && 'SQLite files only' }, () => {
  const behind = join(scratch, 'behind.db');
  const made = spawnSync('sqlite3', [behind, 'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY); INSERT INTO schema_migrations VALUES (3);']);
  assert.equal(made.status, 0, String(made.stderr));
  const r = doctor([], { database: `sqlite:${behind}` });
  assert.equal(r.status, 1, r.out);
  assert.equal(r.checks.store[0].status, 'FAIL');
  assert.match(r.checks.store[0].detail, /is at migration 3 of \d+: run `orgd migrate`/);

  const missing = doctor([], { database: `sqlite:${join(scratch, 'none', 'orgd.db')}` });
  assert.equal(missing.status, 0, missing.out);
  assert.equal(missing.checks.store[0].status, 'warn');
  assert.match(missing.checks.store[0].detail, /does not exist yet/);
  assert.equal(missing.checks['signing key'][0].status, 'skip');
});
