// Organization invitations through the real SDK (organizations.*OrganizationInvitation*,
// users.getOrganizationInvitationList), and raw HTTP where the SDK has no method
// (GET /v1/organization_invitations, GET …/invitations/pending) or cannot send the request.
// Issue 14, item 1: the Backend API. Email delivery, tickets' cryptography and acceptance (FAPI and
// the service operation) are tested elsewhere.
//
// Expiry: an invitation lives at least one day (expires_in_days is 1–365) and nothing in the API
// moves its clock, so no test here watches one turn `expired`; `expires_at` itself is checked, and
// the expired status filter is checked to answer (nothing, here).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertClerkError, assertSdkError, useOrgd } from '../lib/suite.js';

const ctx = useOrgd();
const DAY = 24 * 60 * 60 * 1000;
const MISSING_ORG = 'org_0000000000000000000000000000';
const MISSING_USER = 'user_0000000000000000000000000000';
const MISSING_INVITATION = `orginv_${'0'.repeat(27)}`;

let counter = 0;
const next = () => ++counter;
const address = (tag = 'guest') => `${tag}${next()}@invites.example.com`;
const newUser = (fields = {}) => ctx.clerk.users.createUser({ emailAddress: [address('user')], ...fields });
// Unlimited seats unless a test is about the limit: the default of 5 would cap the lists below.
const newOrg = (fields = {}) =>
  ctx.clerk.organizations.createOrganization({ name: `Invites Org ${next()}`, maxAllowedMemberships: 0, ...fields });
// An organization whose creator is its one admin member, who may invite.
async function orgWithAdmin(fields = {}) {
  const admin = await newUser({ firstName: 'Ada', lastName: 'Admin' });
  const org = await newOrg({ createdBy: admin.id, ...fields });
  return { org, admin };
}
const add = (org, user, role = 'org:member') =>
  ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: user.id, role });
const invite = (org, params = {}) => ctx.clerk.organizations.createOrganizationInvitation({
  organizationId: org.id, emailAddress: address(), role: 'org:member', ...params,
});
const item = (fields = {}) => ({ emailAddress: address('bulk'), role: 'org:member', ...fields });
const bulk = (org, items) => ctx.clerk.organizations.createOrganizationInvitationBulk(org.id, items);
const revoke = (org, invitation, params = {}) => ctx.clerk.organizations.revokeOrganizationInvitation({
  organizationId: org.id, invitationId: invitation.id, ...params,
});
const getInvitation = (org, invitation) =>
  ctx.clerk.organizations.getOrganizationInvitation({ organizationId: org.id, invitationId: invitation.id });
const list = (org, params = {}) =>
  ctx.clerk.organizations.getOrganizationInvitationList({ organizationId: org.id, ...params });
const path = org => `/v1/organizations/${org.id}/invitations`;
const emails = page => page.data.map(i => i.emailAddress);
const ids = page => page.data.map(i => i.id);

// pending_invitations_count as GET /v1/organizations/{id} shows it. The contract makes the field
// optional and BEHAVIOR §7.15 does not say when Clerk sends it. Decision: orgd sends it with
// members_count, when include_members_count=true (Appendix A shows the two side by side); a plain
// read of an organization stays one indexed lookup.
async function pendingCount(org) {
  const res = await ctx.raw('GET', `/v1/organizations/${org.id}?include_members_count=true`);
  assert.equal(res.status, 200, res.text);
  assert.ok(Number.isInteger(res.json.pending_invitations_count), `no pending_invitations_count: ${res.text}`);
  return res.json.pending_invitations_count;
}

// What a refused request must leave alone: every invitation of the organization (all statuses),
// its pending count and its members.
async function state(org) {
  const invitations = await ctx.raw('GET', `${path(org)}?limit=500`);
  assert.equal(invitations.status, 200, invitations.text);
  const members = await ctx.raw('GET', `/v1/organizations/${org.id}/memberships?limit=500`);
  assert.equal(members.status, 200, members.text);
  return { invitations: invitations.json, pending: await pendingCount(org), members: members.json.data.map(m => m.id) };
}
async function refusedRaw(org, request, status, code, paramName) {
  const before = await state(org);
  const res = await request();
  assertClerkError(res, status, code, paramName);
  assert.deepEqual(await state(org), before, 'a refused request changed stored data');
  return res;
}
async function refusedSdk(org, call, status, code) {
  const before = await state(org);
  await assertSdkError(call(), status, code);
  assert.deepEqual(await state(org), before, 'a refused request changed stored data');
}
// Every invitation of the instance, for refusals aimed at an organization that does not exist.
async function instanceInvitations() {
  const res = await ctx.raw('GET', '/v1/organization_invitations?limit=500');
  assert.equal(res.status, 200, res.text);
  return res.json;
}

