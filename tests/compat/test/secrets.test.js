// Secrets stay secret (issue 19, item 7): no error body, header or log line repeats a secret that
// was presented (a near-miss Backend API key, a forged __client credential, a wrong ticket), and
// orgd's refusals to start (a malformed --secret-key, an unreadable or empty
// --smtp-password-file, a malformed --webhook-secret-file, a --database URL with a password)
// name the flag or the file, never the value. On SQLite the files orgd makes hold secrets too:
// the data directory is 0700 and the database with its -wal and -shm files 0600.
// The values presented here are recorded for the log scan (tests/secrets/scan.mjs) as well.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { assertFapiError, useFrontend } from '../lib/frontend.js';
import {
  newDataDir, newSecretKey, openTestLog, orgdBinary, recordSecret, removeDataDir, startOrgd, storeKind,
} from '../lib/orgd.js';
import { assertClerkError, raw } from '../lib/suite.js';

const ctx = useFrontend({ logLevel: 'debug' });

// The same string with its last character changed (to another letter or digit).
function nearMiss(secret) {
  const last = secret.at(-1);
  return secret.slice(0, -1) + (last === 'A' ? 'B' : 'A');
}

// Asserts that no part of `secrets` of 12 characters or more appears in `text` (`what` says where).
// A window, not just the whole value: an echo cut short is still a leak.
function assertNoSecret(text, secrets, what) {
  for (const secret of secrets) {
    const windows = new Set([secret]);
    for (let i = 0; i + 12 <= secret.length; i += 6) windows.add(secret.slice(i, i + 12));
    for (const w of windows) {
      // Public prefixes are not secret (sk_test_, client_<id>., orginv_<id>.).
      if (/^(sk_(test|live)_|whsec_)/.test(w) && w.length <= 12) continue;
      // The message stars the secret out: a failing test must not print it either.
      assert.ok(!text.includes(w), `${what} holds part of a secret (${secret.slice(0, 4)}…): ${text.slice(0, 400).replaceAll(w, '*'.repeat(w.length))}`);
    }
  }
}

