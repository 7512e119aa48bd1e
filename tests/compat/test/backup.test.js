// `orgd backup --database sqlite:PATH OUT_FILE` (issue 19, item 8): a consistent copy taken while
// orgd serves. Writers create organizations and memberships without pause and note when each write
// was acknowledged; mid-load the backup runs; a second orgd then serves the copy, and every write
// acknowledged before the backup started must be there with its content (read through the SDK),
// while none sent after the backup returned may be. The copy passes PRAGMA integrity_check and is
// mode 0600; the command refuses to overwrite a file and refuses a postgres:// store (pg_dump).
// SQLite only: on PostgreSQL the copy is pg_dump's job (docs/DEPLOYING.md).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { newDataDir, orgdBinary, recordSecret, removeDataDir, startOrgd, storeKind } from '../lib/orgd.js';
import { clerkFor } from '../lib/suite.js';

// Runs `orgd backup ARGS…` without blocking the writers (they share this event loop).
function backup(args) {
  return new Promise(resolve => {
    execFile(orgdBinary(), ['backup', ...args], { encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const sha256 = path => createHash('sha256').update(readFileSync(path)).digest('hex');
const sleep = ms => new Promise(r => setTimeout(r, ms));

describe('orgd backup of a SQLite store under load', { skip: storeKind() !== 'sqlite' && 'ORGD_TEST_STORE=postgres: PostgreSQL is backed up with pg_dump, not orgd backup' }, () => {
  const dirs = [];
  let source;   // the serving orgd
  let copy;     // the orgd on the backup
  const result = {};

  before(async () => {
    source = await startOrgd();
    dirs.push(source.dataDir);
    const clerk = clerkFor(source);
    const users = [];
    for (let i = 0; i < 12; i++) {
      users.push(await clerk.users.createUser({ emailAddress: [`backup${i}@backup.example.com`], firstName: `Backup${i}` }));
    }

    // The writers: each loop creates an organization, then adds a member to one of its own
    // organizations; every acknowledged write is noted with the time its answer arrived. Bounded:
    // they stop when told, after MAX_WRITES in all, or after 90 s.
    const MAX_WRITES = 6000;
    const deadline = Date.now() + 90_000;
    const writes = [];   // { kind, sentAt, ackAt, ...content }
    let stop = false;
    let seq = 0;
    const failures = [];
    const writer = async w => {
      const mine = [];
      while (!stop && writes.length < MAX_WRITES && Date.now() < deadline) {
        const n = ++seq;
        try {
          if (mine.length === 0 || n % 3 !== 0) {
            const content = {
              name: `Backup Org ${n}`, slug: `backup-org-${n}`, maxAllowedMemberships: 0,
              // Some bulk, so that the copy has many pages to take while the writers go on.
              publicMetadata: { seq: n, writer: w, filler: randomBytes(600).toString('base64') },
            };
            const sentAt = performance.now();
            const org = await clerk.organizations.createOrganization(content);
            writes.push({ kind: 'organization', sentAt, ackAt: performance.now(), id: org.id, ...content });
            mine.push({ id: org.id, members: new Set() });
          } else {
            const org = mine[n % mine.length];
            const user = users.find(u => !org.members.has(u.id));
            if (!user) continue;
            org.members.add(user.id);
            const role = n % 2 ? 'org:admin' : 'org:member';
            const sentAt = performance.now();
            await clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: user.id, role });
            writes.push({ kind: 'membership', sentAt, ackAt: performance.now(), organizationId: org.id, userId: user.id, role });
          }
        } catch (err) {
          failures.push(`${n}: ${err.status ?? ''} ${JSON.stringify(err.errors ?? err.message)}`);
          if (failures.length > 20) stop = true;
        }
      }
    };
    const writers = [1, 2, 3, 4].map(writer);

    // Mid-load: once a few hundred writes are in (and the writers still going), the backup.
    while (writes.length < 400 && !stop && Date.now() < deadline) await sleep(20);
    const copyDir = newDataDir();
    dirs.push(copyDir);
    result.copyDir = copyDir;
    result.out = join(copyDir, 'orgd.db');
    result.startedAt = performance.now();
    result.run = await backup(['--database', `sqlite:${join(source.dataDir, 'orgd.db')}`, result.out]);
    result.endedAt = performance.now();
    // A few writes sent after it returned: the copy must not have them.
    for (let i = 0; i < 5; i++) {
      const content = { name: `After Backup ${i}`, slug: `after-backup-${i}` };
      const sentAt = performance.now();
      const org = await clerk.organizations.createOrganization(content);
      writes.push({ kind: 'organization', sentAt, ackAt: performance.now(), id: org.id, ...content, publicMetadata: {} });
    }
    stop = true;
    await Promise.all(writers);
    result.writes = writes;
    result.failures = failures;
    result.users = users;
  }, { timeout: 180_000 });

  after(async () => {
    for (const orgd of [source, copy]) {
      if (orgd) await orgd.stop('SIGTERM');
    }
    for (const dir of dirs) removeDataDir(dir);
  });

  test('the backup succeeds mid-load and says so', t => {
    assert.equal(result.failures.length, 0, `writes failed while the backup ran:\n${result.failures.join('\n')}`);
    assert.equal(result.run.code, 0, `orgd backup failed:\n${result.run.stdout}${result.run.stderr}`);
    assert.match(result.run.stdout + result.run.stderr, /^orgd backup: /m);
    const during = result.writes.filter(w => w.ackAt > result.startedAt && w.sentAt < result.endedAt).length;
    const before = result.writes.filter(w => w.ackAt < result.startedAt).length;
    assert.ok(before >= 400, `${before} writes acknowledged before the backup`);
    // Not asserted (a small copy may be quicker than one write), but shown: the load went on.
    t.diagnostic(`writes acknowledged before the backup: ${before}; overlapping it: ${during}; in all: ${result.writes.length}`);
  });

  test('the copy is a sound database, mode 0600', () => {
    assert.ok(existsSync(result.out), 'the copy exists');
    assert.equal((statSync(result.out).mode & 0o777).toString(8), '600', 'the copy is for its owner only');
    // Checked before anything opens it for writing.
    const verdict = execFileSync('sqlite3', ['-readonly', result.out, 'PRAGMA integrity_check;'], { encoding: 'utf8' }).trim();
    assert.equal(verdict, 'ok');
  });

  test('a second orgd on the copy has every write acknowledged before the backup started, as written', async () => {
    copy = await startOrgd({ dataDir: result.copyDir });
    const clerk = clerkFor(copy);
    const acknowledged = result.writes.filter(w => w.ackAt < result.startedAt);
    const orgs = acknowledged.filter(w => w.kind === 'organization');
    const memberships = acknowledged.filter(w => w.kind === 'membership');
    assert.ok(orgs.length > 0 && memberships.length > 0, `${orgs.length} organizations, ${memberships.length} memberships`);
    for (const w of orgs) {
      const org = await clerk.organizations.getOrganization({ organizationId: w.id });
      assert.equal(org.name, w.name);
      assert.equal(org.slug, w.slug);
      if (w.maxAllowedMemberships !== undefined) assert.equal(org.maxAllowedMemberships, w.maxAllowedMemberships);
      assert.deepEqual(org.publicMetadata, w.publicMetadata, `the metadata of ${w.id}`);
    }
    const byOrg = new Map();
    for (const w of memberships) byOrg.set(w.organizationId, [...(byOrg.get(w.organizationId) ?? []), w]);
    for (const [organizationId, expected] of byOrg) {
      const list = await clerk.organizations.getOrganizationMembershipList({ organizationId, limit: 100 });
      for (const w of expected) {
        const found = list.data.find(m => m.publicUserData?.userId === w.userId);
        assert.ok(found, `the membership of ${w.userId} in ${organizationId} (acknowledged before the backup)`);
        assert.equal(found.role, w.role);
      }
    }
  });

  test('nothing sent after the backup returned is in the copy', async () => {
    const clerk = clerkFor(copy);
    const late = result.writes.filter(w => w.kind === 'organization' && w.sentAt > result.endedAt);
    assert.ok(late.length >= 5, `${late.length} writes sent after the backup`);
    for (const w of late) {
      await assert.rejects(clerk.organizations.getOrganization({ organizationId: w.id }), err => err.status === 404,
        `${w.id} was created after the backup returned`);
    }
  });

  test('an existing file is never overwritten', async () => {
    const before = sha256(result.out);
    const again = await backup(['--database', `sqlite:${join(source.dataDir, 'orgd.db')}`, result.out]);
    assert.notEqual(again.code, 0, 'a backup onto an existing file fails');
    assert.match(again.stderr, /exists/i);
    assert.equal(sha256(result.out), before, 'the earlier copy is unchanged');
    const other = join(dirs[0], 'precious.txt');
    writeFileSync(other, 'precious\n');
    const onto = await backup(['--database', `sqlite:${join(source.dataDir, 'orgd.db')}`, other]);
    assert.notEqual(onto.code, 0);
    assert.equal(readFileSync(other, 'utf8'), 'precious\n');
  });

  test('a store that is not there: refused, no file left', async () => {
    const dir = newDataDir();
    dirs.push(dir);
    const out = join(dir, 'copy.db');
    const run = await backup(['--database', `sqlite:${join(dir, 'absent.db')}`, out]);
    assert.notEqual(run.code, 0);
    assert.ok(!existsSync(out), 'no copy of nothing');
    assert.ok(!existsSync(join(dir, 'absent.db')), 'the backup does not create the store it copies');
  });
});

describe('orgd backup of PostgreSQL', () => {
  test('a postgres:// store is refused with a pointer to pg_dump, the password not repeated, no file made', async () => {
    const dir = newDataDir();
    try {
      const password = `pw-${randomBytes(9).toString('base64url')}`;
      recordSecret('database password', password);
      const out = join(dir, 'copy.db');
      for (const url of [`postgres://orgd:${password}@127.0.0.1:1/orgd`, `postgresql://orgd:${password}@127.0.0.1:1/orgd`]) {
        const run = await backup(['--database', url, out]);
        assert.equal(run.code, 1, run.stdout + run.stderr);
        assert.match(run.stderr, /pg_dump/);
        assert.ok(!(run.stdout + run.stderr).includes(password), 'the refusal repeats the password');
        assert.ok(!existsSync(out), 'no file made');
      }
    } finally {
      removeDataDir(dir);
    }
  });
});
