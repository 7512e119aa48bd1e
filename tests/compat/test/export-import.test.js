// Moving data (issue 20, item 5): `orgd export` of a serving orgd, `orgd import` into an empty
// store, and `orgd import --from-bapi` pulling through the Backend API. Each target is then served
// by its own orgd and read through @clerk/backend: the SDK must see the same data on both, IDs,
// timestamps and metadata included, logos byte for byte. Also: the export is consistent while
// writers run, holds no credential unless asked, is 0600; a non-empty target, a cut-short or
// foreign stream are refused and leave the target as it was.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { databaseUrl, newDataDir, orgdBinary, recordSecret, removeDataDir, startOrgd } from '../lib/orgd.js';
import { clerkFor, raw } from '../lib/suite.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

function orgd(args) {
  return new Promise(resolve => {
    execFile(orgdBinary(), args, { encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

async function ok(res, what) {
  assert.ok(res.status >= 200 && res.status < 300, `${what}: ${res.status} ${res.text}`);
  return res.json;
}

// Everything the Backend API shows of a store, in a stable order, with the serving orgd's own
// address taken out of image URLs (each target serves from another port).
// History (audit entries, events) keeps the URLs of the orgd that wrote it: `also` names that one.
async function snapshot(server, { withAudit = true, also = [] } = {}) {
  const clerk = clerkFor(server);
  const all = async fetchPage => {
    const out = [];
    for (let offset = 0; ; offset += 100) {
      const page = await fetchPage(offset);
      const data = Array.isArray(page) ? page : page.data;
      out.push(...data);
      if (data.length < 100) return out;
    }
  };
  const plain = value => {
    let text = JSON.stringify(value);
    for (const url of [server.url, ...also]) text = text.replaceAll(url, 'ORGD');
    return JSON.parse(text);
  };
  const organizations = await all(offset => clerk.organizations.getOrganizationList({ limit: 100, offset, includeMembersCount: true, orderBy: '+created_at' }));
  const detail = [];
  for (const org of organizations) {
    const full = await clerk.organizations.getOrganization({ organizationId: org.id });
    const memberships = await all(offset => clerk.organizations.getOrganizationMembershipList({ organizationId: org.id, limit: 100, offset }));
    const invitations = await all(offset => clerk.organizations.getOrganizationInvitationList({ organizationId: org.id, limit: 100, offset }));
    detail.push({ org: full.raw ?? full, memberships: memberships.map(m => m.raw ?? m), invitations: invitations.map(i => i.raw ?? i) });
  }
  const users = await all(offset => clerk.users.getUserList({ limit: 100, offset, orderBy: '+created_at' }));
  const list = async path => (await ok(await raw(server, 'GET', `${path}${path.includes('?') ? '&' : '?'}limit=100`), path)).data;
  const snap = {
    detail,
    users: users.map(u => u.raw ?? u),
    roles: await list('/v1/organization_roles?order_by=key'),
    permissions: await list('/v1/organization_permissions?order_by=key'),
    settings: await ok(await raw(server, 'GET', '/v1/instance/organization_settings'), 'settings'),
  };
  if (withAudit) {
    snap.domains = await list('/v1/organization_domains');
    snap.webhookEndpoints = await list('/v1/webhook_endpoints');
    snap.audit = (await ok(await raw(server, 'GET', '/v1/audit_logs?limit=500'), 'audit')).data;
    snap.events = (await ok(await raw(server, 'GET', '/v1/events?limit=500'), 'events')).data;
  }
  return plain(snap);
}

async function logoBytes(server, org) {
  const res = await fetch(org.image_url.replace('ORGD', server.url));
  assert.equal(res.status, 200);
  return Buffer.from(await res.arrayBuffer());
}

describe('orgd export and orgd import', () => {
  const dirs = [];
  const servers = [];
  let source;
  let exportDir;
  let exported;        // the export taken under load
  let writesBefore;    // organizations acknowledged before the export began
  let sourceSnapshot;  // the source once the writers stopped, minus what came after the export

  before(async () => {
    source = await startOrgd({ args: ['--webhook-allow-private'] });
    servers.push(source);
    dirs.push(source.dataDir);
    const clerk = clerkFor(source);

    // A little of everything: custom permission and role, users with metadata, organizations with
    // a logo, members, an invitation, a domain, a webhook endpoint, changed settings.
    const perm = await ok(await raw(source, 'POST', '/v1/organization_permissions', { json: { name: 'Read reports', key: 'org:reports:read', description: 'Reports' } }), 'permission');
    await ok(await raw(source, 'POST', '/v1/organization_roles', { json: { name: 'Analyst', key: 'org:analyst', description: 'Reads', permissions: [perm.id] } }), 'role');
    await ok(await raw(source, 'PATCH', '/v1/instance/organization_settings', { json: { max_allowed_memberships: 9, domains_enabled: true, domains_enrollment_modes: ['manual_invitation', 'automatic_invitation'] } }), 'settings');
    const users = [];
    for (let i = 0; i < 5; i++) {
      users.push(await clerk.users.createUser({
        emailAddress: [`move${i}@move.example.com`], firstName: `Move${i}`, lastName: 'Ü-ñ',
        publicMetadata: { i }, privateMetadata: { secret: `p${i}` }, unsafeMetadata: { u: [i] },
      }));
    }
    const acme = await clerk.organizations.createOrganization({
      name: 'Acme Moves', slug: 'acme-moves', createdBy: users[0].id,
      publicMetadata: { plan: 'gold' }, privateMetadata: { billing: 'acct_1' }, maxAllowedMemberships: 50,
    });
    await clerk.organizations.updateOrganizationLogo(acme.id, { file: new Blob([readFileSync(join(fixtures, 'logo.png'))], { type: 'image/png' }), uploaderUserId: users[0].id });
    for (const [i, role] of [[1, 'org:member'], [2, 'org:analyst']]) {
      await clerk.organizations.createOrganizationMembership({ organizationId: acme.id, userId: users[i].id, role });
    }
    await clerk.organizations.updateOrganizationMembershipMetadata({ organizationId: acme.id, userId: users[1].id, publicMetadata: { team: 'a' }, privateMetadata: { level: 3 } });
    await clerk.organizations.createOrganizationInvitation({ organizationId: acme.id, emailAddress: 'new.hire@move.example.com', role: 'org:member', inviterUserId: users[0].id, publicMetadata: { from: 'export' } });
    await ok(await raw(source, 'POST', `/v1/organizations/${acme.id}/domains`, { json: { name: 'acme-moves.example.com', enrollment_mode: 'manual_invitation', verified: true } }), 'domain');
    await ok(await raw(source, 'POST', '/v1/webhook_endpoints', { json: { url: 'https://hooks.move.example.com/in', disabled: true, description: 'moved' } }), 'endpoint');
    const gone = await clerk.organizations.createOrganization({ name: 'Deleted Org', slug: 'deleted-org' });
    await clerk.organizations.deleteOrganization(gone.id);

    // Writers go on while the export runs: bounded, they stop when told or after 60 s.
    let stop = false;
    const deadline = Date.now() + 60_000;
    const acks = [];
    let n = 0;
    const writer = async () => {
      while (!stop && Date.now() < deadline && acks.length < 3000) {
        const i = ++n;
        const org = await clerk.organizations.createOrganization({ name: `Busy ${i}`, slug: `busy-${i}`, publicMetadata: { filler: randomBytes(300).toString('base64') } });
        acks.push({ id: org.id, at: performance.now() });
      }
    };
    const writers = [writer(), writer(), writer()];
    while (acks.length < 150 && Date.now() < deadline) await new Promise(r => setTimeout(r, 20));
    exportDir = newDataDir();
    dirs.push(exportDir);
    const startedAt = performance.now();
    const file = join(exportDir, 'orgd.jsonl');
    const run = await orgd(['export', '--database', databaseUrl(source.dataDir), '--out', file]);
    const endedAt = performance.now();
    stop = true;
    await Promise.all(writers);
    assert.equal(run.code, 0, run.stderr);
    exported = { file, run, lines: readFileSync(file, 'utf8').trimEnd().split('\n').map(l => JSON.parse(l)) };
    writesBefore = acks.filter(a => a.at < startedAt).map(a => a.id);
    const after = acks.filter(a => a.at > endedAt).map(a => a.id);
    // The source as the export saw it: what the writers created after it are left out.
    const exportedOrgs = new Set(exported.lines.filter(l => l.table === 'organizations').map(l => l.row.id));
    const late = new Set(acks.map(a => a.id).filter(id => !exportedOrgs.has(id)));
    for (const id of after) assert.ok(late.has(id), `${id} was created after the export returned, yet it is in it`);
    sourceSnapshot = { full: await snapshot(source), late };
  }, { timeout: 180_000 });

  after(async () => {
    for (const s of servers) await s.stop('SIGTERM');
    for (const dir of dirs) removeDataDir(dir);
  });

  // The source's snapshot without what came after the export (organizations, their audit entries
  // and events).
  function sourceAsExported() {
    const { full, late } = sourceSnapshot;
    const mentionsLate = e => late.has(e.resource_id) || late.has(e.organization_id) || late.has(e.data?.id) || late.has(e.object_id);
    return {
      ...full,
      detail: full.detail.filter(d => !late.has(d.org.id)),
      audit: full.audit.filter(e => !mentionsLate(e)),
      events: full.events.filter(e => !mentionsLate(e)),
    };
  }

  test('the export is one consistent JSONL stream, 0600, without credentials', () => {
    const { lines, file, run } = exported;
    assert.match(run.stdout, /^orgd export: \d+ rows of \d+ tables/m);
    assert.equal((statSync(file).mode & 0o777).toString(8), '600');
    assert.equal(lines[0].orgd_export, 1);
    assert.equal(lines[0].credentials, false);
    assert.deepEqual(Object.keys(lines.at(-1)), ['end']);
    assert.equal(lines.at(-1).end.rows, lines.length - 2);
    const tables = new Set(lines.slice(1, -1).map(l => l.table));
    for (const t of ['organizations', 'users', 'organization_memberships', 'organization_invitations', 'organization_domains', 'roles', 'permissions', 'images', 'webhook_endpoints', 'audit_log', 'outbox']) {
      assert.ok(tables.has(t), `no ${t} in the export`);
    }
    for (const t of ['signing_keys', 'sessions', 'clients', 'sign_in_tokens']) assert.ok(!tables.has(t), `${t} exported without --include-secrets`);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes('whsec_'), 'a webhook secret in the export');
    assert.ok(!text.includes('PRIVATE KEY'), 'a signing key in the export');
    // Consistent at one instant: every organization acknowledged before the export began is in it,
    // and every membership's organization and user are in it too.
    const orgs = new Set(lines.filter(l => l.table === 'organizations').map(l => l.row.id));
    for (const id of writesBefore) assert.ok(orgs.has(id), `${id} acknowledged before the export, not in it`);
    const usersIn = new Set(lines.filter(l => l.table === 'users').map(l => l.row.id));
    for (const m of lines.filter(l => l.table === 'organization_memberships')) {
      assert.ok(orgs.has(m.row.organization_id) && usersIn.has(m.row.user_id));
    }
    const counts = new Map();
    for (const m of lines.filter(l => l.table === 'organization_memberships')) counts.set(m.row.organization_id, (counts.get(m.row.organization_id) ?? 0) + 1);
    for (const o of lines.filter(l => l.table === 'organizations')) assert.equal(o.row.members_count, counts.get(o.row.id) ?? 0, o.row.id);
  });

  test('an import into an empty store serves the same data through the SDK, IDs included', async () => {
    const dir = newDataDir();
    dirs.push(dir);
    const run = await orgd(['import', '--database', databaseUrl(dir), exported.file]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /orgd import: \d+ rows imported/);
    assert.match(run.stdout, /1 webhook endpoint\(s\) have new signing secrets/);
    const importedAt = Date.now();
    const target = await startOrgd({ dataDir: dir, args: ['--webhook-allow-private'] });
    servers.push(target);
    const moved = await snapshot(target, { also: [source.url] });
    // The target's first start made its own signing key (the export had none): its entry is new.
    const [own] = moved.audit.filter(e => e.created_at >= importedAt);
    assert.deepEqual([own?.action, own?.actor.id], ['signing_key.created', 'first start']);
    moved.audit = moved.audit.filter(e => e !== own);
    assert.deepEqual(moved, sourceAsExported());
    const acme = moved.detail.find(d => d.org.slug === 'acme-moves');
    assert.ok(acme.org.has_image);
    assert.deepEqual(await logoBytes(target, acme.org), await logoBytes(source, acme.org));
    assert.equal(acme.org.private_metadata.billing, 'acct_1');
    // The target carries on: new writes get new IDs, the audit log goes on from the imported one.
    const clerk = clerkFor(target);
    const org = await clerk.organizations.createOrganization({ name: 'After Move', slug: 'after-move' });
    const [entry] = (await ok(await raw(target, 'GET', `/v1/audit_logs?resource=${org.id}`), 'audit')).data;
    assert.equal(entry.action, 'organization.created');
    const ids = moved.audit.map(e => e.id);
    assert.ok(!ids.includes(entry.id));
  });

  test('--include-secrets carries signing keys and webhook secrets: the JWKS is the same', async () => {
    const file = join(exportDir, 'with-secrets.jsonl');
    const run = await orgd(['export', '--database', databaseUrl(source.dataDir), '--out', file, '--include-secrets']);
    assert.equal(run.code, 0, run.stderr);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map(l => JSON.parse(l));
    assert.equal(lines[0].credentials, true);
    for (const l of lines) {
      if (l.table === 'webhook_endpoints' && l.row.secret) recordSecret('webhook secret', l.row.secret);
    }
    assert.ok(lines.some(l => l.table === 'signing_keys'));
    // Into a store an orgd has started on once (it made a signing key and an instance id there).
    const dir = newDataDir();
    dirs.push(dir);
    const once = await startOrgd({ dataDir: dir });
    await once.stop('SIGTERM');
    const imported = await orgd(['import', '--database', databaseUrl(dir), file]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.doesNotMatch(imported.stdout, /new signing secrets/);
    const target = await startOrgd({ dataDir: dir });
    servers.push(target);
    const jwks = async s => (await ok(await raw(s, 'GET', '/v1/jwks'), 'jwks')).keys.map(k => k.kid).sort();
    assert.deepEqual(await jwks(target), await jwks(source));
    // Events keep the source's instance_id.
    const instance = async s => (await ok(await raw(s, 'GET', '/v1/events?limit=1'), 'events')).data[0]?.instance_id;
    assert.ok(await instance(source));
    assert.equal(await instance(target), await instance(source));
  });

  test('between SQLite and PostgreSQL, both ways, not a row changes', { skip: !process.env.ORGD_TEST_POSTGRES_URL && 'needs the test PostgreSQL (ORGD_TEST_POSTGRES_URL)' }, async () => {
    const admin = process.env.ORGD_TEST_POSTGRES_URL;
    const rowsOf = file => readFileSync(file, 'utf8').trimEnd().split('\n').slice(1).map(l => JSON.parse(l));
    const pgUrl = name => {
      execFileSync('psql', [admin, '-qc', `CREATE DATABASE ${name}`]);
      return admin.slice(0, admin.lastIndexOf('/') + 1) + name;
    };
    const suffix = randomBytes(6).toString('hex');
    const dir = newDataDir();
    dirs.push(dir);
    const stores = [`sqlite:${join(dir, 'a.db')}`, pgUrl(`orgd_move_b_${suffix}`), `sqlite:${join(dir, 'c.db')}`, pgUrl(`orgd_move_d_${suffix}`)];
    let file = exported.file;
    for (const [i, store] of stores.entries()) {
      const imported = await orgd(['import', '--database', store, file]);
      assert.equal(imported.code, 0, imported.stderr);
      const next = join(dir, `hop${i}.jsonl`);
      const run = await orgd(['export', '--database', store, '--out', next]);
      assert.equal(run.code, 0, run.stderr);
      const byTable = rows => rows.map(r => JSON.stringify(r)).sort();
      assert.deepEqual(byTable(rowsOf(next)), byTable(rowsOf(exported.file)), `hop ${i} (${store.split(':')[0]}) changed rows`);
      file = next;
    }
  });

  test('a store that is not empty, a cut-short or foreign stream, an existing file: refused, nothing changed', async () => {
    // Into the serving source itself.
    const before = await snapshot(source, { withAudit: false });
    const into = await orgd(['import', '--database', databaseUrl(source.dataDir), exported.file]);
    assert.equal(into.code, 1);
    assert.match(into.stderr, /not empty .*nothing was imported/);
    assert.deepEqual(await snapshot(source, { withAudit: false }), before);

    const dir = newDataDir();
    dirs.push(dir);
    const text = readFileSync(exported.file, 'utf8').trimEnd().split('\n');
    const cases = [
      ['cut.jsonl', text.slice(0, -1), /without its last line/],
      ['miscounted.jsonl', [...text.slice(0, -2), text.at(-1)], /counts \d+ rows; the stream has/],
      ['foreign.jsonl', ['{"hello": 1}', ...text.slice(1)], /not the header of an orgd export/],
      ['schema.jsonl', [JSON.stringify({ ...JSON.parse(text[0]), schema_version: 999 }), ...text.slice(1)], /schema version 999/],
      ['table.jsonl', [text[0], '{"table":"schema_migrations","row":{"version":1}}', ...text.slice(1)], /not a table orgd exports/],
      ['column.jsonl', [text[0], '{"table":"users","row":{"id":"user_x","is_admin":1}}', ...text.slice(1)], /users has no column "is_admin"/],
      ['dup.jsonl', [...text.slice(0, 2), text[1], ...text.slice(2)], /UNIQUE constraint failed|duplicate key/],
    ];
    for (const [name, lines, why] of cases) {
      const file = join(dir, name);
      writeFileSync(file, lines.join('\n') + '\n');
      const run = await orgd(['import', '--database', databaseUrl(dir), file]);
      assert.equal(run.code, 1, `${name} was imported`);
      assert.match(run.stderr, why, name);
    }
    // After all that the store is still empty: a good import succeeds.
    const good = await orgd(['import', '--database', databaseUrl(dir), exported.file]);
    assert.equal(good.code, 0, good.stderr);

    const again = await orgd(['export', '--database', databaseUrl(source.dataDir), '--out', exported.file]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /File exists/);
  });

  test('--from-bapi pulls everything through the Backend API into an empty store, IDs included', async () => {
    const dir = newDataDir();
    dirs.push(dir);
    const keyFile = join(dir, 'source.key');
    writeFileSync(keyFile, source.secretKey + '\n', { mode: 0o600 });
    const run = await orgd(['import', '--database', databaseUrl(dir), '--from-bapi', source.url, '--secret-key-file', keyFile]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!(run.stdout + run.stderr).includes(source.secretKey), 'the key was printed');
    const target = await startOrgd({ dataDir: dir });
    servers.push(target);
    const [from, to] = [await snapshot(source, { withAudit: false }), await snapshot(target, { withAudit: false })];
    // Carried: organizations (with logo bytes), users, memberships, invitations, roles,
    // permissions. Not carried (no Backend API lists them): settings; the logo is a new image
    // (new URL), and an invitation's inviter is not in Clerk's invitation object.
    const sameImage = value => JSON.parse(JSON.stringify(value).replace(/\/images\/img_[0-9A-Za-z]+/g, '/images/IMG'));
    assert.deepEqual(sameImage(to.detail), sameImage(from.detail));
    assert.deepEqual(to.users, from.users);
    assert.deepEqual(to.roles, from.roles);
    assert.deepEqual(to.permissions, from.permissions);
    const acme = from.detail.find(d => d.org.slug === 'acme-moves').org;
    const moved = to.detail.find(d => d.org.slug === 'acme-moves').org;
    assert.deepEqual(await logoBytes(target, moved), await logoBytes(source, acme));

    // A wrong key: refused by the source, nothing imported.
    const bad = newDataDir();
    dirs.push(bad);
    writeFileSync(join(bad, 'bad.key'), 'sk_test_notthekey\n');
    const refused = await orgd(['import', '--database', databaseUrl(bad), '--from-bapi', source.url, '--secret-key-file', join(bad, 'bad.key')]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /HTTP 401/);
    // The key never goes in the clear to another machine.
    const plain = await orgd(['import', '--database', databaseUrl(bad), '--from-bapi', 'http://api.example.com', '--secret-key-file', keyFile]);
    assert.equal(plain.code, 1);
    assert.match(plain.stderr, /must be an https:\/\/ URL/);
  });
});

// A stand-in for Clerk's Backend API on loopback, and a logo host on another address: what the
// importer sends where, how it waits out a 429, and what it refuses.
describe('orgd import --from-bapi against a Clerk-shaped API', () => {
  const dirs = [];
  const servers = [];
  const seen = [];   // { host, path, authorization }
  let api;
  let apiUrl;
  let logoUrl;
  let mode = 'ok';
  let throttled = false;

  const listen = (server, host) => new Promise(resolve => server.listen(0, host, () => resolve(`http://${host}:${server.address().port}`)));
  before(async () => {
    const logo = readFileSync(join(fixtures, 'logo.png'));
    const logoHost = createServer((req, res) => {
      seen.push({ host: 'logo', path: req.url, authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'image/png' }).end(logo);
    });
    servers.push(logoHost);
    logoUrl = `${await listen(logoHost, '127.0.0.2')}/logo.png`;
    api = createServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      seen.push({ host: 'api', path: url.pathname, authorization: req.headers.authorization });
      if (req.headers.authorization !== 'Bearer sk_test_fakeclerkkey') {
        return res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"code":"authentication_invalid"}]}');
      }
      if (!throttled) {
        throttled = true;
        return res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' }).end('{"errors":[{"code":"too_many_requests"}]}');
      }
      const page = items => (Number(url.searchParams.get('offset')) > 0 ? [] : items);
      const user = { id: 'user_2fake', first_name: 'Fay', last_name: 'Ke', email_addresses: [{ id: 'idn_2fake', email_address: 'fay@fake.example.com' }], phone_numbers: [], primary_email_address_id: 'idn_2fake', public_metadata: { a: 1 }, private_metadata: { b: 2 }, unsafe_metadata: {}, create_organization_enabled: true, delete_self_enabled: true, created_at: 1700000000001, updated_at: 1700000000002 };
      if (mode === 'noid') delete user.id;
      const body = {
        '/v1/organization_permissions': { data: page([]), total_count: 0 },
        '/v1/organization_roles': { data: page([
          { id: 'role_2fakeadmin', key: 'org:admin', name: 'Admin', description: 'All', permissions: [], created_at: 1, updated_at: 1 },
          { id: 'role_2fakemember', key: 'org:member', name: 'Member', description: null, permissions: [], created_at: 1, updated_at: 1 },
        ]), total_count: 2 },
        '/v1/users': page([user]),
        '/v1/organizations': { data: page([{ id: 'org_2fake', name: 'Fake Co', slug: 'fake-co', has_image: true, image_url: logoUrl, max_allowed_memberships: 0, admin_delete_enabled: true, public_metadata: {}, private_metadata: { p: 1 }, created_at: 1700000000003, updated_at: 1700000000004 }]), total_count: 1 },
        '/v1/organizations/org_2fake/memberships': { data: page([{ id: 'orgmem_2fake', role: 'org:admin', public_user_data: { user_id: 'user_2fake' }, public_metadata: {}, private_metadata: {}, created_at: 1700000000005, updated_at: 1700000000005 }]), total_count: 1 },
        '/v1/organizations/org_2fake/invitations': { data: page([]), total_count: 0 },
      }[url.pathname];
      if (!body) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    servers.push(api);
    apiUrl = await listen(api, '127.0.0.1');
  });
  after(async () => {
    for (const s of servers) s.close();
    for (const d of dirs) removeDataDir(d);
  });

  async function importFrom() {
    const dir = newDataDir();
    dirs.push(dir);
    writeFileSync(join(dir, 'key'), 'sk_test_fakeclerkkey\n', { mode: 0o600 });
    const run = await orgd(['import', '--database', databaseUrl(dir), '--from-bapi', apiUrl, '--secret-key-file', join(dir, 'key')]);
    return { dir, run };
  }

  test('waits out a 429, sends the key to the API only, and keeps what it read', async () => {
    const { dir, run } = await importFrom();
    assert.equal(run.code, 0, run.stderr);
    assert.ok(seen.filter(s => s.host === 'logo').length >= 1, 'the logo was not fetched');
    assert.ok(seen.filter(s => s.host === 'logo').every(s => s.authorization === undefined), 'the secret key went to the logo host');
    assert.ok(seen.filter(s => s.host === 'api').every(s => s.authorization === 'Bearer sk_test_fakeclerkkey'));
    const target = await startOrgd({ dataDir: dir });
    try {
      const clerk = clerkFor(target);
      const org = await clerk.organizations.getOrganization({ organizationId: 'org_2fake', includeMembersCount: true });
      assert.equal(org.slug, 'fake-co');
      assert.equal(org.hasImage, true);
      assert.equal(org.membersCount, 1);
      assert.deepEqual(org.privateMetadata, { p: 1 });
      assert.equal(org.createdAt, 1700000000003);
      const logo = await fetch(org.imageUrl);
      assert.deepEqual(Buffer.from(await logo.arrayBuffer()), readFileSync(join(fixtures, 'logo.png')));
      const user = await clerk.users.getUser('user_2fake');
      assert.equal(user.primaryEmailAddress.emailAddress, 'fay@fake.example.com');
      assert.deepEqual(user.privateMetadata, { b: 2 });
      const { data: members } = await clerk.organizations.getOrganizationMembershipList({ organizationId: 'org_2fake' });
      assert.deepEqual(members.map(m => [m.id, m.role, m.publicUserData.userId]), [['orgmem_2fake', 'org:admin', 'user_2fake']]);
    } finally {
      await target.stop('SIGTERM');
    }
  });

  test('an item without its id is refused, and nothing is imported', async () => {
    mode = 'noid';
    const { dir, run } = await importFrom();
    mode = 'ok';
    assert.equal(run.code, 1);
    assert.match(run.stderr, /users row without id.*nothing was imported/);
    const target = await startOrgd({ dataDir: dir });
    try {
      const { data } = await clerkFor(target).organizations.getOrganizationList();
      assert.deepEqual(data, []);
    } finally {
      await target.stop('SIGTERM');
    }
  });
});
