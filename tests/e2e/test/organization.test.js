// Every Organization method of clerk-js, called in the example app's page through
// clerk.organization (the active organization), each checked afterwards through the Backend API.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { clerkState, newUser, openSignedIn, unique } from '../lib/app.js';
import { scenario, useStack, waitFor } from '../lib/stack.js';

const ctx = useStack();
const LOGO_PNG = readFileSync(new URL('../../compat/fixtures/logo.png', import.meta.url)).toString('base64');

let page;
let owner;
let member;
let orgId;

// Runs `fn(org, arg)` in the page with org = window.Clerk.organization.
const inOrg = (fn, arg) => page.evaluate(new Function('arg', `return (${fn})(window.Clerk.organization, arg);`), arg);

const members = async () =>
  (await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: orgId, limit: 100 })).data
    .map(m => ({ userId: m.publicUserData.userId, role: m.role }))
    .sort((a, b) => a.userId.localeCompare(b.userId));

const pendingInvitations = async () =>
  (await ctx.clerk.organizations.getOrganizationInvitationList({ organizationId: orgId, status: ['pending'], limit: 100 })).data;

scenario(ctx, 'clerk.createOrganization creates an organization whose admin is the caller, and setActive makes it active', async () => {
  owner = await newUser(ctx.clerk, 'owner');
  member = await newUser(ctx.clerk, 'member');
  page = await ctx.newPage('organization');
  await openSignedIn(ctx, page, owner.id);
  const name = unique('Created in the browser');
  const created = await page.evaluate(async name => {
    const org = await window.Clerk.createOrganization({ name });
    return { id: org.id, name: org.name, slug: org.slug };
  }, name);
  orgId = created.id;
  const org = await ctx.clerk.organizations.getOrganization({ organizationId: orgId });
  assert.equal(org.name, name);
  assert.equal(org.slug, created.slug);
  assert.deepEqual(await members(), [{ userId: owner.id, role: 'org:admin' }]);
  await page.evaluate(id => window.Clerk.setActive({ organization: id }), orgId);
  await page.waitForFunction(id => window.Clerk.organization?.id === id, { timeout: 10_000 }, orgId);
  assert.ok((await clerkState(page)).memberships.some(m => m.orgId === orgId && m.role === 'org:admin'));
});

scenario(ctx, 'getMemberships lists what the Backend API lists', async () => {
  const page1 = await inOrg(async org => {
    const r = await org.getMemberships();
    return { total: r.total_count, data: r.data.map(m => ({ userId: m.publicUserData.userId, role: m.role })) };
  });
  assert.equal(page1.total, 1);
  assert.deepEqual(page1.data, await members());
});

scenario(ctx, 'addMember adds a member', async () => {
  const added = await inOrg(async (org, userId) => {
    const m = await org.addMember({ userId, role: 'org:member' });
    return { userId: m.publicUserData.userId, role: m.role };
  }, member.id);
  assert.deepEqual(added, { userId: member.id, role: 'org:member' });
  assert.deepEqual(await members(), [{ userId: owner.id, role: 'org:admin' }, { userId: member.id, role: 'org:member' }]
    .sort((a, b) => a.userId.localeCompare(b.userId)));
});

scenario(ctx, "updateMember changes a member's role", async () => {
  const updated = await inOrg(async (org, userId) => (await org.updateMember({ userId, role: 'org:admin' })).role, member.id);
  assert.equal(updated, 'org:admin');
  assert.equal((await members()).find(m => m.userId === member.id)?.role, 'org:admin');
});

scenario(ctx, 'removeMember removes a member', async () => {
  await inOrg(async (org, userId) => { await org.removeMember(userId); }, member.id);
  assert.deepEqual(await members(), [{ userId: owner.id, role: 'org:admin' }]);
});

scenario(ctx, 'inviteMember invites, getInvitations lists it, invitation.revoke revokes it', async () => {
  const emailAddress = `${unique('invitee')}@e2e.orgd.test`;
  const invited = await inOrg(async (org, emailAddress) => {
    const inv = await org.inviteMember({ emailAddress, role: 'org:member' });
    return { id: inv.id, emailAddress: inv.emailAddress, role: inv.role, status: inv.status };
  }, emailAddress);
  const { id: _, ...fields } = invited;
  assert.deepEqual(fields, { emailAddress, role: 'org:member', status: 'pending' });
  assert.ok((await pendingInvitations()).some(i => i.id === invited.id && i.emailAddress === emailAddress));

  const listed = await inOrg(async org => {
    const r = await org.getInvitations({ status: ['pending'] });
    return { total: r.total_count, ids: r.data.map(i => i.id) };
  });
  assert.ok(listed.ids.includes(invited.id), JSON.stringify(listed));
  assert.equal(listed.total, (await pendingInvitations()).length);

  const revoked = await inOrg(async (org, id) => {
    const inv = (await org.getInvitations({ status: ['pending'] })).data.find(i => i.id === id);
    return (await inv.revoke()).status;
  }, invited.id);
  assert.equal(revoked, 'revoked');
  const after = await ctx.clerk.organizations.getOrganizationInvitation({ organizationId: orgId, invitationId: invited.id });
  assert.equal(after.status, 'revoked');
});

