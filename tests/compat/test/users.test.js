// Users through the real SDK (users.*): the records memberships point to.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { assertClerkError, assertSdkError, useOrgd } from '../lib/suite.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const ctx = useOrgd();

describe('createUser', () => {
  test('with every field; identifiers are normalized and verified', async () => {
    const user = await ctx.clerk.users.createUser({
      emailAddress: ['Jane.Doe@Acme.com', 'jane@home.example.org'],
      phoneNumber: ['+1 555 555 0100'],
      username: 'Jane_Doe',
      firstName: 'Jane',
      lastName: 'Doe',
      externalId: 'crm-42',
      publicMetadata: { plan: 'pro' },
      privateMetadata: { stripe: 'cus_1' },
      unsafeMetadata: { theme: 'dark' },
      createdAt: '2021-03-04T05:06:07.089Z',
    });
    assert.match(user.id, /^user_[0-9A-Za-z]{27}$/);
    assert.deepEqual(user.emailAddresses.map(e => e.emailAddress), ['jane.doe@acme.com', 'jane@home.example.org']);
    assert.equal(user.primaryEmailAddress.emailAddress, 'jane.doe@acme.com');
    assert.equal(user.emailAddresses[0].verification.status, 'verified');
    assert.deepEqual(user.emailAddresses[0].linkedTo, []);
    assert.equal(user.primaryPhoneNumber.phoneNumber, '+15555550100');
    assert.equal(user.username, 'jane_doe');
    assert.equal(user.fullName, 'Jane Doe');
    assert.equal(user.externalId, 'crm-42');
    assert.deepEqual(user.unsafeMetadata, { theme: 'dark' });
    assert.equal(user.createdAt, Date.parse('2021-03-04T05:06:07.089Z'));
    assert.equal(user.hasImage, false);
    assert.ok(user.imageUrl.startsWith(ctx.orgd.url + '/images/default/'));
    assert.equal((await fetch(user.imageUrl)).status, 200);
  });

  test('taken emails and usernames are 422 form_identifier_exists, case-insensitively', async () => {
    await ctx.clerk.users.createUser({ emailAddress: ['taken@acme.com'], username: 'takenname' });
    await assertSdkError(ctx.clerk.users.createUser({ emailAddress: ['TAKEN@acme.com'] }), 422, 'form_identifier_exists');
    await assertSdkError(ctx.clerk.users.createUser({ username: 'TakenName' }), 422, 'form_identifier_exists');
    const res = await ctx.raw('POST', '/v1/users', { json: { email_address: ['taken@acme.com'] } });
    assertClerkError(res, 422, 'form_identifier_exists', 'email_address');
  });

  test('malformed identifiers and fields are refused and nothing is stored', async () => {
    const before = (await ctx.raw('GET', '/v1/users/count')).json.total_count;
    for (const [body, code, param] of [
      [{ email_address: ['not-an-email'] }, 'form_param_format_invalid', 'email_address'],
      [{ phone_number: ['555-0100'] }, 'form_param_format_invalid', 'phone_number'],
      [{ username: 'ab' }, 'form_username_invalid_length', 'username'],
      [{ username: 'has space' }, 'form_username_invalid_character', 'username'],
      [{ first_name: 'x'.repeat(257) }, 'form_param_max_length_exceeded', 'first_name'],
      [{ email_address: 'a@b.co', password: 'hunter22' }, 'form_param_unknown', 'password'],
      [{ public_metadata: [] }, 'form_param_value_invalid', 'public_metadata'],
      [{ unsafe_metadata: { pad: 'x'.repeat(9000) } }, 'form_param_exceeds_allowed_size', 'unsafe_metadata'],
      [{ created_at: 'soon' }, 'form_param_invalid_time', 'created_at'],
      [{ email_address: [1] }, 'form_param_value_invalid', 'email_address'],
    ]) {
      const res = await ctx.raw('POST', '/v1/users', { json: body });
      assertClerkError(res, 422, code, param);
    }
    assert.equal((await ctx.raw('GET', '/v1/users/count')).json.total_count, before);
  });
});

describe('getUser, getUserList and getCount', () => {
  test('get by ID; unknown is 404', async () => {
    const created = await ctx.clerk.users.createUser({ emailAddress: ['get@acme.com'] });
    assert.equal((await ctx.clerk.users.getUser(created.id)).id, created.id);
    await assertSdkError(ctx.clerk.users.getUser('user_0000000000000000000000000000'), 404, 'resource_not_found');
  });

  test('lists are plain arrays with the total from /users/count, filtered and ordered', async () => {
    const marker = `lst${Date.now()}`;
    const made = [];
    for (const [i, name] of ['Carol', 'alice', 'Bob'].entries()) {
      made.push(await ctx.clerk.users.createUser({
        emailAddress: [`${name.toLowerCase()}.${marker}@list.example.com`],
        firstName: name,
        externalId: `${marker}-${i}`,
      }));
    }
    const raw = await ctx.raw('GET', `/v1/users?email_address_query=${marker}`);
    assert.ok(Array.isArray(raw.json), 'GET /v1/users answers a plain array');
    const page = await ctx.clerk.users.getUserList({ emailAddressQuery: marker, orderBy: '+first_name' });
    assert.equal(page.totalCount, 3);
    assert.deepEqual(page.data.map(u => u.firstName), ['alice', 'Bob', 'Carol']);
    const limited = await ctx.clerk.users.getUserList({ query: marker, limit: 1, offset: 1, orderBy: '-created_at' });
    assert.deepEqual(limited.data.map(u => u.id), [made[1].id]);
    assert.equal(limited.totalCount, 3);
    const byEmail = await ctx.clerk.users.getUserList({ emailAddress: [`BOB.${marker}@list.example.com`] });
    assert.deepEqual(byEmail.data.map(u => u.id), [made[2].id]);
    const byExternal = await ctx.clerk.users.getUserList({ externalId: [`${marker}-0`, `${marker}-2`] });
    assert.equal(byExternal.totalCount, 2);
    const byId = await ctx.clerk.users.getUserList({ userId: [made[0].id] });
    assert.deepEqual(byId.data.map(u => u.id), [made[0].id]);
    assert.equal(await ctx.clerk.users.getCount({ query: marker }), 3);
  });

  test('organization_id filters users by membership', async () => {
    const org = await ctx.clerk.organizations.createOrganization({ name: 'User Filter Org' });
    const member = await ctx.clerk.users.createUser({ emailAddress: ['member@filter.example.com'] });
    await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: member.id, role: 'org:member' });
    const page = await ctx.clerk.users.getUserList({ organizationId: [org.id] });
    assert.deepEqual(page.data.map(u => u.id), [member.id]);
    assert.equal(page.totalCount, 1);
  });
});

