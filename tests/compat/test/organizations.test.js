// The organization endpoints driven through the real @clerk/backend SDK, every option once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertOrganizationJson, assertSdkError, useOrgd } from '../lib/suite.js';

const ctx = useOrgd();

describe('createOrganization', () => {
  test('with only a name: derived slug, defaults, Clerk ID and timestamps', async () => {
    const before = Date.now();
    const org = await ctx.clerk.organizations.createOrganization({ name: '  Acme Corp ' });
    assert.match(org.id, /^org_[0-9A-Za-z]{27}$/);
    assert.equal(org.name, 'Acme Corp');
    assert.equal(org.slug, 'acme-corp');
    assert.equal(org.hasImage, false);
    assert.ok(org.imageUrl.startsWith(ctx.orgd.url + '/images/'), org.imageUrl);
    assert.equal(org.adminDeleteEnabled, true);
    assert.deepEqual(org.publicMetadata, {});
    assert.deepEqual(org.privateMetadata, {});
    assert.ok(org.createdAt >= before - 5 && org.createdAt <= Date.now() + 5, `${org.createdAt}`);
    assert.equal(org.updatedAt, org.createdAt);
    const image = await fetch(org.imageUrl);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/svg+xml');
  });

  test('with every option; created_by becomes an admin member', async () => {
    const creator = await ctx.clerk.users.createUser({ emailAddress: ['hank@globex.com'] });
    const org = await ctx.clerk.organizations.createOrganization({
      name: 'Globex',
      slug: 'globex-eu',
      createdBy: creator.id,
      maxAllowedMemberships: 0,
      publicMetadata: { plan: 'pro', limits: { seats: 10 } },
      privateMetadata: { stripe: 'cus_123' },
      createdAt: '2020-05-01T10:00:00.250Z',
    });
    assert.equal(org.slug, 'globex-eu');
    assert.equal(org.maxAllowedMemberships, 0);
    assert.deepEqual(org.publicMetadata, { plan: 'pro', limits: { seats: 10 } });
    assert.deepEqual(org.privateMetadata, { stripe: 'cus_123' });
    assert.equal(org.createdAt, Date.parse('2020-05-01T10:00:00.250Z'));
    const raw = await ctx.raw('GET', `/v1/organizations/${org.id}?include_members_count=true`);
    assertOrganizationJson(raw.json);
    assert.equal(raw.json.created_by, creator.id);
    assert.equal(raw.json.members_count, 1);
    const members = await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id });
    assert.equal(members.totalCount, 1);
    assert.equal(members.data[0].role, 'org:admin');
    assert.equal(members.data[0].publicUserData.userId, creator.id);
  });

  test('a derived slug that is taken gets a suffix; a given one is refused', async () => {
    const first = await ctx.clerk.organizations.createOrganization({ name: 'Initech' });
    const second = await ctx.clerk.organizations.createOrganization({ name: 'Initech' });
    assert.equal(first.slug, 'initech');
    assert.match(second.slug, /^initech-[0-9a-z]+$/);
    await assertSdkError(
      ctx.clerk.organizations.createOrganization({ name: 'Other', slug: 'initech' }),
      422,
      'form_identifier_exists',
    );
  });
});

describe('getOrganization', () => {
  test('by ID or by slug, with and without members count', async () => {
    const created = await ctx.clerk.organizations.createOrganization({ name: 'Umbrella', slug: 'umbrella' });
    const byId = await ctx.clerk.organizations.getOrganization({ organizationId: created.id });
    const bySlug = await ctx.clerk.organizations.getOrganization({ slug: 'umbrella' });
    assert.equal(byId.id, created.id);
    assert.equal(bySlug.id, created.id);
    assert.equal(byId.membersCount, undefined);
    const counted = await ctx.clerk.organizations.getOrganization({ slug: 'umbrella', includeMembersCount: true });
    assert.equal(counted.membersCount, 0);
  });

  test('an unknown ID or slug is 404 resource_not_found', async () => {
    await assertSdkError(
      ctx.clerk.organizations.getOrganization({ organizationId: 'org_0000000000000000000000000000' }),
      404,
      'resource_not_found',
    );
    await assertSdkError(ctx.clerk.organizations.getOrganization({ slug: 'no-such-slug' }), 404, 'resource_not_found');
  });
});

