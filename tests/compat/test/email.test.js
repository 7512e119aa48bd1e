// Invitation emails through a real SMTP server (Debian's python3-aiosmtpd, a Maildir on disk):
// the email leaves from the durable queue written with the invitation, carries the accept link
// with its ticket, escapes what it interpolates, and survives orgd being killed while the mail
// server is down (issue 14, item 2).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { installContractCheck } from '../lib/contract.js';
import { newDataDir, newSecretKey, removeDataDir, startOrgd } from '../lib/orgd.js';
import { freePort, startSmtp } from '../lib/mail.js';
import { clerkFor, raw, useOrgd } from '../lib/suite.js';

installContractCheck();

const FROM = 'Acme Team <no-reply@acme.test>';
const ACCEPT = 'https://app.example/accept';

// Every message in the Maildir, parsed: headers (lowercase names), and the decoded text and HTML.
function messages(maildir) {
  const dir = join(maildir, 'new');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map(name => parse(readFileSync(join(dir, name), 'utf8')));
}

function parse(raw) {
  const text = raw.replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const headers = {};
  for (const line of text.slice(0, split).split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const boundary = /boundary="([^"]+)"/.exec(headers['content-type'])[1];
  const parts = {};
  for (const part of text.slice(split + 2).split(`--${boundary}`)) {
    const at = part.indexOf('\n\n');
    if (at < 0) continue;
    const type = /content-type: ([a-z/]+)/i.exec(part.slice(0, at))?.[1];
    if (type) parts[type] = Buffer.from(part.slice(at + 2).replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { headers, text: parts['text/plain'], html: parts['text/html'] };
}

async function waitFor(condition, ms, what) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = condition();
    if (value) return value;
    await new Promise(r => setTimeout(r, 200));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const smtpPort = await freePort();
const smtp = await startSmtp(smtpPort);
after(() => smtp.stop());

const ctx = useOrgd({
  args: ['--smtp-url', `smtp://127.0.0.1:${smtpPort}`, '--smtp-starttls', 'off',
    '--email-from', FROM, '--invitation-url', ACCEPT],
});

async function orgWithAdmin(name) {
  const admin = await ctx.clerk.users.createUser({
    emailAddress: [`admin${Math.random().toString(36).slice(2)}@acme.test`], firstName: 'Ann', lastName: 'Lee',
  });
  const org = await ctx.clerk.organizations.createOrganization({ name, createdBy: admin.id });
  return { org, admin };
}

describe('the invitation email', () => {
  test('one email per invitation, with its link and ticket, the organization and the inviter', async () => {
    const { org, admin } = await orgWithAdmin('Acme & Co');
    const inv = await ctx.clerk.organizations.createOrganizationInvitation({
      organizationId: org.id, emailAddress: 'jane@example.test', role: 'org:member', inviterUserId: admin.id,
    });
    const mail = await waitFor(() => messages(smtp.maildir).find(m => m.headers['message-id'] === `<${inv.id}@acme.test>`),
      15_000, 'the invitation email');
    assert.equal(mail.headers.to, 'jane@example.test');
    assert.equal(mail.headers.from, FROM);
    assert.match(mail.headers.subject, /Acme & Co/);
    // The link is the invitation's url; its ticket is the one the API shows.
    assert.ok(inv.url.startsWith(`${ACCEPT}?__clerk_ticket=`), inv.url);
    assert.ok(mail.text.includes(inv.url), mail.text);
    assert.ok(mail.text.includes('Ann Lee'), mail.text);
    const ticket = new URL(inv.url).searchParams.get('__clerk_ticket');
    assert.match(ticket, /^orginv_[0-9A-Za-z]+\.[0-9a-f]{64}$/);
    assert.equal(new URL(inv.url).searchParams.get('__clerk_status'), 'sign_up');
    // Every interpolated value is escaped in the HTML part.
    assert.ok(mail.html.includes('Acme &amp; Co'), mail.html);
    assert.ok(!mail.html.includes('Acme & Co'), mail.html);
    assert.ok(mail.html.includes(`href="${inv.url.replaceAll('&', '&amp;')}"`), mail.html);
  });

  test('notify: false sends nothing', async () => {
    const { org } = await orgWithAdmin('Quiet');
    const quiet = (await raw(ctx.orgd, 'POST', `/v1/organizations/${org.id}/invitations`, {
      json: { email_address: 'quiet@example.test', role: 'org:member', notify: false },
    })).json;
    const loud = await ctx.clerk.organizations.createOrganizationInvitation({
      organizationId: org.id, emailAddress: 'loud@example.test', role: 'org:member',
    });
    await waitFor(() => messages(smtp.maildir).find(m => m.headers['message-id'] === `<${loud.id}@acme.test>`),
      15_000, 'the notified invitation');
    assert.equal(messages(smtp.maildir).filter(m => m.headers['message-id'] === `<${quiet.id}@acme.test>`).length, 0);
  });
});

describe('durability', () => {
  test('50 emails queued while the mail server is down survive kill -9 and arrive once each', async () => {
    const port = await freePort();  // nothing listens there yet
    const dataDir = newDataDir();
    const secretKeys = [newSecretKey()];
    const args = ['--smtp-url', `smtp://127.0.0.1:${port}`, '--smtp-starttls', 'off', '--email-from', FROM,
      '--invitation-url', ACCEPT];
    let second;
    let down;
    try {
      const first = await startOrgd({ dataDir, secretKeys, args });
      const clerk = clerkFor(first);
      const org = await clerk.organizations.createOrganization({ name: 'Durable mail', maxAllowedMemberships: 100 });
      const ids = [];
      for (let batch = 0; batch < 5; batch++) {
        const items = Array.from({ length: 10 }, (_, i) => ({
          emailAddress: `guest${batch * 10 + i}@example.test`, role: 'org:member',
        }));
        const created = await clerk.organizations.createOrganizationInvitationBulk(org.id, items);
        ids.push(...created.data.map(i => i.id));
      }
      assert.equal(ids.length, 50);
      await new Promise(r => setTimeout(r, 1500));  // let it try (and fail) to send
      const killed = await first.stop('SIGKILL');
      assert.equal(killed.signal, 'SIGKILL');
      down = await startSmtp(port);
      second = await startOrgd({ dataDir, secretKeys, args });
      await waitFor(() => messages(down.maildir).length >= 50, 60_000, '50 emails after the restart');
      await new Promise(r => setTimeout(r, 1500));  // and no duplicates after
      const all = messages(down.maildir).map(m => m.headers['message-id']);
      assert.equal(all.length, 50, `each email once: ${all.length}`);
      assert.deepEqual([...new Set(all)].sort(), ids.map(id => `<${id}@acme.test>`).sort());
    } finally {
      if (second) {
        const stopped = await second.stop('SIGTERM');
        assert.equal(stopped.code, 0, stopped.stderr);
      }
      if (down) await down.stop();
      removeDataDir(dataDir);
    }
  });
});

describe('SMTP AUTH', () => {
  // A mail server that takes mail only after AUTH with these credentials.
  async function startAuthSmtp(port, user, password) {
    const maildir = mkdtempSync(join(tmpdir(), 'orgd-mail-auth-'));
    rmSync(maildir, { recursive: true });
    const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'smtp_auth_server.py');
    const child = spawn('/usr/bin/python3', [script, String(port), maildir, user, password],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the SMTP AUTH server did not start')), 10_000);
      child.stdout.on('data', c => { if (String(c).includes('ready')) { clearTimeout(timer); resolve(); } });
    });
    return { maildir, stop: () => new Promise(r => { child.on('exit', r); child.kill('SIGTERM'); }) };
  }

  test('--smtp-user and --smtp-password-file authenticate; a wrong password delivers nothing and is never logged', async () => {
    const port = await freePort();
    const server = await startAuthSmtp(port, 'mailer', 'r1ght-pass');
    const dir = mkdtempSync(join(tmpdir(), 'orgd-smtp-secret-'));
    const running = [];
    try {
      const start = async password => {
        writeFileSync(join(dir, `${password}.txt`), `${password}\n`, { mode: 0o600 });
        const orgd = await startOrgd({
          args: ['--smtp-url', `smtp://127.0.0.1:${port}`, '--smtp-starttls', 'off', '--email-from', FROM,
            '--invitation-url', ACCEPT, '--smtp-user', 'mailer', '--smtp-password-file', join(dir, `${password}.txt`)],
        });
        running.push(orgd);
        const clerk = clerkFor(orgd);
        const org = await clerk.organizations.createOrganization({ name: 'Authenticated' });
        return clerk.organizations.createOrganizationInvitation({
          organizationId: org.id, emailAddress: `${password}@example.test`, role: 'org:member',
        });
      };
      const good = await start('r1ght-pass');
      await waitFor(() => messages(server.maildir).find(m => m.headers['message-id'] === `<${good.id}@acme.test>`),
        15_000, 'the authenticated email');
      const bad = await start('wr0ng-pass');
      await new Promise(r => setTimeout(r, 3000));
      assert.equal(messages(server.maildir).filter(m => m.headers['message-id'] === `<${bad.id}@acme.test>`).length, 0);
      for (const orgd of running) {
        assert.ok(!orgd.stderr.includes('wr0ng-pass') && !orgd.stderr.includes('r1ght-pass'),
          'a password reached the log');
      }
    } finally {
      for (const orgd of running) await orgd.stop('SIGTERM');
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
