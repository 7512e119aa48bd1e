// Every Organization method of CLERK-JS.md §5 on the wire as clerk-js sends it (the paths,
// _method, form bodies and list parameters of that table), each result read back through the
// Backend API with @clerk/backend: create, get, update, destroy, setLogo (multipart,
// octet-stream, removal), memberships (list with role, query and pagination; add, update, remove),
// invitations (list by status, create, bulk as a plain array, revoke), roles, the empty domain and
// membership-request lists, and /me: memberships (list, leave), invitations (list, accept),
// suggestions. Who may do what is frontend-permissions.test.js.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { ORIGIN, assertFapiError, useFrontend } from '../lib/frontend.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const PNG = readFileSync(join(fixtures, 'logo.png'));
const JPEG = readFileSync(join(fixtures, 'logo.jpg'));
const w = {};
const ctx = useFrontend({
  async seed(c) {
    w.admin = await c.clerk.users.createUser({ emailAddress: ['ada@orgs.example.com'], firstName: 'Ada', lastName: 'Admin' });
    w.browser = c.browser();
    await w.browser.signIn(w.admin.id);
  },
});

let counter = 0;
const next = () => ++counter;
const address = tag => `${tag}${next()}@orgs.example.com`;
const newUser = (fields = {}) =>
  ctx.clerk.users.createUser({ emailAddress: [address('user')], firstName: 'User', lastName: `Number${next()}`, ...fields });
const bapiOrg = id => ctx.clerk.organizations.getOrganization({ organizationId: id });
const bapiMembers = (org, params = {}) =>
  ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id, limit: 100, ...params });
const roleOf = async (org, user) => (await bapiMembers(org)).data.find(m => m.publicUserData.userId === user.id)?.role;
const base = org => `/v1/organizations/${org.id}`;
// The response of a 2xx, failing with the whole answer otherwise.
async function ok(promise) {
  const res = await promise;
  assert.ok(res.status === 200, `expected 200, got ${res.status}: ${res.text}`);
  return res;
}
const membershipsOf = client => client.sessions.find(s => s.id === w.browser.sessionId).user.organization_memberships;

// An organization the signed-in admin created through the Frontend API, with unlimited seats.
async function createOrg(fields = {}) {
  const res = await ok(w.browser.post('/v1/organizations', { name: `Wire Org ${next()}`, slug: `wire-org-${next()}`, ...fields }));
  const org = res.json.response;
  await ctx.clerk.organizations.updateOrganization(org.id, { maxAllowedMemberships: 0 });
  return org;
}