describe('createOrganizationInvitation', () => {
  test('answers a pending invitation in Clerk’s shape, with the address lowercased', async () => {
    const { org, admin } = await orgWithAdmin();
    const before = Date.now();
    const inv = await ctx.clerk.organizations.createOrganizationInvitation({
      organizationId: org.id, emailAddress: 'Jane.Doe@Shape.Example.COM', role: 'org:member', inviterUserId: admin.id,
      publicMetadata: { team: { name: 'core' } }, privateMetadata: { source: 'crm' },
    });
    const after = Date.now();
    assert.match(inv.id, /^orginv_[0-9A-Za-z]{27}$/);
    assert.equal(inv.emailAddress, 'jane.doe@shape.example.com');
    assert.equal(inv.role, 'org:member');
    assert.equal(inv.roleName, 'Member');
    assert.equal(inv.organizationId, org.id);
    assert.equal(inv.status, 'pending');
    assert.deepEqual(inv.publicMetadata, { team: { name: 'core' } });
    assert.deepEqual(inv.privateMetadata, { source: 'crm' });
    // Milliseconds since the epoch (BEHAVIOR §1.3).
    assert.ok(inv.createdAt >= before - 1000 && inv.createdAt <= after + 1000, `created_at ${inv.createdAt}`);
    assert.equal(inv.updatedAt, inv.createdAt);
    assert.equal(inv.expiresAt - inv.createdAt, 30 * DAY);  // expires_in_days defaults to 30
    // Neither redirect_url nor a configured accept page: there is nothing to link to, and the
    // contract lets `url` be null (orgd's decision; Clerk would link to its hosted pages).
    assert.equal(inv.url, null);
    const raw = inv.raw;
    assert.equal(raw.object, 'organization_invitation');
    assert.equal(raw.inviter_id, admin.id);
    assert.deepEqual(raw.public_inviter_data, {
      user_id: admin.id, first_name: 'Ada', last_name: 'Admin', image_url: admin.imageUrl, has_image: false,
      identifier: admin.primaryEmailAddress.emailAddress,
    });
    // Read back: the same invitation, the organization counts it, the members do not change.
    assert.deepEqual((await getInvitation(org, inv)).raw, raw);
    assert.equal(await pendingCount(org), 1);
    const members = await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id });
    assert.deepEqual(members.data.map(m => m.publicUserData.userId), [admin.id]);
  });

  test('without an inviter, inviter_id and public_inviter_data are null; null metadata is {}', async () => {
    const org = await newOrg();
    const res = await ctx.raw('POST', path(org), {
      json: { email_address: address(), role: 'org:admin', inviter_user_id: null, public_metadata: null,
        private_metadata: null, redirect_url: null, expires_in_days: null, notify: null },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.inviter_id, null);
    assert.equal(res.json.public_inviter_data, null);
    assert.equal(res.json.role, 'org:admin');
    assert.equal(res.json.role_name, 'Admin');
    // The request fields are nullable in the contract, the response's metadata is not.
    assert.deepEqual(res.json.public_metadata, {});
    assert.deepEqual(res.json.private_metadata, {});
    assert.equal(res.json.expires_at - res.json.created_at, 30 * DAY);  // null means the default
    const sdk = await invite(org);
    assert.equal(sdk.raw.inviter_id, null);
    assert.deepEqual(sdk.publicMetadata, {});
  });

  test('notify is accepted either way (the email itself is tested with the SMTP server)', async () => {
    const org = await newOrg();
    // The SDK's types have no `notify`, but it sends any key it is given, snake-cased.
    assert.equal((await invite(org, { notify: false })).status, 'pending');
    assert.equal((await invite(org, { notify: true })).status, 'pending');
    assert.equal(await pendingCount(org), 2);
  });

  test('expires_in_days is honored from 1 to 365; 0, 366 and non-integers are 422', async () => {
    const org = await newOrg();
    for (const days of [1, 7, 365]) {
      const inv = await invite(org, { expiresInDays: days });
      assert.equal(inv.expiresAt - inv.createdAt, days * DAY, `expires_in_days ${days}`);
      assert.equal((await getInvitation(org, inv)).expiresAt, inv.expiresAt);
    }
    // The SDK keeps a 0 in a JSON body (it drops falsy values only from query strings).
    await refusedSdk(org, () => invite(org, { expiresInDays: 0 }), 422, 'form_param_value_invalid');
    // Out of range is an invalid value (BEHAVIOR §1.8), as orgd answers limit=0 and limit=501.
    for (const value of [0, 366, -1, 1000, '5', 1.5, true]) {
      await refusedRaw(org, () => ctx.raw('POST', path(org), {
        json: { email_address: address(), role: 'org:member', expires_in_days: value },
      }), 422, 'form_param_value_invalid', 'expires_in_days');
    }
    // Integer fields take only integer literals (README conventions), so 1e1 is not 10.
    await refusedRaw(org, () => ctx.raw('POST', path(org), {
      body: `{"email_address":"${address()}","role":"org:member","expires_in_days":1e1}`,
      headers: { 'content-type': 'application/json' },
    }), 422, 'form_param_value_invalid', 'expires_in_days');
  });

  test('inviter_user_id must be an admin member of the organization: 403 not_an_admin_in_organization', async () => {
    const { org, admin } = await orgWithAdmin();
    const member = await newUser();
    await add(org, member);
    const outsider = await newUser();
    const elsewhere = await orgWithAdmin();
    // BEHAVIOR §7.18 names the candidates without choosing; the contract gives create a 403
    // AuthorizationInvalid; Clerk's older API reference shows 403 not_an_admin_in_organization for
    // exactly this ("Current user is not an administrator in the organization").
    await refusedSdk(org, () => invite(org, { inviterUserId: member.id }), 403, 'not_an_admin_in_organization');
    await refusedSdk(org, () => invite(org, { inviterUserId: outsider.id }), 403, 'not_an_admin_in_organization');
    await refusedSdk(org, () => invite(org, { inviterUserId: elsewhere.admin.id }), 403, 'not_an_admin_in_organization');
    // An ID that names no user is 404, as every unknown ID in orgd's Backend API (decision).
    await refusedSdk(org, () => invite(org, { inviterUserId: MISSING_USER }), 404, 'resource_not_found');
    const ok = await invite(org, { inviterUserId: admin.id });
    assert.equal(ok.raw.inviter_id, admin.id);
  });

  test('an invalid email address is 422 form_param_format_invalid; missing fields are form_param_missing', async () => {
    const org = await newOrg();
    await refusedSdk(org, () => invite(org, { emailAddress: 'not-an-email' }), 422, 'form_param_format_invalid');
    for (const bad of ['not-an-email', 'a@', '@example.com', 'two words@example.com', 'a@b@example.com']) {
      await refusedRaw(org, () => ctx.raw('POST', path(org), { json: { email_address: bad, role: 'org:member' } }),
        422, 'form_param_format_invalid', 'email_address');
    }
    await refusedRaw(org, () => ctx.raw('POST', path(org), { json: { role: 'org:member' } }),
      422, 'form_param_missing', 'email_address');
    // An empty string is a missing value, as an empty organization name is (decision).
    await refusedRaw(org, () => ctx.raw('POST', path(org), { json: { email_address: '', role: 'org:member' } }),
      422, 'form_param_missing', 'email_address');
    await refusedRaw(org, () => ctx.raw('POST', path(org), { json: { email_address: address() } }),
      422, 'form_param_missing', 'role');
  });

  test('unknown fields and wrong JSON types are 422', async () => {
    const org = await newOrg();
    const base = () => ({ email_address: address(), role: 'org:member' });
    await refusedRaw(org, () => ctx.raw('POST', path(org), { json: { ...base(), colour: 'red' } }),
      422, 'form_param_unknown', 'colour');
    for (const [field, value] of [
      ['email_address', 42], ['email_address', ['a@b.example.com']], ['role', ['org:member']], ['notify', 'yes'],
      ['redirect_url', 5], ['inviter_user_id', 7], ['public_metadata', 'plan=pro'], ['private_metadata', [1]],
    ]) {
      await refusedRaw(org, () => ctx.raw('POST', path(org), { json: { ...base(), [field]: value } }),
        422, 'form_param_value_invalid', field);
    }
    await refusedRaw(org, () => ctx.raw('POST', path(org), {
      body: '[{"email_address":"x@y.example.com","role":"org:member"}]', headers: { 'content-type': 'application/json' },
    }), 400, 'request_body_invalid');
  });

  test('an unknown role is 404 resource_not_found', async () => {
    const org = await newOrg();
    await refusedSdk(org, () => invite(org, { role: 'org:owner' }), 404, 'resource_not_found');
    await refusedRaw(org, () => ctx.raw('POST', path(org), { json: { email_address: address(), role: 'admin' } }),
      404, 'resource_not_found');
  });

  test('a custom role shows its name; a pending invitation holds it against deletion', async () => {
    const org = await newOrg();
    const role = await ctx.clerk.organizationRoles.createOrganizationRole({
      name: 'Billing Manager', key: 'org:billing_manager', permissions: [],
    });
    const inv = await invite(org, { role: 'org:billing_manager' });
    assert.equal(inv.role, 'org:billing_manager');
    assert.equal(inv.roleName, 'Billing Manager');
    // BEHAVIOR §2.13: a role present in pending invitations cannot be deleted.
    await assertSdkError(ctx.clerk.organizationRoles.deleteOrganizationRole(role.id), 422,
      'organization_role_exists_in_invitations');
    assert.equal((await ctx.clerk.organizationRoles.getOrganizationRole(role.id)).key, 'org:billing_manager');
    // Only pending ones hold it: once revoked, the role may go, and the revoked invitation still
    // reads (role_name stays a string, as the contract requires).
    await revoke(org, inv);
    await ctx.clerk.organizationRoles.deleteOrganizationRole(role.id);
    const read = await getInvitation(org, inv);
    assert.equal(read.role, 'org:billing_manager');
    assert.equal(typeof read.roleName, 'string');
  });

  test('an existing member is 400 already_a_member_in_organization, by any of their addresses, in any case', async () => {
    const org = await newOrg();
    const user = await ctx.clerk.users.createUser({ emailAddress: [address('first'), address('second')] });
    await add(org, user);
    const [primary, secondary] = user.emailAddresses.map(e => e.emailAddress);
    await refusedSdk(org, () => invite(org, { emailAddress: primary }), 400, 'already_a_member_in_organization');
    await refusedSdk(org, () => invite(org, { emailAddress: primary.toUpperCase() }), 400,
      'already_a_member_in_organization');
    // Clerk's users own all their verified addresses, so the secondary one names the same member
    // (decision: BEHAVIOR says "already a member" without saying by which address).
    await refusedSdk(org, () => invite(org, { emailAddress: secondary }), 400, 'already_a_member_in_organization');
    // A member of another organization may be invited here.
    const other = await newOrg();
    assert.equal((await invite(other, { emailAddress: primary })).status, 'pending');
  });

  test('a second pending invitation to one address is 400 organization_invitation_not_unique', async () => {
    const org = await newOrg();
    const email = address('twice');
    const first = await invite(org, { emailAddress: email });
    await refusedSdk(org, () => invite(org, { emailAddress: email }), 400, 'organization_invitation_not_unique');
    // Addresses are compared as stored, lowercased.
    await refusedSdk(org, () => invite(org, { emailAddress: email.toUpperCase(), role: 'org:admin' }), 400,
      'organization_invitation_not_unique');
    // Another organization may invite the same address.
    assert.equal((await invite(await newOrg(), { emailAddress: email })).status, 'pending');
    // Once the first is revoked, the address may be invited again.
    await revoke(org, first);
    const again = await invite(org, { emailAddress: email });
    assert.notEqual(again.id, first.id);
    assert.equal(again.status, 'pending');
    assert.equal((await getInvitation(org, first)).status, 'revoked');
  });

  test('an unknown organization is 404 resource_not_found', async () => {
    const before = await instanceInvitations();
    await assertSdkError(invite({ id: MISSING_ORG }), 404, 'resource_not_found');
    assert.deepEqual(await instanceInvitations(), before);
  });

  test('metadata over 8 KB is 422 form_param_exceeds_allowed_size; exactly 8 KB is stored', async () => {
    const org = await newOrg();
    // {"pad":"…"} is 10 bytes plus the padding: 8182 characters make 8192 bytes of compact JSON.
    for (const field of ['public_metadata', 'private_metadata']) {
      await refusedRaw(org, () => ctx.raw('POST', path(org), {
        json: { email_address: address(), role: 'org:member', [field]: { pad: 'x'.repeat(8183) } },
      }), 422, 'form_param_exceeds_allowed_size', field);
      const fits = await ctx.raw('POST', path(org), {
        json: { email_address: address(), role: 'org:member', [field]: { pad: 'x'.repeat(8182) } },
      });
      assert.equal(fits.status, 200, fits.text);
      assert.equal(fits.json[field].pad.length, 8182);
    }
    await refusedSdk(org, () => invite(org, { publicMetadata: { pad: 'x'.repeat(9000) } }), 422,
      'form_param_exceeds_allowed_size');
  });

  test('redirect_url: url is the redirect with __clerk_ticket and __clerk_status appended', async () => {
    const org = await newOrg();
    const redirect = 'https://app.example.com/accept-invitation';
    const ticketOf = inv => new URL(inv.url).searchParams.get('__clerk_ticket');
    const statusOf = inv => new URL(inv.url).searchParams.get('__clerk_status');
    // Nobody has this address: the invitee will sign up.
    const newcomer = await invite(org, { redirectUrl: redirect });
    assert.ok(newcomer.url.startsWith(`${redirect}?`), newcomer.url);
    assert.ok(ticketOf(newcomer)?.length >= 16, newcomer.url);
    assert.equal(statusOf(newcomer), 'sign_up');
    // A user has this address (in another case): they will sign in.
    const user = await newUser();
    const known = await invite(org, { emailAddress: user.primaryEmailAddress.emailAddress.toUpperCase(),
      redirectUrl: redirect });
    assert.equal(statusOf(known), 'sign_in');
    // A redirect with a query of its own keeps it; the ticket parameters follow it.
    const withQuery = await invite(org, { redirectUrl: 'https://app.example.com/join?from=email' });
    assert.ok(withQuery.url.startsWith('https://app.example.com/join?from=email&'), withQuery.url);
    assert.equal(new URL(withQuery.url).searchParams.get('from'), 'email');
    assert.equal(statusOf(withQuery), 'sign_up');
    // Each invitation has its own ticket; every read shows the same link.
    assert.equal(new Set([newcomer, known, withQuery].map(ticketOf)).size, 3);
    assert.equal((await getInvitation(org, newcomer)).url, newcomer.url);
    const listed = await list(org, { limit: 10 });
    assert.equal(listed.data.find(i => i.id === known.id).url, known.url);
    // A link that would run script when clicked is not a redirect (decision: the contract only says
    // "URL"; an email link to javascript: is never what an app means).
    await refusedRaw(org, () => ctx.raw('POST', path(org), {
      json: { email_address: address(), role: 'org:member', redirect_url: 'javascript:alert(1)' },
    }), 422, 'form_param_format_invalid', 'redirect_url');
  });
});

