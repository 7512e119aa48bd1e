// Two orgd nodes on one PostgreSQL database, requests alternating between them: they must answer
// as one server would. Runs in the PostgreSQL pass of scripts/test.sh only.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { violations } from '../lib/contract.js';
import { newDataDir, newSecretKey, startOrgd } from '../lib/orgd.js';
import { assertClerkError, clerkFor, raw } from '../lib/suite.js';

const nodes = [];
let a;
let b;

before(async () => {
  const dataDir = newDataDir();
  const secretKeys = [newSecretKey()];
  for (let i = 0; i < 2; i++) {
    const orgd = await startOrgd({ dataDir, secretKeys });
    nodes.push({ orgd, clerk: clerkFor(orgd), raw: (m, p, o) => raw(orgd, m, p, o) });
  }
  [a, b] = nodes;
});
afterEach(() => assert.deepEqual(violations.splice(0), [], 'responses that break the OpenAPI contract'));
after(async () => {
  for (const { orgd } of nodes) assert.equal((await orgd.stop('SIGTERM')).code, 0);
});

test('an organization written on one node is read, changed and deleted through the other', async () => {
  const org = await a.clerk.organizations.createOrganization({ name: 'Shared Co', publicMetadata: { n: 1 } });
  assert.equal((await b.clerk.organizations.getOrganization({ organizationId: org.id })).name, 'Shared Co');
  await b.clerk.organizations.updateOrganization(org.id, { name: 'Renamed on B' });
  assert.equal((await a.clerk.organizations.getOrganization({ slug: org.slug })).name, 'Renamed on B');
  await a.clerk.organizations.updateOrganizationMetadata(org.id, { publicMetadata: { m: 2 } });
  assert.deepEqual((await b.clerk.organizations.getOrganization({ organizationId: org.id })).publicMetadata, { n: 1, m: 2 });
  await b.clerk.organizations.deleteOrganization(org.id);
  assertClerkError(await a.raw('GET', `/v1/organizations/${org.id}`), 404, 'resource_not_found');
});

test('a slug taken on one node is refused on the other, even when both race for it', async () => {
  await a.clerk.organizations.createOrganization({ name: 'First', slug: 'only-once' });
  assertClerkError(await b.raw('POST', '/v1/organizations', { json: { name: 'Second', slug: 'only-once' } }),
    422, 'form_identifier_exists');
  for (let round = 0; round < 3; round++) {
    const slug = `contested-${round}`;
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) =>
      nodes[i % 2].raw('POST', '/v1/organizations', { json: { name: `Racer ${i}`, slug } })));
    assert.deepEqual(results.map(r => r.status).sort(), [200, ...Array(15).fill(422)], `round ${round}`);
  }
});

test('40 adds racing across both nodes into an organization limited to 10 leave exactly 10 members', async () => {
  const org = await a.clerk.organizations.createOrganization({ name: 'Limited', maxAllowedMemberships: 10 });
  const users = [];
  for (let i = 0; i < 40; i++) {
    users.push(await nodes[i % 2].clerk.users.createUser({ emailAddress: [`split${i}@nodes.example.com`] }));
  }
  const results = await Promise.all(users.map((user, i) =>
    nodes[i % 2].raw('POST', `/v1/organizations/${org.id}/memberships`, { json: { user_id: user.id, role: 'org:member' } })));
  assert.equal(results.filter(r => r.status === 200).length, 10, results.map(r => r.status).join());
  for (const r of results.filter(r => r.status !== 200)) {
    assertClerkError(r, 403, 'organization_membership_quota_exceeded');
  }
  for (const node of nodes) {
    const read = await node.clerk.organizations.getOrganization({ organizationId: org.id, includeMembersCount: true });
    assert.equal(read.membersCount, 10);
    const members = await node.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id, limit: 100 });
    assert.equal(members.totalCount, 10);
    assert.equal(members.data.length, 10);
  }
});

test('a role created, renamed or deleted on one node is what the other enforces at once', async () => {
  const org = await a.clerk.organizations.createOrganization({ name: 'Roles Co' });
  const user = await a.clerk.users.createUser({ emailAddress: ['roles@nodes.example.com'] });
  const path = `/v1/organizations/${org.id}/memberships`;
  // Created on A, assignable on B right away.
  const created = await a.raw('POST', '/v1/organization_roles', { json: { name: 'Auditor', key: 'org:auditor', permissions: [] } });
  assert.equal(created.status, 200, created.text);
  const added = await b.raw('POST', path, { json: { user_id: user.id, role: 'org:auditor' } });
  assert.equal(added.status, 200, added.text);
  assert.equal(added.json.role, 'org:auditor');
  // Renamed on A: B shows the member with the new key and refuses the old one.
  const renamed = await a.raw('PATCH', `/v1/organization_roles/${created.json.id}`, { json: { key: 'org:reviewer' } });
  assert.equal(renamed.status, 200, renamed.text);
  const list = await b.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id });
  assert.equal(list.data.find(m => m.publicUserData.userId === user.id).role, 'org:reviewer');
  const other = await b.clerk.users.createUser({ emailAddress: ['roles2@nodes.example.com'] });
  const unknown = await a.raw('POST', path, { json: { user_id: other.id, role: 'org:never-existed' } });
  const stale = await b.raw('POST', path, { json: { user_id: other.id, role: 'org:auditor' } });
  assert.equal(stale.status, unknown.status, stale.text);
  assert.equal(stale.json.errors[0].code, unknown.json.errors[0].code);
  // Deleted on A (once nobody holds it): B refuses it as it refuses any unknown role.
  await a.clerk.organizations.deleteOrganizationMembership({ organizationId: org.id, userId: user.id });
  const deleted = await a.raw('DELETE', `/v1/organization_roles/${created.json.id}`);
  assert.equal(deleted.status, 200, deleted.text);
  const gone = await b.raw('POST', path, { json: { user_id: other.id, role: 'org:reviewer' } });
  assert.equal(gone.status, unknown.status, gone.text);
  assert.equal(gone.json.errors[0].code, unknown.json.errors[0].code);
});