describe('create, get, update', () => {
  test('clerk.createOrganization: the organization and a client with the creator’s admin membership', async () => {
    const before = Date.now();
    const res = await ok(w.browser.post('/v1/organizations', { name: 'Acme Wire', slug: 'acme-wire' }));
    const org = res.json.response;
    assert.equal(org.object, 'organization');
    assert.match(org.id, /^org_[0-9A-Za-z]{27}$/);
    assert.equal(org.name, 'Acme Wire');
    assert.equal(org.slug, 'acme-wire');
    assert.equal(org.has_image, false);
    assert.equal(org.admin_delete_enabled, true);
    assert.ok(org.created_at >= before - 1000);
    const mine = membershipsOf(res.json.client).find(m => m.organization.id === org.id);
    assert.ok(mine, JSON.stringify(membershipsOf(res.json.client)));
    assert.equal(mine.role, 'org:admin');
    assert.ok(mine.permissions.includes('org:sys_profile:delete'));
    const read = await bapiOrg(org.id);
    assert.equal(read.name, 'Acme Wire');
    assert.equal(read.slug, 'acme-wire');
    assert.equal(read.createdBy, w.admin.id);
    const members = await bapiMembers(org);
    assert.deepEqual(members.data.map(m => [m.publicUserData.userId, m.role]), [[w.admin.id, 'org:admin']]);
  });

  test('without a slug (clerk-js omits it when slugs are off): created', async () => {
    const res = await ok(w.browser.post('/v1/organizations', { name: 'Slugless Wire' }));
    assert.equal((await bapiOrg(res.json.response.id)).name, 'Slugless Wire');
  });

  test('refusals: no name, a taken slug, a bad slug; nothing created', async () => {
    const count = async () => (await ctx.clerk.users.getOrganizationMembershipList({ userId: w.admin.id })).totalCount;
    const before = await count();
    assertFapiError(await w.browser.post('/v1/organizations', { slug: 'nameless' }), 422, 'form_param_missing', 'name');
    assertFapiError(await w.browser.post('/v1/organizations', { name: 'Twice', slug: 'acme-wire' }), 422, 'form_identifier_exists', 'slug');
    assertFapiError(await w.browser.post('/v1/organizations', { name: 'Bad', slug: 'Not A Slug!' }), 422, 'form_param_format_invalid', 'slug');
    assert.equal(await count(), before);
  });

  test('clerk.getOrganization: the organization, client null', async () => {
    const org = await createOrg({ name: 'Readable Wire' });
    const res = await ok(w.browser.get(base(org)));
    assert.equal(res.json.client, null);
    assert.equal(res.json.response.id, org.id);
    assert.equal(res.json.response.name, 'Readable Wire');
    assert.equal(res.json.response.max_allowed_memberships, 0);
  });

  test('org.update({name, slug}): changed, with a fresh client', async () => {
    const org = await createOrg();
    const res = await ok(w.browser.patch(base(org), { name: 'Renamed Wire', slug: `renamed-wire-${next()}` }));
    assert.equal(res.json.response.name, 'Renamed Wire');
    assert.ok(res.json.client, 'an update answers the client');
    assert.equal(membershipsOf(res.json.client).find(m => m.organization.id === org.id).organization.name, 'Renamed Wire');
    const read = await bapiOrg(org.id);
    assert.equal(read.name, 'Renamed Wire');
    assert.equal(read.slug, res.json.response.slug);
    // clerk-js sends a null field as "": an empty name is no new name (refused, or left alone).
    const empty = await w.browser.patch(base(org), { name: '' });
    assert.ok(empty.status === 200 || empty.status === 422, empty.text);
    assert.equal((await bapiOrg(org.id)).name, 'Renamed Wire');
    assertFapiError(await w.browser.patch(base(org), { name: 'x'.repeat(257) }), 422, 'form_param_max_length_exceeded', 'name');
    assert.equal((await bapiOrg(org.id)).name, 'Renamed Wire');
  });
});

describe('setLogo', () => {
  test('multipart `file`, then application/octet-stream, then removal (?_method=DELETE)', async () => {
    const org = await createOrg();
    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'logo.png');
    const up = await ok(w.browser.request('PUT', `${base(org)}/logo`, { multipart: form }));
    assert.equal(up.json.response.has_image, true);
    assert.ok(up.json.response.image_url, up.text);
    let read = await bapiOrg(org.id);
    assert.equal(read.hasImage, true);
    const firstUrl = read.imageUrl;
    // @clerk/ui loads logos with crossOrigin="anonymous" (CLERK-JS.md §8).
    const image = await fetch(read.imageUrl, { headers: { origin: ORIGIN } });
    assert.equal(image.status, 200);
    assert.ok([ORIGIN, '*'].includes(image.headers.get('access-control-allow-origin')),
      `logo without CORS for the app: ${image.headers.get('access-control-allow-origin')}`);

    const raw = await ok(w.browser.request('PUT', `${base(org)}/logo`, { body: JPEG, contentType: 'application/octet-stream' }));
    assert.equal(raw.json.response.has_image, true);
    read = await bapiOrg(org.id);
    assert.equal(read.hasImage, true);
    assert.notEqual(read.imageUrl, firstUrl);

    await ok(w.browser.request('DELETE', `${base(org)}/logo`));
    read = await bapiOrg(org.id);
    assert.equal(read.hasImage, false);
  });

  test('refusals: not an image, no file; the logo stays', async () => {
    const org = await createOrg();
    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'logo.png');
    await ok(w.browser.request('PUT', `${base(org)}/logo`, { multipart: form }));
    const before = (await bapiOrg(org.id)).imageUrl;
    const text = new FormData();
    text.append('file', new Blob(['hello'], { type: 'text/plain' }), 'x.txt');
    const res = await w.browser.request('PUT', `${base(org)}/logo`, { multipart: text });
    assert.ok(res.status === 400 || res.status === 422, res.text);
    const none = new FormData();
    none.append('other', 'x');
    assertFapiError(await w.browser.request('PUT', `${base(org)}/logo`, { multipart: none }), 400, 'form_param_missing');
    assert.equal((await bapiOrg(org.id)).imageUrl, before);
  });
});