describe('pending_invitations_count', () => {
  test('equals the pending invitations after creates, revokes and a bulk', async () => {
    const { org, admin } = await orgWithAdmin();
    assert.equal(await pendingCount(org), 0);
    const a = await invite(org);
    await invite(org);
    assert.equal(await pendingCount(org), 2);
    await revoke(org, a, { requestingUserId: admin.id });
    assert.equal(await pendingCount(org), 1);
    await bulk(org, [item(), item(), item()]);
    assert.equal(await pendingCount(org), 4);
    // A refused bulk adds nothing.
    await assertSdkError(bulk(org, [item(), item({ emailAddress: 'broken' })]), 422, 'form_param_format_invalid');
    assert.equal(await pendingCount(org), 4);
    // It sits beside members_count, and only there; the invitee is not a member yet.
    const counted = await ctx.raw('GET', `/v1/organizations/${org.id}?include_members_count=true`);
    assert.equal(counted.json.members_count, 1);
    assert.equal(counted.json.pending_invitations_count, 4);
    const plain = await ctx.raw('GET', `/v1/organizations/${org.id}`);
    assert.equal(plain.json.pending_invitations_count, undefined);
    assert.equal((await list(org, { status: ['pending'] })).totalCount, 4);
  });
});

describe('the membership limit', () => {
  test('max_allowed_memberships counts members plus pending invitations; a revoke frees a seat', async () => {
    const { org, admin } = await orgWithAdmin();
    await ctx.clerk.organizations.updateOrganization(org.id, { maxAllowedMemberships: 3 });
    const a = await invite(org);
    await invite(org);  // 1 member + 2 pending = 3
    await refusedSdk(org, () => invite(org), 403, 'organization_membership_quota_exceeded');
    await refusedSdk(org, () => bulk(org, [item()]), 403, 'organization_membership_quota_exceeded');
    // Pending invitations hold their seats against direct adds too (ERR text: "including
    // outstanding invitations").
    const user = await newUser();
    await refusedSdk(org, () => add(org, user), 403, 'organization_membership_quota_exceeded');
    // Who the address is still comes first, as for a member added twice (README decision).
    await refusedSdk(org, () => invite(org, { emailAddress: a.emailAddress }), 400, 'organization_invitation_not_unique');
    await refusedSdk(org, () => invite(org, { emailAddress: admin.primaryEmailAddress.emailAddress }), 400,
      'already_a_member_in_organization');
    // A revoked invitation gives its seat back.
    await revoke(org, a);
    assert.equal((await invite(org)).status, 'pending');
    await refusedSdk(org, () => invite(org), 403, 'organization_membership_quota_exceeded');
    // Lowering the limit below the count cancels nothing and refuses new invitations.
    await ctx.clerk.organizations.updateOrganization(org.id, { maxAllowedMemberships: 2 });
    assert.equal(await pendingCount(org), 2);
    await refusedSdk(org, () => invite(org), 403, 'organization_membership_quota_exceeded');
    // 0 means unlimited.
    await ctx.clerk.organizations.updateOrganization(org.id, { maxAllowedMemberships: 0 });
    for (let i = 0; i < 6; i++) await invite(org);
    assert.equal(await pendingCount(org), 8);
  });

  test('a bulk that does not fit in the free seats creates none', async () => {
    const { org } = await orgWithAdmin();
    await ctx.clerk.organizations.updateOrganization(org.id, { maxAllowedMemberships: 3 });  // 2 free seats
    await refusedSdk(org, () => bulk(org, [item(), item(), item()]), 403, 'organization_membership_quota_exceeded');
    const fits = await bulk(org, [item(), item()]);
    assert.equal(fits.totalCount, 2);
    assert.equal(await pendingCount(org), 2);
  });

  test('concurrent creates never pass the limit; concurrent revokes of one invitation: one wins', async () => {
    const { org } = await orgWithAdmin();
    await ctx.clerk.organizations.updateOrganization(org.id, { maxAllowedMemberships: 6 });  // 5 free seats
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => invite(org)));
    const won = results.filter(r => r.status === 'fulfilled');
    assert.equal(won.length, 5, results.map(r => r.status).join());
    for (const r of results.filter(r => r.status === 'rejected')) {
      assert.equal(r.reason.status, 403);
      assert.equal(r.reason.errors[0].code, 'organization_membership_quota_exceeded');
    }
    assert.equal(await pendingCount(org), 5);
    assert.equal((await list(org, { status: ['pending'] })).totalCount, 5);

    const open = await newOrg();
    const email = address('race');
    const same = await Promise.allSettled(Array.from({ length: 8 }, () => invite(open, { emailAddress: email })));
    assert.equal(same.filter(r => r.status === 'fulfilled').length, 1);
    for (const r of same.filter(r => r.status === 'rejected')) {
      assert.equal(r.reason.errors[0].code, 'organization_invitation_not_unique');
    }
    const [winner] = same.filter(r => r.status === 'fulfilled').map(r => r.value);
    const revokes = await Promise.allSettled(Array.from({ length: 8 }, () => revoke(open, winner)));
    assert.equal(revokes.filter(r => r.status === 'fulfilled').length, 1);
    for (const r of revokes.filter(r => r.status === 'rejected')) {
      assert.equal(r.reason.errors[0].code, 'organization_invitation_not_pending');
    }
    assert.equal(await pendingCount(open), 0);

    // Creates and revokes interleaved: the count is the pending list's.
    const mixed = await newOrg();
    const seed = await Promise.all(Array.from({ length: 6 }, () => invite(mixed)));
    await Promise.all([...seed.slice(0, 3).map(inv => revoke(mixed, inv)), ...Array.from({ length: 4 }, () => invite(mixed))]);
    assert.equal(await pendingCount(mixed), 7);
    assert.equal((await list(mixed, { status: ['pending'] })).totalCount, 7);
  });
});

