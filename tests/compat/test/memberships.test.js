// Organization memberships through the real SDK (organizations.*Membership*, users.getOrganizationMembershipList).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertClerkError, assertSdkError, useOrgd } from '../lib/suite.js';

const ctx = useOrgd();
let counter = 0;
const newUser = (fields = {}) => {
  counter++;
  return ctx.clerk.users.createUser({ emailAddress: [`member${counter}@members.example.com`], ...fields });
};
const newOrg = (fields = {}) => ctx.clerk.organizations.createOrganization({ name: `Members Org ${++counter}`, ...fields });
const add = (org, user, role = 'org:member') =>
  ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: user.id, role });
const count = async org =>
  (await ctx.clerk.organizations.getOrganization({ organizationId: org.id, includeMembersCount: true })).membersCount;

describe('createOrganizationMembership', () => {
  test('adds the user with the role; the membership carries the organization and public user data', async () => {
    const org = await newOrg();
    const user = await newUser({ firstName: 'Ada', lastName: 'Lovelace', username: 'ada_l' });
    const m = await add(org, user, 'org:admin');
    assert.match(m.id, /^orgmem_[0-9A-Za-z]{27}$/);
    assert.equal(m.role, 'org:admin');
    const raw = await ctx.raw('GET', `/v1/organizations/${org.id}/memberships`);
    assert.equal(raw.json.data[0].role_name, 'Admin');
    assert.ok(m.permissions.includes('org:sys_memberships:manage'));
    assert.equal(m.organization.id, org.id);
    assert.equal(m.publicUserData.userId, user.id);
    assert.equal(m.publicUserData.firstName, 'Ada');
    assert.equal(m.publicUserData.identifier, user.primaryEmailAddress.emailAddress);
    assert.equal(raw.json.data[0].public_user_data.username, 'ada_l');
    assert.equal(await count(org), 1);
  });

  test('identifier falls back to the username, then the phone number', async () => {
    const org = await newOrg();
    const named = await ctx.clerk.users.createUser({ username: `only_name_${counter}`, phoneNumber: ['+15555550142'] });
    const phoned = await ctx.clerk.users.createUser({ phoneNumber: ['+15555550143'] });
    assert.equal((await add(org, named)).publicUserData.identifier, named.username);
    assert.equal((await add(org, phoned)).publicUserData.identifier, '+15555550143');
  });

  test('refusals: unknown organization, user or role; already a member; the limit', async () => {
    const org = await newOrg({ maxAllowedMemberships: 1 });
    const user = await newUser();
    const other = await newUser();
    const path = `/v1/organizations/${org.id}/memberships`;
    assertClerkError(await ctx.raw('POST', '/v1/organizations/org_0000000000000000000000000000/memberships',
      { json: { user_id: user.id, role: 'org:member' } }), 404, 'resource_not_found');
    assertClerkError(await ctx.raw('POST', path, { json: { user_id: 'user_0000000000000000000000000000', role: 'org:member' } }),
      404, 'resource_not_found');
    assertClerkError(await ctx.raw('POST', path, { json: { user_id: user.id, role: 'org:owner' } }), 404, 'resource_not_found');
    assertClerkError(await ctx.raw('POST', path, { json: { role: 'org:member' } }), 422, 'form_param_missing', 'user_id');
    assertClerkError(await ctx.raw('POST', path, { json: { user_id: user.id } }), 422, 'form_param_missing', 'role');
    assert.equal(await count(org), 0);
    await add(org, user);
    await assertSdkError(add(org, user), 400, 'already_a_member_in_organization');
    await assertSdkError(add(org, other), 403, 'organization_membership_quota_exceeded');
    assert.equal(await count(org), 1);
  });
});

describe('getOrganizationMembershipList', () => {
  test('filters, orders and pages with total_count', async () => {
    const org = await newOrg({ maxAllowedMemberships: 0 });
    const people = [];
    for (const [first, last, email] of [['Zoe', 'Adams', 'zoe@a.example.com'], ['Yan', 'Brown', 'yan@b.example.com'],
      ['Xia', 'Chen', 'xia@c.example.com']]) {
      people.push(await ctx.clerk.users.createUser({ firstName: first, lastName: last, emailAddress: [email] }));
    }
    await add(org, people[0], 'org:admin');
    await add(org, people[1]);
    await add(org, people[2]);
    const list = params => ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id, ...params });
    const names = page => page.data.map(m => m.publicUserData.firstName);
    const all = await list({});
    assert.equal(all.totalCount, 3);
    assert.deepEqual(names(all), ['Xia', 'Yan', 'Zoe']);  // newest first
    assert.deepEqual(names(await list({ orderBy: 'first_name' })), ['Xia', 'Yan', 'Zoe']);
    assert.deepEqual(names(await list({ orderBy: '-last_name' })), ['Xia', 'Yan', 'Zoe']);
    assert.deepEqual(names(await list({ orderBy: '+email_address' })), ['Xia', 'Yan', 'Zoe']);
    const paged = await list({ limit: 1, offset: 1, orderBy: '+created_at' });
    assert.deepEqual(names(paged), ['Yan']);
    assert.equal(paged.totalCount, 3);
    assert.deepEqual(names(await list({ role: ['org:admin'] })), ['Zoe']);
    assert.deepEqual(names(await list({ userId: [people[1].id] })), ['Yan']);
    assert.deepEqual(names(await list({ emailAddress: ['XIA@c.example.com'] })), ['Xia']);
    assert.deepEqual(names(await list({ query: 'brow' })), ['Yan']);
    assert.deepEqual(names(await list({ nameQuery: 'zoe ad' })), ['Zoe']);
    assert.deepEqual(names(await list({ emailAddressQuery: '@b.example' })), ['Yan']);
    assert.equal((await list({ web3Wallet: ['0xabc'] })).totalCount, 0);
    const firstCreated = all.data[2].createdAt;
    assert.deepEqual(names(await list({ createdAtAfter: firstCreated })), ['Xia', 'Yan']);
    const res = await ctx.raw('GET', `/v1/organizations/${org.id}/memberships?order_by=role`);
    assertClerkError(res, 422, 'form_param_value_invalid', 'order_by');
    assertClerkError(await ctx.raw('GET', '/v1/organizations/org_0000000000000000000000000000/memberships'), 404,
      'resource_not_found');
  });

  test('instance-wide and per-user lists', async () => {
    const user = await newUser();
    const orgs = [await newOrg(), await newOrg()];
    for (const org of orgs) await add(org, user);
    const mine = await ctx.clerk.users.getOrganizationMembershipList({ userId: user.id });
    assert.equal(mine.totalCount, 2);
    assert.deepEqual(mine.data.map(m => m.organization.id), [orgs[1].id, orgs[0].id]);
    const instance = await ctx.clerk.organizations.getInstanceOrganizationMembershipList({ limit: 500 });
    assert.ok(instance.totalCount >= 2);
    assert.ok(orgs.every(org => instance.data.some(m => m.organization.id === org.id)));
    const orgsOfUser = await ctx.clerk.organizations.getOrganizationList({ userId: [user.id] });
    assert.equal(orgsOfUser.totalCount, 2);
    assertClerkError(await ctx.raw('GET', '/v1/users/user_0000000000000000000000000000/organization_memberships'), 404,
      'resource_not_found');
  });
});

