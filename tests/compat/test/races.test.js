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