describe('updateOrganization', () => {
  test('changes name, slug, max_allowed_memberships and admin_delete_enabled', async () => {
    const org = await ctx.clerk.organizations.createOrganization({ name: 'Hooli' });
    const updated = await ctx.clerk.organizations.updateOrganization(org.id, {
      name: 'Hooli XYZ',
      slug: 'hooli-xyz',
      maxAllowedMemberships: 25,
      adminDeleteEnabled: false,
    });
    assert.equal(updated.name, 'Hooli XYZ');
    assert.equal(updated.slug, 'hooli-xyz');
    assert.equal(updated.maxAllowedMemberships, 25);
    assert.equal(updated.adminDeleteEnabled, false);
    assert.equal(updated.createdAt, org.createdAt);
    assert.ok(updated.updatedAt >= org.updatedAt);
    const read = await ctx.clerk.organizations.getOrganization({ slug: 'hooli-xyz' });
    assert.equal(read.name, 'Hooli XYZ');
    await assertSdkError(ctx.clerk.organizations.getOrganization({ slug: 'hooli' }), 404, 'resource_not_found');
  });

  test('the deprecated metadata form replaces metadata (the SDK sends it to PUT …/metadata)', async () => {
    const org = await ctx.clerk.organizations.createOrganization({
      name: 'Vandelay',
      publicMetadata: { a: 1, keep: true },
    });
    const updated = await ctx.clerk.organizations.updateOrganization(org.id, {
      name: 'Vandelay Industries',
      publicMetadata: { b: 2 },
    });
    assert.equal(updated.name, 'Vandelay Industries');
    assert.deepEqual(updated.publicMetadata, { b: 2 });
  });

  test('a slug taken by another organization is refused and nothing changes', async () => {
    const a = await ctx.clerk.organizations.createOrganization({ name: 'Stark', slug: 'stark' });
    const b = await ctx.clerk.organizations.createOrganization({ name: 'Wayne', slug: 'wayne' });
    await assertSdkError(
      ctx.clerk.organizations.updateOrganization(b.id, { slug: 'stark', name: 'Wayne 2' }),
      422,
      'form_identifier_exists',
    );
    const read = await ctx.clerk.organizations.getOrganization({ organizationId: b.id });
    assert.equal(read.slug, 'wayne');
    assert.equal(read.name, 'Wayne');
    assert.equal((await ctx.clerk.organizations.getOrganization({ slug: 'stark' })).id, a.id);
  });
});

describe('organization metadata', () => {
  test('updateOrganizationMetadata deep-merges and null removes a key', async () => {
    const org = await ctx.clerk.organizations.createOrganization({
      name: 'Soylent',
      publicMetadata: { plan: 'free', limits: { seats: 5, sso: false }, old: 1 },
      privateMetadata: { secret: 'x' },
    });
    const merged = await ctx.clerk.organizations.updateOrganizationMetadata(org.id, {
      publicMetadata: { limits: { seats: 10 }, old: null, added: [1, 2] },
    });
    assert.deepEqual(merged.publicMetadata, { plan: 'free', limits: { seats: 10, sso: false }, added: [1, 2] });
    assert.deepEqual(merged.privateMetadata, { secret: 'x' });
  });

  test('replaceOrganizationMetadata replaces a given field wholesale and leaves the other', async () => {
    const org = await ctx.clerk.organizations.createOrganization({
      name: 'Tyrell',
      publicMetadata: { a: { b: 1 } },
      privateMetadata: { keep: 'me' },
    });
    const replaced = await ctx.clerk.organizations.replaceOrganizationMetadata(org.id, {
      publicMetadata: { c: 3 },
    });
    assert.deepEqual(replaced.publicMetadata, { c: 3 });
    assert.deepEqual(replaced.privateMetadata, { keep: 'me' });
    const cleared = await ctx.clerk.organizations.replaceOrganizationMetadata(org.id, { privateMetadata: {} });
    assert.deepEqual(cleared.privateMetadata, {});
  });

  test('the 8 KB limit applies to the merged result and a refused merge changes nothing', async () => {
    const org = await ctx.clerk.organizations.createOrganization({
      name: 'Cyberdyne',
      publicMetadata: { a: 'x'.repeat(5000) },
    });
    await assertSdkError(
      ctx.clerk.organizations.updateOrganizationMetadata(org.id, { publicMetadata: { b: 'y'.repeat(4000) } }),
      422,
      'form_param_exceeds_allowed_size',
    );
    const read = await ctx.clerk.organizations.getOrganization({ organizationId: org.id });
    assert.deepEqual(Object.keys(read.publicMetadata), ['a']);
  });
});

describe('deleteOrganization', () => {
  test('returns the deleted object and the organization is gone', async () => {
    const org = await ctx.clerk.organizations.createOrganization({ name: 'Oceanic', slug: 'oceanic' });
    const res = await ctx.raw('DELETE', `/v1/organizations/${org.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { object: 'organization', id: org.id, slug: 'oceanic', deleted: true });
    await assertSdkError(ctx.clerk.organizations.getOrganization({ organizationId: org.id }), 404, 'resource_not_found');
    await assertSdkError(ctx.clerk.organizations.deleteOrganization(org.id), 404, 'resource_not_found');
    // The slug is free again.
    const again = await ctx.clerk.organizations.createOrganization({ name: 'Oceanic', slug: 'oceanic' });
    assert.notEqual(again.id, org.id);
  });

  test('through the SDK', async () => {
    const org = await ctx.clerk.organizations.createOrganization({ name: 'Massive Dynamic' });
    const deleted = await ctx.clerk.organizations.deleteOrganization(org.id);
    assert.equal(deleted.id, org.id);
  });
});