describe('memberships', () => {
  test('org.addMember, updateMember, removeMember, each read back', async () => {
    const org = await createOrg();
    const bob = await newUser({ firstName: 'Bob' });
    const added = await ok(w.browser.post(`${base(org)}/memberships`, { user_id: bob.id, role: 'org:member' }));
    const m = added.json.response;
    assert.equal(m.object, 'organization_membership');
    assert.equal(m.role, 'org:member');
    assert.equal(m.public_user_data.user_id, bob.id);
    assert.equal(m.organization.id, org.id);
    assert.ok(m.permissions.includes('org:sys_memberships:read'));
    assert.equal(await roleOf(org, bob), 'org:member');
    assertFapiError(await w.browser.post(`${base(org)}/memberships`, { user_id: bob.id, role: 'org:member' }), 400,
      'already_a_member_in_organization');

    const updated = await ok(w.browser.patch(`${base(org)}/memberships/${bob.id}`, { role: 'org:admin' }));
    assert.equal(updated.json.response.role, 'org:admin');
    assert.equal(await roleOf(org, bob), 'org:admin');

    const removed = await ok(w.browser.delete(`${base(org)}/memberships/${bob.id}`));
    assert.equal(removed.json.response.object, 'organization_membership');
    assert.equal(removed.json.response.public_user_data.user_id, bob.id);
    assert.equal(await roleOf(org, bob), undefined);
  });

  test('refusals: an unknown user or role, the last admin while others remain; nothing changed', async () => {
    const org = await createOrg();
    const bob = await newUser();
    const stays = await newUser();
    await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: stays.id, role: 'org:member' });
    assertFapiError(await w.browser.post(`${base(org)}/memberships`, { user_id: 'user_0000000000000000000000000000', role: 'org:member' }),
      404, 'resource_not_found');
    assertFapiError(await w.browser.post(`${base(org)}/memberships`, { user_id: bob.id, role: 'org:nope' }), 404, 'resource_not_found');
    assertFapiError(await w.browser.patch(`${base(org)}/memberships/${w.admin.id}`, { role: 'org:member' }), 400,
      'organization_minimum_permissions_needed');
    assertFapiError(await w.browser.delete(`${base(org)}/memberships/${w.admin.id}`), 400, 'organization_minimum_permissions_needed');
    const members = await bapiMembers(org);
    assert.deepEqual(members.data.map(x => [x.publicUserData.userId, x.role]).sort(),
      [[w.admin.id, 'org:admin'], [stays.id, 'org:member']].sort());
  });

  test('org.getMemberships: paginated, role and query filters', async () => {
    const org = await createOrg();
    const zed = await newUser({ firstName: 'Zedediah', lastName: 'Quux' });
    const yan = await newUser({ firstName: 'Yan' });
    await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: zed.id, role: 'org:member' });
    await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: yan.id, role: 'org:admin' });
    const list = (query = {}) => ok(w.browser.get(`${base(org)}/memberships`, { query: { paginated: true, limit: 10, offset: 0, ...query } }));
    const all = (await list()).json;
    assert.equal(all.client, null);
    assert.equal(all.response.total_count, 3);
    assert.deepEqual(all.response.data.map(m => m.public_user_data.user_id).sort(), [w.admin.id, zed.id, yan.id].sort());
    for (const m of all.response.data) assert.equal(m.organization.id, org.id);
    const admins = (await list({ role: 'org:admin' })).json.response;
    assert.equal(admins.total_count, 2);
    assert.deepEqual(admins.data.map(m => m.public_user_data.user_id).sort(), [w.admin.id, yan.id].sort());
    const found = (await list({ query: 'zedediah' })).json.response;
    assert.deepEqual(found.data.map(m => m.public_user_data.user_id), [zed.id]);
    const byEmail = (await list({ query: zed.emailAddresses[0].emailAddress.slice(0, 8) })).json.response;
    assert.ok(byEmail.data.some(m => m.public_user_data.user_id === zed.id));
    const page1 = (await list({ limit: 2, offset: 0 })).json.response;
    const page2 = (await list({ limit: 2, offset: 2 })).json.response;
    assert.equal(page1.data.length, 2);
    assert.equal(page2.data.length, 1);
    assert.equal(page1.total_count, 3);
    assert.equal(page2.total_count, 3);
    assert.equal(new Set([...page1.data, ...page2.data].map(m => m.id)).size, 3);
    // Read back: the Backend API lists the same memberships.
    assert.deepEqual((await bapiMembers(org)).data.map(m => m.id).sort(), all.response.data.map(m => m.id).sort());
  });
});