// Everything a client sees of a response: status line aside, its headers and body.
function visible(res) {
  return [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n') + '\n' + res.text;
}

// A Backend API request with exactly this Authorization header (none when undefined).
function bapi(authorization, path = '/v1/organizations') {
  const headers = authorization === undefined ? {} : { authorization };
  return raw(ctx.orgd, 'GET', path, { headers, auth: false });
}

describe('Backend API: a wrong secret key is not repeated', () => {
  test('a near-miss key, a key of the other kind, a key with junk, a very long one: 401 without the key', async () => {
    const real = ctx.orgd.secretKey;
    const presented = [
      nearMiss(real),
      real.replace(/^sk_test_/, 'sk_live_'),
      real.slice(0, -4),
      real + 'Z',
      newSecretKey('live'),
      `sk_test_${'x'.repeat(8000)}${randomBytes(16).toString('hex')}`,
    ];
    for (const key of presented) recordSecret('presented near-miss key', key);
    for (const key of presented) {
      const res = await bapi(`Bearer ${key}`);
      assertClerkError(res, 401, 'clerk_key_invalid');
      assertNoSecret(visible(res), [key.slice(-40), real], `the answer to ${key.slice(0, 12)}…`);
    }
  });

  test('a key in a malformed Authorization header (Basic, no Bearer, lowercase, tabs) is not repeated', async () => {
    const real = ctx.orgd.secretKey;
    const wrong = nearMiss(real);
    for (const header of [`Basic ${wrong}`, wrong, `Bearer\t${wrong}`, `Token ${real}`, `Bearer ${wrong} ${real}`]) {
      const res = await bapi(header);
      assert.equal(res.status, 401, `${header.slice(0, 10)}…: ${res.text}`);
      assertNoSecret(visible(res), [wrong, real], `the answer to "${header.slice(0, 10)}…"`);
    }
  });

  test('the log of those requests holds no key', () => {
    assertNoSecret(ctx.orgd.stderr, [ctx.orgd.secretKey, nearMiss(ctx.orgd.secretKey)], 'orgd\'s log');
  });
});

describe('Frontend API: a forged credential is not repeated', () => {
  async function signedInBrowser() {
    const user = await ctx.clerk.users.createUser({ emailAddress: [`secret${randomBytes(4).toString('hex')}@secrets.example.com`] });
    const browser = ctx.browser();
    await browser.signIn(user.id);
    const credential = browser.cookies.get('__client')?.value;
    assert.match(credential ?? '', /^client_[0-9A-Za-z]+\.[A-Za-z0-9_-]{20,}$/, 'a __client cookie after sign-in');
    return { browser, credential };
  }

  test('a __client cookie with a wrong secret: signed out, and neither it nor the real one in the answer', async () => {
    const { browser, credential } = await signedInBrowser();
    const forged = nearMiss(credential);
    recordSecret('forged __client credential', forged);
    recordSecret('__client credential', credential);
    const forger = browser.clone();
    forger.cookies.set('__client', { value: forged, attributes: {} });
    const secretOf = c => c.slice(c.indexOf('.') + 1);
    // A route that needs the session, and one that works signed out (the stale cookie is no client).
    const me = await forger.get('/v1/me');
    assertFapiError(me, 401, 'signed_out');
    assertNoSecret(visible(me), [secretOf(forged), secretOf(credential)], 'GET /v1/me with a forged cookie');
    const client = await forger.clone().get('/v1/client');
    assert.ok(client.status < 500, client.text);
    assertNoSecret(visible(client), [secretOf(forged), secretOf(credential)], 'GET /v1/client with a forged cookie');
    // A garbage cookie, long and odd, is not repeated either.
    const junk = `client_${'A'.repeat(27)}.${randomBytes(600).toString('base64url')}`;
    const junkRes = await forger.get('/v1/me', { headers: { cookie: `__client=${junk}` } });
    assertFapiError(junkRes, 401, 'signed_out');
    assertNoSecret(visible(junkRes), [secretOf(junk).slice(0, 200)], 'GET /v1/me with a junk cookie');
  });

  test('a native client with a wrong Authorization credential: signed out, not repeated', async () => {
    const { credential } = await signedInBrowser();
    const forged = nearMiss(credential);
    const app = ctx.browser({ native: true, origin: null });
    app.authorization = forged;
    const res = await app.get('/v1/me');
    assertFapiError(res, 401, 'signed_out');
    assertNoSecret(visible(res), [forged.slice(forged.indexOf('.') + 1), credential.slice(credential.indexOf('.') + 1)], 'a native /v1/me');
  });

  test('a wrong sign-in ticket and a forged invitation ticket are not repeated', async () => {
    const org = await ctx.clerk.organizations.createOrganization({ name: 'Secret Org' });
    const invitation = await ctx.clerk.organizations.createOrganizationInvitation({
      organizationId: org.id, emailAddress: `invitee${randomBytes(4).toString('hex')}@secrets.example.com`, role: 'org:member',
    });
    const user = await ctx.clerk.users.createUser({ emailAddress: [`ticket${randomBytes(4).toString('hex')}@secrets.example.com`] });
    const token = await ctx.clerk.signInTokens.createSignInToken({ userId: user.id, expiresInSeconds: 600 });
    const wrongToken = nearMiss(token.token);
    const forgedTicket = `${invitation.id}.${randomBytes(32).toString('hex')}`;
    for (const [what, ticket] of [['a near-miss sign-in token', wrongToken], ['a forged invitation ticket', forgedTicket]]) {
      recordSecret(what, ticket);
      const res = await ctx.browser().redeem(ticket);
      assert.ok(res.status >= 400 && res.status < 500, `${what}: ${res.text}`);
      assertNoSecret(visible(res), [ticket.slice(ticket.indexOf('.') + 1), token.token], `the answer to ${what}`);
    }
  });

  test('the log of those requests holds no credential', () => {
    assert.doesNotMatch(ctx.orgd.stderr, /client_[0-9A-Za-z]+\.[A-Za-z0-9_-]{16,}/);
    assert.doesNotMatch(ctx.orgd.stderr, /__client=/);
  });
});

// orgd serve with `args` (and a fresh store) that must refuse to start: resolves with its exit
// status and stderr (saved for the log scan too).
function refusedStart(args, { secretKey = newSecretKey() } = {}) {
  const dataDir = newDataDir();
  try {
    const run = spawnSync(orgdBinary(), [
      'serve', '--listen', '127.0.0.1:0', '--frontend-listen', '127.0.0.1:0',
      '--database', `sqlite:${join(dataDir, 'orgd.db')}`, '--secret-key', secretKey, '--log-level', 'debug', ...args,
    ], { encoding: 'utf8', timeout: 15_000, killSignal: 'SIGKILL', env: { ...process.env, ORGD_SECRET_KEY: '' } });
    const log = openTestLog('orgd-refused');
    log?.write(run.stderr ?? '');
    log?.close();
    assert.equal(run.signal, null, `orgd started instead of refusing ${args.join(' ')}:\n${run.stderr}`);
    assert.notEqual(run.status, 0, `orgd started with ${args.join(' ')}:\n${run.stderr}`);
    assert.ok(run.stderr.length > 0, 'a refusal says why');
    return run;
  } finally {
    removeDataDir(dataDir);
  }
}

describe('refusals to start name the flag, not the secret', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orgd-secrets-'));
  const file = (name, text) => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };

  test('a malformed --secret-key (too short, a misspelt prefix, one bad key among good ones)', () => {
    const good = newSecretKey();
    for (const bad of [`sk_test_${'Q7'.repeat(7)}x`, `sk_tset_${newSecretKey().slice(8)}`, `sk_test_${'a'.repeat(20)}-${'b'.repeat(12)}`]) {
      recordSecret('malformed --secret-key', bad);
      for (const keys of [bad, `${good},${bad}`]) {
        const run = refusedStart([], { secretKey: keys });
        assertNoSecret(run.stderr, [bad, good], `the refusal of --secret-key ${bad.slice(0, 9)}…`);
        assert.match(run.stderr, /secret key/);
      }
    }
  });

  test('a --secret-key-file with a malformed line names the file only', () => {
    const bad = `sk_live_short${randomBytes(3).toString('hex')}`;
    const good = newSecretKey();
    recordSecret('malformed --secret-key-file line', bad);
    const path = file('keys.txt', `# keys\n${good}\n${bad}\n`);
    const run = refusedStart(['--secret-key-file', path]);
    assertNoSecret(run.stderr, [bad, good], 'the refusal of a --secret-key-file');
  });

  test('an unreadable or empty --smtp-password-file: the refusal holds no password', () => {
    const password = `pw-${randomBytes(12).toString('base64url')}`;
    recordSecret('smtp-password-file', password);
    const cases = [
      ['a missing file', join(dir, 'missing.txt')],
      ['a directory', dir],
      // The password on the second line: the first, which orgd reads, is empty.
      ['an empty first line', file('second-line.txt', `\n${password}\n`)],
    ];
    if (process.getuid?.() !== 0) {
      const locked = file('locked.txt', `${password}\n`);
      chmodSync(locked, 0o000);
      cases.push(['a file orgd may not read', locked]);
    }
    for (const [what, path] of cases) {
      const run = refusedStart(['--smtp-url', 'smtp://127.0.0.1:9', '--smtp-starttls', 'off', '--smtp-user', 'mailer',
        '--smtp-password-file', path]);
      assertNoSecret(run.stderr, [password], `the refusal of ${what}`);
    }
  });

  test('a malformed --webhook-secret-file: the refusal holds no secret', () => {
    for (const secret of [`whsec_${randomBytes(10).toString('base64')}!`, `whsec${randomBytes(24).toString('base64')}`, `sk_test_${'m'.repeat(30)}`]) {
      recordSecret('malformed webhook secret', secret);
      const path = file(`webhook-${randomBytes(4).toString('hex')}.txt`, `${secret}\n`);
      const run = refusedStart(['--webhook-endpoint', 'https://hooks.example.com/orgd', '--webhook-secret-file', path]);
      assertNoSecret(run.stderr, [secret.slice(6)], 'the refusal of a --webhook-secret-file');
    }
  });

  test('a --database URL with a password, misspelt or unreachable: the refusal holds no password', () => {
    const password = `Pa55-${randomBytes(9).toString('base64url')}`;
    recordSecret('database password', password);
    for (const url of [
      `postgress://orgd:${password}@127.0.0.1:1/orgd`,   // a misspelt scheme
      `mysql://orgd:${password}@127.0.0.1:1/orgd`,       // another database
      `postgres://orgd:${password}@127.0.0.1:1/orgd`,     // nothing listens on port 1
    ]) {
      const dataDir = newDataDir();
      try {
        const run = spawnSync(orgdBinary(), ['serve', '--listen', '127.0.0.1:0', '--frontend-listen', '127.0.0.1:0',
          '--database', url, '--secret-key', newSecretKey()], { encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' });
        const log = openTestLog('orgd-refused');
        log?.write(run.stderr ?? '');
        log?.close();
        assert.notEqual(run.status, 0, run.stderr);
        assertNoSecret(run.stderr, [password], `the refusal of --database ${url.split(':')[0]}://…`);
      } finally {
        removeDataDir(dataDir);
      }
    }
  });

  after(() => rmSync(dir, { recursive: true, force: true }));
});

describe('files that hold secrets are the owner\'s only', { skip: storeKind() !== 'sqlite' && 'the store is PostgreSQL: orgd makes no files' }, () => {
  test('a data directory orgd makes is 0700; the database and its -wal and -shm files 0600', async () => {
    const parent = newDataDir();
    const dataDir = join(parent, 'var', 'data');  // orgd makes both
    assert.ok(!existsSync(dataDir));
    const orgd = await startOrgd({ dataDir });
    try {
      // A write, so that the WAL files exist.
      const res = await fetch(`${orgd.url}/v1/organizations`, {
        method: 'POST', headers: { authorization: `Bearer ${orgd.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Modes' }),
      });
      assert.equal(res.status, 200, await res.text());
      const mode = path => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
      assert.equal(mode(dataDir), '0700', 'the data directory');
      assert.equal(mode(join(parent, 'var')), '0700', 'the directory made to hold it');
      for (const name of ['orgd.db', 'orgd.db-wal', 'orgd.db-shm']) {
        assert.ok(existsSync(join(dataDir, name)), `${name} exists while orgd serves`);
        assert.equal(mode(join(dataDir, name)), '0600', name);
      }
    } finally {
      const { code } = await orgd.stop('SIGTERM');
      assert.equal(code, 0, orgd.stderr);
      removeDataDir(parent);
    }
  });

  test('a database file that others may read is reported when orgd opens it', async () => {
    const dataDir = newDataDir();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'orgd.db'), '');
    chmodSync(join(dataDir, 'orgd.db'), 0o644);
    const orgd = await startOrgd({ dataDir, logLevel: 'warn' });
    try {
      // Logged through the asynchronous logger: it may follow the listening line.
      for (let i = 0; i < 50 && !/may be read by other users/.test(orgd.stderr); i++) await new Promise(r => setTimeout(r, 40));
      assert.match(orgd.stderr, /orgd\.db may be read by other users \(mode 0644\)/);
    } finally {
      await orgd.stop('SIGTERM');
      removeDataDir(dataDir);
    }
  });
});