describe('createOrganizationInvitationBulk', () => {
  test('creates up to 10 invitations, each with its own fields, and answers {data, total_count}', async () => {
    const { org, admin } = await orgWithAdmin();
    const items = Array.from({ length: 10 }, (_, i) => item({
      role: i === 0 ? 'org:admin' : 'org:member',
      inviterUserId: i % 2 === 0 ? admin.id : undefined,
      publicMetadata: { n: i },
      privateMetadata: { secret: i },
      redirectUrl: i === 1 ? 'https://app.example.com/welcome' : undefined,
      expiresInDays: i === 2 ? 7 : undefined,
    }));
    items[3].emailAddress = items[3].emailAddress.toUpperCase();
    const res = await bulk(org, items);
    // BEHAVIOR §1.5: the 2026-05-12 SDK reads a paginated list here, not an array; total_count is the
    // number created by this call (decision: the contract says "total number of invitations").
    assert.equal(res.totalCount, 10);
    assert.equal(res.data.length, 10);
    // In the order asked, so a caller can match results to inputs (decision).
    assert.deepEqual(emails(res), items.map(i => i.emailAddress.toLowerCase()));
    assert.equal(new Set(ids(res)).size, 10);
    for (const [i, inv] of res.data.entries()) {
      assert.match(inv.id, /^orginv_[0-9A-Za-z]{27}$/);
      assert.equal(inv.status, 'pending');
      assert.equal(inv.organizationId, org.id);
      assert.deepEqual(inv.publicMetadata, { n: i });
      assert.deepEqual(inv.privateMetadata, { secret: i });
      assert.equal(inv.raw.inviter_id, i % 2 === 0 ? admin.id : null);
    }
    assert.equal(res.data[0].role, 'org:admin');
    assert.equal(res.data[0].roleName, 'Admin');
    assert.ok(res.data[1].url.startsWith('https://app.example.com/welcome?'), res.data[1].url);
    assert.equal(res.data[2].expiresAt - res.data[2].createdAt, 7 * DAY);
    assert.equal(res.data[3].expiresAt - res.data[3].createdAt, 30 * DAY);
    assert.equal(await pendingCount(org), 10);
    assert.deepEqual((await getInvitation(org, res.data[5])).raw, res.data[5].raw);
    const one = await bulk(org, [item()]);
    assert.equal(one.totalCount, 1);
    assert.equal(one.data.length, 1);
  });

  test('all or nothing: one bad item in the batch creates none', async () => {
    const { org } = await orgWithAdmin();
    const member = await newUser();
    await add(org, member);
    const taken = await invite(org);
    const twice = address('dup');
    const batch = bad => [item(), bad, item()];
    await refusedSdk(org, () => bulk(org, batch(item({ emailAddress: 'no-at-sign' }))), 422, 'form_param_format_invalid');
    await refusedSdk(org, () => bulk(org, batch(item({ role: 'org:owner' }))), 404, 'resource_not_found');
    await refusedSdk(org, () => bulk(org, batch(item({ emailAddress: member.primaryEmailAddress.emailAddress }))), 400,
      'already_a_member_in_organization');
    await refusedSdk(org, () => bulk(org, batch(item({ emailAddress: taken.emailAddress }))), 400,
      'organization_invitation_not_unique');
    // The same address twice in one batch is a duplicate too (decision: the second would be a
    // second pending invitation to one address).
    await refusedSdk(org, () => bulk(org, [item({ emailAddress: twice }), item({ emailAddress: twice.toUpperCase() })]),
      400, 'organization_invitation_not_unique');
    await refusedSdk(org, () => bulk(org, batch(item({ inviterUserId: member.id }))), 403, 'not_an_admin_in_organization');
    await refusedSdk(org, () => bulk(org, batch(item({ expiresInDays: 366 }))), 422, 'form_param_value_invalid');
    await refusedSdk(org, () => bulk(org, batch(item({ publicMetadata: { pad: 'x'.repeat(9000) } }))), 422,
      'form_param_exceeds_allowed_size');
    await refusedSdk(org, () => bulk(org, batch(item({ colour: 'red' }))), 422, 'form_param_unknown');
    await refusedSdk(org, () => bulk(org, batch({ role: 'org:member' })), 422, 'form_param_missing');
    // Which item was wrong is not asserted through param_name: Clerk's documents do not say how a
    // bulk error names it.
  });

  test('0 items and 11 items are 422; a body that is not an array of objects is 400', async () => {
    const org = await newOrg();
    const eleven = Array.from({ length: 11 }, () => item());
    // The contract's maxItems is 10. orgd's code for too many values in an array, as for more than
    // 100 organization_id filters (BEHAVIOR mentions 400 bulk_size_exceeded only as a possibility).
    await refusedSdk(org, () => bulk(org, eleven), 422, 'form_param_array_size_exceeded');
    await refusedRaw(org, () => ctx.raw('POST', `${path(org)}/bulk`, { json: [] }), 422, 'form_param_missing');
    // The SDK sends no body at all for an empty array (it sends a body only when
    // Object.keys(params).length > 0), so an empty body here means [] and gets the same answer.
    await refusedSdk(org, () => bulk(org, []), 422, 'form_param_missing');
    await refusedRaw(org, () => ctx.raw('POST', `${path(org)}/bulk`, {
      json: { email_address: address(), role: 'org:member' },
    }), 400, 'request_body_invalid');
    // An item that is not an object is a malformed body, as a body that is not an object is on
    // every other POST (decision).
    await refusedRaw(org, () => ctx.raw('POST', `${path(org)}/bulk`, { json: [address()] }), 400, 'request_body_invalid');
    await refusedRaw(org, () => ctx.raw('POST', `${path(org)}/bulk`, {
      body: '[{"email_address":', headers: { 'content-type': 'application/json' },
    }), 400, 'request_body_invalid');
    const ten = await bulk(org, Array.from({ length: 10 }, () => item()));
    assert.equal(ten.totalCount, 10);
  });
});

