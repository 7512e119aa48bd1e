// GET /v1/organizations through the SDK: pagination, ordering, query and ID filters.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertOrganizationJson, useOrgd } from '../lib/suite.js';

const names = ['Delta Labs', 'alpha works', 'Charlie Co', 'Bravo Inc', 'Echo Alpha'];
const orgs = [];
const ctx = useOrgd({ seed: async ctx => {
  for (const [i, name] of names.entries()) {
    // Distinct creation times, oldest first.
    orgs.push(await ctx.clerk.organizations.createOrganization({
      name,
      createdAt: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
    }));
  }
} });

test('default order is newest first, with total_count', async () => {
  const page = await ctx.clerk.organizations.getOrganizationList();
  assert.equal(page.totalCount, 5);
  assert.deepEqual(page.data.map(o => o.name), [...names].reverse());
  const raw = await ctx.raw('GET', '/v1/organizations');
  raw.json.data.forEach(assertOrganizationJson);
});

test('limit and offset page through the list', async () => {
  const first = await ctx.clerk.organizations.getOrganizationList({ limit: 2 });
  const second = await ctx.clerk.organizations.getOrganizationList({ limit: 2, offset: 2 });
  const last = await ctx.clerk.organizations.getOrganizationList({ limit: 2, offset: 4 });
  const beyond = await ctx.clerk.organizations.getOrganizationList({ limit: 2, offset: 50 });
  assert.deepEqual([first, second, last].map(p => p.data.length), [2, 2, 1]);
  assert.ok([first, second, last, beyond].every(p => p.totalCount === 5));
  assert.equal(beyond.data.length, 0);
  const ids = [...first.data, ...second.data, ...last.data].map(o => o.id);
  assert.equal(new Set(ids).size, 5);
});

test('order_by name, created_at and members_count in both directions', async () => {
  const byName = await ctx.clerk.organizations.getOrganizationList({ orderBy: 'name' });
  assert.deepEqual(byName.data.map(o => o.name), ['alpha works', 'Bravo Inc', 'Charlie Co', 'Delta Labs', 'Echo Alpha']);
  const byNameDesc = await ctx.clerk.organizations.getOrganizationList({ orderBy: '-name' });
  assert.deepEqual(byNameDesc.data.map(o => o.name), byName.data.map(o => o.name).reverse());
  const oldest = await ctx.clerk.organizations.getOrganizationList({ orderBy: '+created_at' });
  assert.deepEqual(oldest.data.map(o => o.name), names);
  const byMembers = await ctx.clerk.organizations.getOrganizationList({ orderBy: '-members_count', includeMembersCount: true });
  assert.equal(byMembers.data.length, 5);
  assert.ok(byMembers.data.every(o => o.membersCount === 0));
});

test('query matches an exact ID or part of a name or slug, ignoring case', async () => {
  const alpha = await ctx.clerk.organizations.getOrganizationList({ query: 'ALPHA' });
  assert.deepEqual(alpha.data.map(o => o.name).sort(), ['Echo Alpha', 'alpha works']);
  assert.equal(alpha.totalCount, 2);
  const bySlug = await ctx.clerk.organizations.getOrganizationList({ query: 'charlie-c' });
  assert.deepEqual(bySlug.data.map(o => o.name), ['Charlie Co']);
  const byId = await ctx.clerk.organizations.getOrganizationList({ query: orgs[3].id });
  assert.deepEqual(byId.data.map(o => o.id), [orgs[3].id]);
  const partialId = await ctx.clerk.organizations.getOrganizationList({ query: orgs[3].id.slice(0, 12) });
  assert.equal(partialId.totalCount, 0);
  const percent = await ctx.clerk.organizations.getOrganizationList({ query: '%' });
  assert.equal(percent.totalCount, 0, 'LIKE wildcards in a query are literal');
});

test('organization_id includes or excludes IDs; unknown IDs are ignored', async () => {
  const some = await ctx.clerk.organizations.getOrganizationList({
    organizationId: [orgs[0].id, orgs[2].id, 'org_0000000000000000000000000000'],
  });
  assert.deepEqual(some.data.map(o => o.id).sort(), [orgs[0].id, orgs[2].id].sort());
  assert.equal(some.totalCount, 2);
  const excluded = await ctx.clerk.organizations.getOrganizationList({ organizationId: [`-${orgs[0].id}`] });
  assert.equal(excluded.totalCount, 4);
  assert.ok(!excluded.data.some(o => o.id === orgs[0].id));
  const mixed = await ctx.clerk.organizations.getOrganizationList({
    organizationId: [`+${orgs[1].id}`, orgs[2].id, `-${orgs[2].id}`],
  });
  assert.deepEqual(mixed.data.map(o => o.id), [orgs[1].id]);
});

test('include_members_count adds members_count to each item', async () => {
  const counted = await ctx.clerk.organizations.getOrganizationList({ includeMembersCount: true, limit: 1 });
  assert.equal(counted.data[0].membersCount, 0);
  const plain = await ctx.raw('GET', '/v1/organizations?limit=1');
  assert.ok(!('members_count' in plain.json.data[0]));
});