describe('invitations', () => {
  test('org.inviteMember, getInvitations by status, revoke; read back', async () => {
    const org = await createOrg();
    const email = address('invitee');
    const created = await ok(w.browser.post(`${base(org)}/invitations`, { email_address: email, role: 'org:member' }));
    const inv = created.json.response;
    assert.equal(inv.object, 'organization_invitation');
    assert.equal(inv.email_address, email);
    assert.equal(inv.role, 'org:member');
    assert.equal(inv.status, 'pending');
    assert.equal(inv.organization_id, org.id);
    // The session's user is the inviter (as Clerk records it), whatever the request says.
    assert.equal(inv.public_inviter_data?.user_id, w.admin.id);
    assert.equal(inv.public_inviter_data.first_name, 'Ada');
    const bapi = await ctx.clerk.organizations.getOrganizationInvitation({ organizationId: org.id, invitationId: inv.id });
    assert.equal(bapi.emailAddress, email);
    assert.equal(bapi.inviterUserId ?? bapi.raw?.inviter_id, w.admin.id);
    assert.equal(bapi.status, 'pending');

    const list = status => ok(w.browser.get(`${base(org)}/invitations`, { query: { status, limit: 10, offset: 0 } }));
    let pending = (await list('pending')).json;
    assert.equal(pending.client, null);
    assert.deepEqual(pending.response.data.map(i => i.id), [inv.id]);
    assert.equal(pending.response.total_count, 1);

    const revoked = await ok(w.browser.post(`${base(org)}/invitations/${inv.id}/revoke`, {}));
    assert.equal(revoked.json.response.status, 'revoked');
    assert.equal((await ctx.clerk.organizations.getOrganizationInvitation({ organizationId: org.id, invitationId: inv.id })).status,
      'revoked');
    pending = (await list('pending')).json.response;
    assert.equal(pending.total_count, 0);
    assert.deepEqual((await list('revoked')).json.response.data.map(i => i.id), [inv.id]);
    assert.equal((await list(undefined)).json.response.total_count, 1);
    // Revoking again: the invitation is not pending.
    assertFapiError(await w.browser.post(`${base(org)}/invitations/${inv.id}/revoke`, {}), 404, 'organization_invitation_not_pending');
  });

  test('org.inviteMembers (bulk): repeated email_address, one role, answered as a plain array', async () => {
    const org = await createOrg();
    const emails = [address('bulk'), address('bulk'), address('bulk')];
    const res = await ok(w.browser.post(`${base(org)}/invitations/bulk`, { email_address: emails, role: 'org:admin' }));
    assert.ok(Array.isArray(res.json.response), `not a plain array: ${res.text}`);
    assert.deepEqual(res.json.response.map(i => i.email_address).sort(), [...emails].sort());
    for (const inv of res.json.response) {
      assert.equal(inv.role, 'org:admin');
      assert.equal(inv.status, 'pending');
    }
    const bapi = await ctx.clerk.organizations.getOrganizationInvitationList({ organizationId: org.id, status: ['pending'] });
    assert.deepEqual(bapi.data.map(i => i.emailAddress).sort(), [...emails].sort());
    // A duplicate among them refuses the whole call: nothing more is created.
    assertFapiError(await w.browser.post(`${base(org)}/invitations/bulk`, { email_address: [address('bulk'), emails[0]], role: 'org:member' }),
      400, 'organization_invitation_not_unique');
    assert.equal((await ctx.clerk.organizations.getOrganizationInvitationList({ organizationId: org.id })).totalCount, 3);
  });

  test('refusals: a bad address, no role, an existing member, a duplicate; nothing created', async () => {
    const org = await createOrg();
    const email = address('dup');
    await ok(w.browser.post(`${base(org)}/invitations`, { email_address: email, role: 'org:member' }));
    assertFapiError(await w.browser.post(`${base(org)}/invitations`, { email_address: 'not-an-email', role: 'org:member' }), 422,
      'form_param_format_invalid', 'email_address');
    assertFapiError(await w.browser.post(`${base(org)}/invitations`, { email_address: address('x') }), 422, 'form_param_missing', 'role');
    assertFapiError(await w.browser.post(`${base(org)}/invitations`, { email_address: email, role: 'org:member' }), 400,
      'organization_invitation_not_unique');
    assertFapiError(await w.browser.post(`${base(org)}/invitations`, { email_address: 'ada@orgs.example.com', role: 'org:member' }), 400,
      'already_a_member_in_organization');
    assert.equal((await ctx.clerk.organizations.getOrganizationInvitationList({ organizationId: org.id })).totalCount, 1);
  });
});