describe('getOrganizationInvitationList', () => {
  test('newest first with total_count; status, email_address, order_by, limit and offset', async () => {
    const org = await newOrg();
    const n = next();
    const [carol, alice, bob] = ['carol', 'alice', 'bob'].map(name => `${name}${n}@list.example.com`);
    for (const email of [carol, alice, bob]) await invite(org, { emailAddress: email });
    const all = await list(org);
    assert.equal(all.totalCount, 3);
    assert.deepEqual(emails(all), [bob, alice, carol]);
    await revoke(org, all.data[1]);

    assert.deepEqual(emails(await list(org, { status: ['pending'] })), [bob, carol]);
    const revoked = await list(org, { status: ['revoked'] });
    assert.deepEqual(emails(revoked), [alice]);
    assert.equal(revoked.data[0].status, 'revoked');
    assert.equal((await list(org, { status: ['pending', 'revoked'] })).totalCount, 3);
    // Nothing is accepted through the Backend API and nothing expires within a test.
    for (const status of ['accepted', 'expired']) {
      const none = await list(org, { status: [status] });
      assert.equal(none.totalCount, 0);
      assert.deepEqual(none.data, []);
    }

    assert.deepEqual(emails(await list(org, { orderBy: 'email_address' })), [alice, bob, carol]);
    assert.deepEqual(emails(await list(org, { orderBy: '+email_address' })), [alice, bob, carol]);
    assert.deepEqual(emails(await list(org, { orderBy: '-email_address' })), [carol, bob, alice]);
    assert.deepEqual(emails(await list(org, { orderBy: '+created_at' })), [carol, alice, bob]);
    assert.deepEqual(emails(await list(org, { orderBy: '-created_at' })), [bob, alice, carol]);

    // email_address names one address, compared as stored (lowercased), not a part of one (decision:
    // the contract says "inviting the specified email address"; instance-wide `query` is the partial one).
    assert.deepEqual(emails(await list(org, { emailAddress: bob.toUpperCase() })), [bob]);
    assert.equal((await list(org, { emailAddress: 'bob' })).totalCount, 0);
    assert.deepEqual(emails(await list(org, { emailAddress: alice, status: ['pending'] })), []);

    const paged = await list(org, { limit: 1, offset: 1 });
    assert.deepEqual(emails(paged), [alice]);
    assert.equal(paged.totalCount, 3);
    const beyond = await list(org, { limit: 2, offset: 5 });
    assert.deepEqual(beyond.data, []);
    assert.equal(beyond.totalCount, 3);

    for (const [query, param] of [
      ['order_by=role', 'order_by'], ['order_by=-status', 'order_by'], ['status=bogus', 'status'],
      ['status=pending&status=completed', 'status'], ['limit=0', 'limit'], ['limit=501', 'limit'],
      ['limit=x', 'limit'], ['offset=-1', 'offset'],
    ]) {
      assertClerkError(await ctx.raw('GET', `${path(org)}?${query}`), 422, 'form_param_value_invalid', param);
    }
    assert.equal((await ctx.raw('GET', `${path(org)}?limit=500`)).status, 200);
  });

  test('GET …/invitations/pending lists only pending invitations, newest first, paged', async () => {
    const org = await newOrg();
    const made = [];
    for (let i = 0; i < 4; i++) made.push(await invite(org));
    await revoke(org, made[1]);
    const res = await ctx.raw('GET', `${path(org)}/pending`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.total_count, 3);
    assert.deepEqual(res.json.data.map(i => i.id), [made[3].id, made[2].id, made[0].id]);
    assert.ok(res.json.data.every(i => i.status === 'pending' && i.object === 'organization_invitation'));
    const paged = await ctx.raw('GET', `${path(org)}/pending?limit=1&offset=1`);
    assert.deepEqual(paged.json.data.map(i => i.id), [made[2].id]);
    assert.equal(paged.json.total_count, 3);
    assertClerkError(await ctx.raw('GET', `${path(org)}/pending?limit=0`), 422, 'form_param_value_invalid', 'limit');
  });

  test('getOrganizationInvitation: 404 for an unknown ID and for another organization’s invitation', async () => {
    const org = await newOrg();
    const other = await newOrg();
    const mine = await invite(org, { publicMetadata: { a: 1 } });
    const theirs = await invite(other);
    assert.deepEqual((await getInvitation(org, mine)).raw, mine.raw);
    await assertSdkError(getInvitation(org, { id: MISSING_INVITATION }), 404, 'resource_not_found');
    await assertSdkError(getInvitation(org, theirs), 404, 'resource_not_found');
    await assertSdkError(getInvitation(org, { id: 'nope' }), 404, 'resource_not_found');
    assert.equal((await getInvitation(other, theirs)).id, theirs.id);
  });

  test('expires_at is the same wherever the invitation is shown', async () => {
    const admin = await newUser();
    const org = await newOrg({ createdBy: admin.id });
    const user = await newUser();
    const inv = await invite(org, { emailAddress: user.primaryEmailAddress.emailAddress, expiresInDays: 3 });
    assert.equal(inv.expiresAt - inv.createdAt, 3 * DAY);
    assert.equal((await getInvitation(org, inv)).expiresAt, inv.expiresAt);
    assert.equal((await list(org)).data[0].expiresAt, inv.expiresAt);
    assert.equal((await ctx.raw('GET', `${path(org)}/pending`)).json.data[0].expires_at, inv.expiresAt);
    assert.equal((await ctx.clerk.users.getOrganizationInvitationList({ userId: user.id })).data[0].expiresAt,
      inv.expiresAt);
    const instance = await instanceInvitations();
    assert.equal(instance.data.find(i => i.id === inv.id).expires_at, inv.expiresAt);
    // Revoking does not move it.
    assert.equal((await revoke(org, inv)).expiresAt, inv.expiresAt);
  });
});