describe('updating and removing memberships', () => {
  test('updateOrganizationMembership changes the role; metadata deep-merges', async () => {
    const org = await newOrg();
    const admin = await newUser();
    const user = await newUser();
    await add(org, admin, 'org:admin');
    await add(org, user);
    const promoted = await ctx.clerk.organizations.updateOrganizationMembership({ organizationId: org.id, userId: user.id, role: 'org:admin' });
    assert.equal(promoted.role, 'org:admin');
    const meta1 = await ctx.clerk.organizations.updateOrganizationMembershipMetadata({
      organizationId: org.id, userId: user.id, publicMetadata: { team: { name: 'core', lead: true } }, privateMetadata: { note: 'x' },
    });
    const meta2 = await ctx.clerk.organizations.updateOrganizationMembershipMetadata({
      organizationId: org.id, userId: user.id, publicMetadata: { team: { lead: null } },
    });
    assert.deepEqual(meta1.privateMetadata, { note: 'x' });
    assert.deepEqual(meta2.publicMetadata, { team: { name: 'core' } });
    await assertSdkError(ctx.clerk.organizations.updateOrganizationMembership({ organizationId: org.id, userId: user.id, role: 'org:boss' }),
      404, 'resource_not_found');
    const res = await ctx.raw('PATCH', `/v1/organizations/${org.id}/memberships/${user.id}/metadata`,
      { json: { public_metadata: { pad: 'x'.repeat(9000) } } });
    assertClerkError(res, 422, 'form_param_exceeds_allowed_size', 'public_metadata');
  });

  test('deleteOrganizationMembership answers the removed membership and uncounts it', async () => {
    const org = await newOrg();
    const admin = await newUser();
    const user = await newUser();
    await add(org, admin, 'org:admin');
    await add(org, user);
    const removed = await ctx.clerk.organizations.deleteOrganizationMembership({ organizationId: org.id, userId: user.id });
    assert.equal(removed.publicUserData.userId, user.id);
    assert.equal(removed.role, 'org:member');
    assert.equal(await count(org), 1);
    await assertSdkError(ctx.clerk.organizations.deleteOrganizationMembership({ organizationId: org.id, userId: user.id }),
      404, 'resource_not_found');
    // Every membership route answers 404 for someone who is not a member.
    assertClerkError(await ctx.raw('PATCH', `/v1/organizations/${org.id}/memberships/${user.id}`, { json: { role: 'org:admin' } }),
      404, 'resource_not_found');
    assertClerkError(await ctx.raw('PATCH', `/v1/organizations/${org.id}/memberships/${user.id}/metadata`,
      { json: { public_metadata: { a: 1 } } }), 404, 'resource_not_found');
    assert.equal(await count(org), 1);
  });

  test('the last admin cannot be demoted or removed while others remain', async () => {
    const org = await newOrg();
    const admin = await newUser();
    const user = await newUser();
    await add(org, admin, 'org:admin');
    await add(org, user);
    const demote = () => ctx.clerk.organizations.updateOrganizationMembership({ organizationId: org.id, userId: admin.id, role: 'org:member' });
    await assertSdkError(demote(), 400, 'organization_minimum_permissions_needed');
    await assertSdkError(ctx.clerk.organizations.deleteOrganizationMembership({ organizationId: org.id, userId: admin.id }),
      400, 'organization_minimum_permissions_needed');
    const members = await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id, role: ['org:admin'] });
    assert.deepEqual(members.data.map(m => m.publicUserData.userId), [admin.id]);
    // Once the other member is gone, the admin may leave an empty organization.
    await ctx.clerk.organizations.deleteOrganizationMembership({ organizationId: org.id, userId: user.id });
    await ctx.clerk.organizations.deleteOrganizationMembership({ organizationId: org.id, userId: admin.id });
    assert.equal(await count(org), 0);
  });

  test('deleting an organization removes its memberships', async () => {
    const org = await newOrg();
    const user = await newUser();
    await add(org, user);
    await ctx.clerk.organizations.deleteOrganization(org.id);
    const mine = await ctx.clerk.users.getOrganizationMembershipList({ userId: user.id });
    assert.equal(mine.totalCount, 0);
  });
});