describe('updateUser and metadata', () => {
  test('updates profile fields and the primary email', async () => {
    const user = await ctx.clerk.users.createUser({ emailAddress: ['one@upd.example.com', 'two@upd.example.com'] });
    const second = user.emailAddresses[1].id;
    const updated = await ctx.clerk.users.updateUser(user.id, {
      firstName: 'Ann', lastName: 'Lee', username: 'ann_lee', externalId: 'x-1', primaryEmailAddressID: second,
    });
    assert.equal(updated.fullName, 'Ann Lee');
    assert.equal(updated.username, 'ann_lee');
    assert.equal(updated.primaryEmailAddressId, second);
    const res = await ctx.raw('PATCH', `/v1/users/${user.id}`, { json: { primary_email_address_id: 'idn_nope' } });
    assertClerkError(res, 422, 'form_param_value_invalid', 'primary_email_address_id');
    const phone = await ctx.raw('PATCH', `/v1/users/${user.id}`, { json: { primary_phone_number_id: 'idn_nope' } });
    assertClerkError(phone, 422, 'form_param_value_invalid', 'primary_phone_number_id');
    assertClerkError(await ctx.raw('PATCH', `/v1/users/${user.id}`, { json: { username: 'ann_lee', create_organizations_limit: -1 } }),
      422, 'form_param_value_invalid', 'create_organizations_limit');
    assertClerkError(await ctx.raw('PATCH', '/v1/users/user_0000000000000000000000000000', { json: { first_name: 'X' } }),
      404, 'resource_not_found');
    assert.equal((await ctx.clerk.users.getUser(user.id)).primaryEmailAddressId, second);
  });

  test('updateUserMetadata deep-merges; replaceUserMetadata replaces', async () => {
    const user = await ctx.clerk.users.createUser({ publicMetadata: { a: { b: 1, c: 2 } }, privateMetadata: { k: 1 } });
    const merged = await ctx.clerk.users.updateUserMetadata(user.id, { publicMetadata: { a: { c: null, d: 3 } } });
    assert.deepEqual(merged.publicMetadata, { a: { b: 1, d: 3 } });
    assert.deepEqual(merged.privateMetadata, { k: 1 });
    const replaced = await ctx.clerk.users.replaceUserMetadata(user.id, { privateMetadata: { z: true } });
    assert.deepEqual(replaced.privateMetadata, { z: true });
    assert.deepEqual(replaced.publicMetadata, { a: { b: 1, d: 3 } });
  });
});

describe('profile images', () => {
  test('upload, serve and delete', async () => {
    const user = await ctx.clerk.users.createUser({ emailAddress: ['pic@img.example.com'] });
    const file = new Blob([readFileSync(join(fixtures, 'logo.jpg'))], { type: 'image/jpeg' });
    const withImage = await ctx.clerk.users.updateUserProfileImage(user.id, { file });
    assert.equal(withImage.hasImage, true);
    const image = await fetch(withImage.imageUrl);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/jpeg');
    const without = await ctx.clerk.users.deleteUserProfileImage(user.id);
    assert.equal(without.hasImage, false);
    assert.equal((await fetch(withImage.imageUrl)).status, 404);
  });

  test('not an image is 400', async () => {
    const user = await ctx.clerk.users.createUser({ emailAddress: ['nopic@img.example.com'] });
    const form = new FormData();
    form.append('file', new Blob(['hello']), 'x.png');
    assertClerkError(await ctx.raw('POST', `/v1/users/${user.id}/profile_image`, { body: form }), 400, 'request_body_invalid');
  });
});

describe('deleteUser', () => {
  test('returns the deleted object and removes the user’s memberships, keeping counts right', async () => {
    const org = await ctx.clerk.organizations.createOrganization({ name: 'Delete Users Org' });
    const a = await ctx.clerk.users.createUser({ emailAddress: ['a@del.example.com'] });
    const b = await ctx.clerk.users.createUser({ emailAddress: ['b@del.example.com'] });
    for (const user of [a, b]) {
      await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: user.id, role: 'org:admin' });
    }
    const res = await ctx.raw('DELETE', `/v1/users/${a.id}`);
    assert.deepEqual(res.json, { object: 'user', id: a.id, deleted: true });
    const read = await ctx.clerk.organizations.getOrganization({ organizationId: org.id, includeMembersCount: true });
    assert.equal(read.membersCount, 1);
    const members = await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id });
    assert.deepEqual(members.data.map(m => m.publicUserData.userId), [b.id]);
    await assertSdkError(ctx.clerk.users.getUser(a.id), 404, 'resource_not_found');
    // The email is free again.
    await ctx.clerk.users.createUser({ emailAddress: ['a@del.example.com'] });
  });
});
