// Concurrent writers: the store, not luck, decides who wins.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useOrgd } from '../lib/suite.js';

const ctx = useOrgd();

test('creates racing for one slug: exactly one wins, the rest get form_identifier_exists', async () => {
  for (let round = 0; round < 5; round++) {
    const slug = `race-${round}`;
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        ctx.raw('POST', '/v1/organizations', { json: { name: `Racer ${i}`, slug } })),
    );
    const won = results.filter(r => r.status === 200);
    const lost = results.filter(r => r.status !== 200);
    assert.equal(won.length, 1, `round ${round}: ${results.map(r => r.status)}`);
    for (const r of lost) {
      assert.equal(r.status, 422);
      assert.equal(r.json.errors[0].code, 'form_identifier_exists');
    }
    const list = await ctx.clerk.organizations.getOrganizationList({ query: slug });
    assert.equal(list.totalCount, 1);
    assert.equal(list.data[0].id, won[0].json.id);
  }
});

test('creates racing for one derived slug all succeed with distinct slugs', async () => {
  const results = await Promise.all(
    Array.from({ length: 16 }, () => ctx.clerk.organizations.createOrganization({ name: 'Same Name' })),
  );
  assert.equal(new Set(results.map(o => o.slug)).size, 16);
  assert.equal(new Set(results.map(o => o.id)).size, 16);
});

test('an update racing for a slug another create takes: one wins', async () => {
  for (let round = 0; round < 5; round++) {
    const slug = `contested-${round}`;
    const existing = await ctx.clerk.organizations.createOrganization({ name: `Existing ${round}` });
    const [update, create] = await Promise.all([
      ctx.raw('PATCH', `/v1/organizations/${existing.id}`, { json: { slug } }),
      ctx.raw('POST', '/v1/organizations', { json: { name: 'Newcomer', slug } }),
    ]);
    assert.deepEqual([update.status, create.status].sort(), [200, 422]);
    const list = await ctx.clerk.organizations.getOrganizationList({ query: slug });
    assert.equal(list.totalCount, 1);
  }
});

test('concurrent metadata merges lose no update', async () => {
  const org = await ctx.clerk.organizations.createOrganization({ name: 'Counters' });
  await Promise.all(
    Array.from({ length: 32 }, (_, i) =>
      ctx.clerk.organizations.updateOrganizationMetadata(org.id, { publicMetadata: { [`k${i}`]: i } })),
  );
  const read = await ctx.clerk.organizations.getOrganization({ organizationId: org.id });
  assert.equal(Object.keys(read.publicMetadata).length, 32);
});

test('50 adds racing into an organization limited to 10: exactly 10 members, 40 clean refusals', async () => {
  const org = await ctx.clerk.organizations.createOrganization({ name: 'Limited', maxAllowedMemberships: 10 });
  const users = [];
  for (let i = 0; i < 50; i++) {
    users.push(await ctx.clerk.users.createUser({ emailAddress: [`racer${i}@limit.example.com`] }));
  }
  const results = await Promise.all(users.map(user =>
    ctx.raw('POST', `/v1/organizations/${org.id}/memberships`, { json: { user_id: user.id, role: 'org:member' } })));
  const added = results.filter(r => r.status === 200);
  const refused = results.filter(r => r.status !== 200);
  assert.equal(added.length, 10, `${results.map(r => r.status)}`);
  assert.equal(refused.length, 40);
  for (const r of refused) {
    assert.equal(r.status, 403);
    assert.equal(r.json.errors[0].code, 'organization_membership_quota_exceeded');
  }
  const read = await ctx.clerk.organizations.getOrganization({ organizationId: org.id, includeMembersCount: true });
  assert.equal(read.membersCount, 10);
  const members = await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id, limit: 100 });
  assert.equal(members.totalCount, 10);
  assert.deepEqual(new Set(members.data.map(m => m.publicUserData.userId)),
    new Set(added.map(r => r.json.public_user_data.user_id)));
});

test('users racing for one email: exactly one wins', async () => {
  const results = await Promise.all(Array.from({ length: 16 }, (_, i) =>
    ctx.raw('POST', '/v1/users', { json: { email_address: ['same@race.example.com'], first_name: `R${i}` } })));
  assert.equal(results.filter(r => r.status === 200).length, 1, `${results.map(r => r.status)}`);
  for (const r of results.filter(r => r.status !== 200)) {
    assert.equal(r.json.errors[0].code, 'form_identifier_exists');
  }
  assert.equal(await ctx.clerk.users.getCount({ emailAddress: ['same@race.example.com'] }), 1);
});

test('two admins demoting each other at once: one stays admin', async () => {
  for (let round = 0; round < 5; round++) {
    const org = await ctx.clerk.organizations.createOrganization({ name: `Admins ${round}` });
    const a = await ctx.clerk.users.createUser({ emailAddress: [`a${round}@admins.example.com`] });
    const b = await ctx.clerk.users.createUser({ emailAddress: [`b${round}@admins.example.com`] });
    for (const user of [a, b]) {
      await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: user.id, role: 'org:admin' });
    }
    const results = await Promise.all([a, b].map(user =>
      ctx.raw('PATCH', `/v1/organizations/${org.id}/memberships/${user.id}`, { json: { role: 'org:member' } })));
    assert.deepEqual(results.map(r => r.status).sort(), [200, 400]);
    const admins = await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id, role: ['org:admin'] });
    assert.equal(admins.totalCount, 1);
  }
});

test('deleting users racing with adds keeps members_count exact', async () => {
  const org = await ctx.clerk.organizations.createOrganization({ name: 'Churn', maxAllowedMemberships: 0 });
  const users = [];
  for (let i = 0; i < 20; i++) users.push(await ctx.clerk.users.createUser({ emailAddress: [`churn${i}@x.example.com`] }));
  await Promise.all(users.slice(0, 10).map(u =>
    ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: u.id, role: 'org:member' })));
  await Promise.all([
    ...users.slice(0, 5).map(u => ctx.clerk.users.deleteUser(u.id)),
    ...users.slice(10).map(u =>
      ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: u.id, role: 'org:member' })),
  ]);
  const read = await ctx.clerk.organizations.getOrganization({ organizationId: org.id, includeMembersCount: true });
  const members = await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id, limit: 100 });
  assert.equal(members.totalCount, 15);
  assert.equal(read.membersCount, 15);
});