scenario(ctx, 'inviteMembers invites several addresses at once', async () => {
  const addresses = [`${unique('bulk-a')}@e2e.orgd.test`, `${unique('bulk-b')}@e2e.orgd.test`];
  const invited = await inOrg(async (org, emailAddresses) => {
    const list = await org.inviteMembers({ emailAddresses, role: 'org:member' });
    return list.map(i => ({ emailAddress: i.emailAddress, status: i.status }));
  }, addresses);
  assert.deepEqual(invited.map(i => i.emailAddress).sort(), [...addresses].sort());
  const pending = (await pendingInvitations()).map(i => i.emailAddress);
  for (const a of addresses) assert.ok(pending.includes(a), `${a} not pending in ${JSON.stringify(pending)}`);
});

scenario(ctx, "clerk.organization's members_count and pending_invitations_count are the Backend API's", async () => {
  // clerk-js derives clerk.organization from the session's memberships; @clerk/ui shows their sum
  // as the seats used and compares it with max_allowed_memberships before offering "Invite".
  const counts = await page.evaluate(() => window.Clerk.organization.reload().then(() => ({
    members: window.Clerk.organization.membersCount, pending: window.Clerk.organization.pendingInvitationsCount,
    fromMemberships: window.Clerk.user.organizationMemberships.map(m => m.organization)
      .filter(o => o.id === window.Clerk.organization.id).map(o => [o.membersCount, o.pendingInvitationsCount])[0],
  })));
  const expected = [(await members()).length, (await pendingInvitations()).length];
  assert.deepEqual([counts.members, counts.pending], expected, 'GET /v1/organizations/{id}');
  const me = await page.evaluate(async () => (await window.Clerk.user.getOrganizationMemberships()).data
    .filter(m => m.organization.id === window.Clerk.organization.id).map(m => [m.organization.membersCount, m.organization.pendingInvitationsCount])[0]);
  assert.deepEqual(me, expected, 'the organization inside GET /v1/me/organization_memberships');
  assert.deepEqual(counts.fromMemberships, expected, "the organization inside the client's user.organization_memberships");
});

scenario(ctx, 'getRoles lists the roles the Backend API lists', async () => {
  const roles = await inOrg(async org => {
    const r = await org.getRoles();
    return { total: r.total_count, keys: r.data.map(role => role.key).sort(), permissions: r.data.every(role => Array.isArray(role.permissions)) };
  });
  const res = await fetch(`${ctx.orgd.url}/v1/organization_roles?limit=100`, { headers: { authorization: `Bearer ${ctx.orgd.secretKey}` } });
  const bapi = await res.json();
  assert.deepEqual(roles.keys, bapi.data.map(r => r.key).sort());
  assert.equal(roles.total, bapi.total_count);
  assert.ok(roles.keys.includes('org:admin') && roles.keys.includes('org:member'));
  assert.ok(roles.permissions);
});

scenario(ctx, 'update renames the organization', async () => {
  const name = unique('Renamed in the browser');
  const renamed = await inOrg(async (org, name) => (await org.update({ name })).name, name);
  assert.equal(renamed, name);
  assert.equal((await ctx.clerk.organizations.getOrganization({ organizationId: orgId })).name, name);
  await page.waitForFunction(name => window.Clerk.organization?.name === name, { timeout: 5000 }, name);
});

scenario(ctx, 'setLogo uploads a PNG, and setLogo({ file: null }) removes it', async () => {
  const uploaded = await inOrg(async (org, b64) => {
    const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
    const o = await org.setLogo({ file: new File([bytes], 'logo.png', { type: 'image/png' }) });
    return { hasImage: o.hasImage, imageUrl: o.imageUrl };
  }, LOGO_PNG);
  assert.equal(uploaded.hasImage, true);
  let org = await ctx.clerk.organizations.getOrganization({ organizationId: orgId });
  assert.equal(org.hasImage, true);
  const image = await fetch(org.imageUrl);
  assert.equal(image.status, 200);
  assert.match(image.headers.get('content-type'), /^image\//);

  const removed = await inOrg(async org => (await org.setLogo({ file: null })).hasImage);
  assert.equal(removed, false);
  org = await ctx.clerk.organizations.getOrganization({ organizationId: orgId });
  assert.equal(org.hasImage, false);
});

scenario(ctx, 'getDomains and getMembershipRequests are empty', async () => {
  const lists = await inOrg(async org => {
    const d = await org.getDomains();
    const r = await org.getMembershipRequests();
    return { domains: [d.total_count, d.data.length], requests: [r.total_count, r.data.length] };
  });
  assert.deepEqual(lists, { domains: [0, 0], requests: [0, 0] });
});

scenario(ctx, 'destroy deletes the organization', async () => {
  await inOrg(async org => { await org.destroy(); });
  await assert.rejects(ctx.clerk.organizations.getOrganization({ organizationId: orgId }), err => err.status === 404);
  await waitFor(() => page.evaluate(id => !window.Clerk.user.organizationMemberships.some(m => m.organization.id === id), orgId),
    { timeout: 5000, what: 'the membership to leave clerk-js state' });
});