describe('revokeOrganizationInvitation', () => {
  test('revokes a pending invitation; requesting_user_id, when given, must be an admin', async () => {
    const { org, admin } = await orgWithAdmin();
    const member = await newUser();
    await add(org, member);
    const inv = await invite(org);
    await refusedSdk(org, () => revoke(org, inv, { requestingUserId: member.id }), 403, 'not_an_admin_in_organization');
    const outsider = await newUser();
    await refusedSdk(org, () => revoke(org, inv, { requestingUserId: outsider.id }), 403, 'not_an_admin_in_organization');
    await refusedSdk(org, () => revoke(org, inv, { requestingUserId: MISSING_USER }), 404, 'resource_not_found');
    const revoked = await revoke(org, inv, { requestingUserId: admin.id });
    assert.equal(revoked.id, inv.id);
    assert.equal(revoked.status, 'revoked');
    assert.equal(revoked.emailAddress, inv.emailAddress);
    assert.equal(revoked.createdAt, inv.createdAt);
    assert.ok(revoked.updatedAt >= inv.updatedAt);
    assert.equal((await getInvitation(org, inv)).status, 'revoked');
    assert.equal(await pendingCount(org), 0);
    // requesting_user_id is optional: the Backend API itself may revoke.
    const second = await invite(org);
    assert.equal((await revoke(org, second)).status, 'revoked');
    const third = await invite(org);
    const res = await ctx.raw('POST', `${path(org)}/${third.id}/revoke`, { json: { requesting_user_id: null } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'revoked');
  });

  test('revoking twice is 404 organization_invitation_not_pending and changes nothing', async () => {
    const org = await newOrg();
    const inv = await invite(org);
    await revoke(org, inv);
    // BEHAVIOR §3.3: only pending invitations can be revoked, otherwise 404 organization_invitation_not_pending.
    await refusedSdk(org, () => revoke(org, inv), 404, 'organization_invitation_not_pending');
    assert.equal((await getInvitation(org, inv)).status, 'revoked');
  });

  test('an unknown invitation, another organization’s invitation and unknown fields are refused', async () => {
    const org = await newOrg();
    const other = await newOrg();
    const theirs = await invite(other);
    const mine = await invite(org);
    await refusedSdk(org, () => revoke(org, { id: MISSING_INVITATION }), 404, 'resource_not_found');
    await refusedSdk(org, () => revoke(org, theirs), 404, 'resource_not_found');
    assert.equal((await getInvitation(other, theirs)).status, 'pending');
    await refusedRaw(org, () => ctx.raw('POST', `${path(org)}/${mine.id}/revoke`, { json: { reason: 'spam' } }),
      422, 'form_param_unknown', 'reason');
    await refusedRaw(org, () => ctx.raw('POST', `${path(org)}/${mine.id}/revoke`, { json: { requesting_user_id: 5 } }),
      422, 'form_param_value_invalid', 'requesting_user_id');
    assert.equal((await getInvitation(org, mine)).status, 'pending');
  });
});

describe('instance and user lists', () => {
  test('GET /v1/organization_invitations lists every organization’s invitations with public_organization_data', async () => {
    const marker = `inst${next()}`;
    const orgA = await newOrg({ name: `Instance A ${marker}` });
    const orgB = await newOrg({ name: `Instance B ${marker}` });
    const a1 = await invite(orgA, { emailAddress: `zed.${marker}@instance.example.com` });
    const b1 = await invite(orgB, { emailAddress: `amy.${marker}@instance.example.com` });
    const a2 = await invite(orgA, { emailAddress: `max.${marker}@instance.example.com` });
    await revoke(orgA, a1);
    const get = async query => {
      const res = await ctx.raw('GET', `/v1/organization_invitations?${query}`);
      assert.equal(res.status, 200, res.text);
      return res.json;
    };
    const everything = await get('limit=500');
    assert.ok(everything.total_count >= 3);
    const created = everything.data.map(i => i.created_at);
    assert.deepEqual(created, [...created].sort((x, y) => y - x), 'newest first by default');
    const seen = everything.data.find(i => i.id === b1.id);
    assert.equal(seen.organization_id, orgB.id);
    assert.deepEqual(seen.public_organization_data, {
      id: orgB.id, name: orgB.name, slug: orgB.slug, image_url: orgB.imageUrl, has_image: false,
    });
    assert.equal(seen.email_address, b1.emailAddress);

    // query matches a part of the address, ignoring case (decision: the contract says "based on their
    // email_address"; every other `query` in the Backend API is a partial match).
    const mine = await get(`query=${marker.toUpperCase()}`);
    assert.equal(mine.total_count, 3);
    assert.deepEqual(mine.data.map(i => i.id), [a2.id, b1.id, a1.id]);
    assert.deepEqual((await get(`query=${marker}&status=revoked`)).data.map(i => i.id), [a1.id]);
    assert.equal((await get(`query=${marker}&status=pending&status=revoked`)).total_count, 3);
    assert.deepEqual((await get(`query=${marker}&order_by=email_address`)).data.map(i => i.id), [b1.id, a2.id, a1.id]);
    assert.deepEqual((await get(`query=${marker}&order_by=%2Bcreated_at`)).data.map(i => i.id), [a1.id, b1.id, a2.id]);
    const paged = await get(`query=${marker}&limit=1&offset=1`);
    assert.deepEqual(paged.data.map(i => i.id), [b1.id]);
    assert.equal(paged.total_count, 3);
    for (const [query, param] of [['order_by=role', 'order_by'], ['status=bogus', 'status'], ['limit=0', 'limit']]) {
      assertClerkError(await ctx.raw('GET', `/v1/organization_invitations?${query}`), 422, 'form_param_value_invalid',
        param);
    }
  });

  test('users.getOrganizationInvitationList lists the invitations to any of the user’s addresses', async () => {
    const n = next();
    const user = await ctx.clerk.users.createUser({
      emailAddress: [`main${n}@person.example.com`, `alt${n}@person.example.com`],
    });
    const [orgA, orgB, orgC] = [await newOrg(), await newOrg(), await newOrg()];
    const i1 = await invite(orgA, { emailAddress: `main${n}@person.example.com` });
    const i2 = await invite(orgB, { emailAddress: `ALT${n}@person.example.com` });
    const i3 = await invite(orgC, { emailAddress: `main${n}@person.example.com` });
    await invite(orgA, { emailAddress: `someone.else${n}@person.example.com` });
    await revoke(orgC, i3);
    const mine = await ctx.clerk.users.getOrganizationInvitationList({ userId: user.id });
    assert.equal(mine.totalCount, 3);
    assert.deepEqual(ids(mine), [i3.id, i2.id, i1.id]);
    // public_organization_data comes back as JSON: the SDK has no class for it.
    assert.equal(mine.data[1].publicOrganizationData.id, orgB.id);
    assert.equal(mine.data[1].publicOrganizationData.name, orgB.name);
    assert.deepEqual(ids(await ctx.clerk.users.getOrganizationInvitationList({ userId: user.id, status: 'pending' })),
      [i2.id, i1.id]);
    assert.deepEqual(ids(await ctx.clerk.users.getOrganizationInvitationList({ userId: user.id, status: 'revoked' })),
      [i3.id]);
    const paged = await ctx.clerk.users.getOrganizationInvitationList({ userId: user.id, limit: 1, offset: 1 });
    assert.deepEqual(ids(paged), [i2.id]);
    assert.equal(paged.totalCount, 3);
    // Invitations are matched to addresses, so one sent before the user existed is theirs too.
    const laterAddress = `later${n}@person.example.com`;
    const early = await invite(orgA, { emailAddress: laterAddress });
    const later = await ctx.clerk.users.createUser({ emailAddress: [laterAddress] });
    assert.deepEqual(ids(await ctx.clerk.users.getOrganizationInvitationList({ userId: later.id })), [early.id]);
    const nobody = await newUser();
    assert.equal((await ctx.clerk.users.getOrganizationInvitationList({ userId: nobody.id })).totalCount, 0);
    assertClerkError(await ctx.raw('GET', `/v1/users/${MISSING_USER}/organization_invitations`), 404, 'resource_not_found');
    assertClerkError(await ctx.raw('GET', `/v1/users/${user.id}/organization_invitations?status=bogus`), 422,
      'form_param_value_invalid', 'status');
  });

  test('deleting an organization deletes its invitations', async () => {
    const user = await newUser();
    const org = await newOrg();
    const inv = await invite(org, { emailAddress: user.primaryEmailAddress.emailAddress });
    await ctx.clerk.organizations.deleteOrganization(org.id);
    assert.ok(!(await instanceInvitations()).data.some(i => i.id === inv.id));
    assert.equal((await ctx.clerk.users.getOrganizationInvitationList({ userId: user.id })).totalCount, 0);
    assertClerkError(await ctx.raw('GET', path(org)), 404, 'resource_not_found');
  });

  test('every invitation route answers 404 resource_not_found for an unknown organization', async () => {
    const before = await instanceInvitations();
    const missing = { id: MISSING_ORG };
    await assertSdkError(list(missing), 404, 'resource_not_found');
    await assertSdkError(bulk(missing, [item()]), 404, 'resource_not_found');
    await assertSdkError(getInvitation(missing, { id: MISSING_INVITATION }), 404, 'resource_not_found');
    await assertSdkError(revoke(missing, { id: MISSING_INVITATION }), 404, 'resource_not_found');
    assertClerkError(await ctx.raw('GET', `${path(missing)}/pending`), 404, 'resource_not_found');
    assert.deepEqual(await instanceInvitations(), before);
  });
});