describe('roles, domains, membership requests', () => {
  test('org.getRoles: {data: ROLE[], total_count}, each role with its permission objects', async () => {
    const org = await createOrg();
    const res = await ok(w.browser.get(`${base(org)}/roles`, { query: { limit: 20, offset: 0 } }));
    const { data, total_count: total } = res.json.response;
    assert.ok(total >= 2);
    const admin = data.find(r => r.key === 'org:admin');
    const member = data.find(r => r.key === 'org:member');
    assert.ok(admin && member, res.text);
    assert.ok(admin.permissions.some(p => p.key === 'org:sys_memberships:manage' && p.object === 'permission' && p.type === 'system'));
    assert.ok(member.permissions.some(p => p.key === 'org:sys_memberships:read'));
    const bapi = await ctx.clerk.organizationRoles.getOrganizationRoleList({ limit: 100 });
    assert.equal(total, bapi.totalCount);
  });

  test('domains and membership requests: empty pages', async () => {
    const org = await createOrg();
    for (const path of ['domains', 'membership_requests']) {
      const res = await ok(w.browser.get(`${base(org)}/${path}`, { query: { limit: 10, offset: 0, ...(path === 'membership_requests' ? { status: 'pending' } : {}) } }));
      assert.deepEqual(res.json, { response: { data: [], total_count: 0 }, client: null }, path);
    }
  });
});

describe('/me', () => {
  test('user.getOrganizationMemberships: every membership of the user, with the organization', async () => {
    const res = await ok(w.browser.get('/v1/me/organization_memberships', { query: { paginated: true, limit: 100, offset: 0 } }));
    const bapi = await ctx.clerk.users.getOrganizationMembershipList({ userId: w.admin.id, limit: 100 });
    assert.equal(res.json.response.total_count, bapi.totalCount);
    assert.deepEqual(res.json.response.data.map(m => m.id).sort(), bapi.data.map(m => m.id).sort());
    for (const m of res.json.response.data) assert.equal(m.object, 'organization_membership');
    const page = await ok(w.browser.get('/v1/me/organization_memberships', { query: { paginated: true, limit: 1, offset: 1 } }));
    assert.equal(page.json.response.data.length, 1);
    assert.equal(page.json.response.total_count, bapi.totalCount);
  });

  test('user.leaveOrganization: the membership is gone, the session’s active organization cleared', async () => {
    const org = await createOrg();
    const leaver = await newUser();
    await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: leaver.id, role: 'org:member' });
    const browser = ctx.browser();
    await browser.signIn(leaver.id);
    await ok(browser.touch(org.id));
    const res = await ok(browser.delete(`/v1/me/organization_memberships/${org.id}`));
    assert.equal(res.json.response.deleted, true);
    assert.ok(res.json.client, 'leave answers the client');
    const s = res.json.client.sessions.find(x => x.id === browser.sessionId);
    assert.ok(!s.user.organization_memberships.some(m => m.organization.id === org.id));
    assert.equal(await roleOf(org, leaver), undefined);
    const bapiSession = (await ctx.raw('GET', `/v1/sessions/${browser.sessionId}`)).json;
    assert.equal(bapiSession.last_active_organization_id, null);
    // Leaving again: not a member.
    assertFapiError(await browser.delete(`/v1/me/organization_memberships/${org.id}`), 404, 'organization_not_found_or_unauthorized');
  });

  test('the last admin cannot leave while other members remain (README: an only member may)', async () => {
    const org = await createOrg();
    const stays = await newUser();
    await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: stays.id, role: 'org:member' });
    assertFapiError(await w.browser.delete(`/v1/me/organization_memberships/${org.id}`), 400, 'organization_minimum_permissions_needed');
    assert.equal(await roleOf(org, w.admin), 'org:admin');
  });

  test('user.getOrganizationInvitations and invitation.accept: the membership, the invitation accepted', async () => {
    const org = await createOrg({ name: 'Inviting Wire' });
    const carol = await newUser();
    const email = carol.emailAddresses[0].emailAddress;
    const inv = await ctx.clerk.organizations.createOrganizationInvitation({ organizationId: org.id, emailAddress: email, role: 'org:admin' });
    await ctx.clerk.organizations.createOrganizationInvitation({ organizationId: org.id, emailAddress: address('else'), role: 'org:member' });
    const browser = ctx.browser();
    await browser.signIn(carol.id);
    const listed = await ok(browser.get('/v1/me/organization_invitations', { query: { status: 'pending', limit: 10, offset: 0 } }));
    assert.equal(listed.json.response.total_count, 1);
    const [mine] = listed.json.response.data;
    assert.equal(mine.id, inv.id);
    assert.equal(mine.email_address, email);
    assert.equal(mine.status, 'pending');
    assert.deepEqual({ id: mine.public_organization_data.id, name: mine.public_organization_data.name, slug: mine.public_organization_data.slug },
      { id: org.id, name: 'Inviting Wire', slug: org.slug });
    assert.equal(typeof mine.public_organization_data.has_image, 'boolean');

    const accepted = await ok(browser.post(`/v1/me/organization_invitations/${inv.id}/accept`, {}));
    assert.equal(accepted.json.response.status, 'accepted');
    const s = accepted.json.client.sessions.find(x => x.id === browser.sessionId);
    assert.ok(s.user.organization_memberships.some(m => m.organization.id === org.id && m.role === 'org:admin'));
    assert.equal(await roleOf(org, carol), 'org:admin');
    assert.equal((await ctx.clerk.organizations.getOrganizationInvitation({ organizationId: org.id, invitationId: inv.id })).status, 'accepted');
    const after = await ok(browser.get('/v1/me/organization_invitations', { query: { status: 'pending' } }));
    assert.equal(after.json.response.total_count, 0);
    // Accepting again, or someone else's invitation, is refused.
    const again = await browser.post(`/v1/me/organization_invitations/${inv.id}/accept`, {});
    assert.ok(again.status === 400 || again.status === 404, again.text);
    const theirs = (await ctx.clerk.organizations.getOrganizationInvitationList({ organizationId: org.id, status: ['pending'] })).data[0];
    const notMine = await browser.post(`/v1/me/organization_invitations/${theirs.id}/accept`, {});
    assert.ok(notMine.status === 404 || notMine.status === 403, notMine.text);
    assert.equal((await ctx.clerk.organizations.getOrganizationInvitation({ organizationId: org.id, invitationId: theirs.id })).status,
      'pending');
  });

  test('user.getOrganizationSuggestions: an empty page', async () => {
    const res = await ok(w.browser.get('/v1/me/organization_suggestions', { query: { status: ['pending', 'accepted'], limit: 10, offset: 0 } }));
    assert.deepEqual(res.json, { response: { data: [], total_count: 0 }, client: null });
  });
});

describe('destroy', () => {
  test('org.destroy: {object, id, deleted} and a client without it; gone from the Backend API', async () => {
    const org = await createOrg();
    const res = await ok(w.browser.delete(base(org)));
    assert.equal(res.json.response.object, 'organization');
    assert.equal(res.json.response.id, org.id);
    assert.equal(res.json.response.deleted, true);
    assert.ok(!membershipsOf(res.json.client).some(m => m.organization.id === org.id));
    await assert.rejects(bapiOrg(org.id), err => err.status === 404);
    assertFapiError(await w.browser.get(base(org)), 404, 'organization_not_found_or_unauthorized');
  });

  test('admin_delete_enabled false: 403 organization_admin_delete_not_enabled, the organization stays', async () => {
    const org = await createOrg();
    await ctx.clerk.organizations.updateOrganization(org.id, { adminDeleteEnabled: false });
    assertFapiError(await w.browser.delete(base(org)), 403, 'organization_admin_delete_not_enabled');
    assert.equal((await bapiOrg(org.id)).id, org.id);
  });
});
