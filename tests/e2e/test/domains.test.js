// Verified domains from the browser (BEHAVIOR.md §4.2–4.3): an admin signed in through the demo
// sign-in adds a domain to the active organization, proves affiliation with the 6-digit code orgd
// emails through a real SMTP server, and turns on automatic suggestions; a user at that domain
// (signed in with a sign-in token the app redeems from its URL) sees the organization suggested
// and accepts; the admin accepts the membership request. A user at a look-alike domain sees no
// suggestion. Every step is checked through the Backend API.
import assert from 'node:assert/strict';
import { clerkState, openApp, unique } from '../lib/app.js';
import { scenario, useStack, waitFor } from '../lib/stack.js';

const ctx = useStack({ smtp: true });

const DOMAIN = 'acme-e2e.test';
const AFFILIATION = `admin@${DOMAIN}`;

let adminPage;
let admin;
let org;
let domainId;
let member;
let suggestionId;

// Runs `fn(org, arg)` in the admin's page with org = window.Clerk.organization.
const inOrg = (fn, arg) => adminPage.evaluate(new Function('arg', `return (${fn})(window.Clerk.organization, arg);`), arg);

// @clerk/backend 3.25.0 has no OrganizationDomain deserializer (jsonToObject returns unknown
// objects as they came), so these are the Backend API's JSON, snake_case.
const bapiDomains = async () =>
  (await ctx.clerk.organizations.getOrganizationDomainList({ organizationId: org.id })).data;

// A user at this address, created through the Backend API, signed in in a fresh browser context
// by opening the app with a sign-in token in its URL (the app redeems __clerk_ticket itself).
async function signedInUserAt(label, emailAddress) {
  const user = await ctx.clerk.users.createUser({ emailAddress: [emailAddress], firstName: label, lastName: 'Tester' });
  const { token } = await ctx.clerk.signInTokens.createSignInToken({ userId: user.id, expiresInSeconds: 600 });
  const page = await ctx.newPage(label);
  assert.equal(await openApp(page, ctx.appUrl, `/?__clerk_ticket=${encodeURIComponent(token)}&__clerk_status=sign_in`), null);
  await page.waitForFunction(() => !!window.Clerk.user, { timeout: 15_000 });
  assert.equal((await clerkState(page)).userId, user.id);
  return { user, page };
}

const suggestionsOf = page => page.evaluate(async () => {
  const r = await window.Clerk.user.getOrganizationSuggestions();
  return {
    total: r.total_count,
    data: r.data.map(s => ({ id: s.id, status: s.status, orgId: s.publicOrganizationData?.id ?? null, orgName: s.publicOrganizationData?.name ?? null })),
  };
});

scenario(ctx, 'domains are enabled for the instance through the Backend API', async () => {
  const settings = await ctx.clerk.instance.updateOrganizationSettings({
    domainsEnabled: true, domainsEnrollmentModes: ['automatic_invitation', 'automatic_suggestion'],
  });
  assert.equal(settings.domainsEnabled, true);
  assert.deepEqual([...settings.domainsEnrollmentModes].sort(), ['automatic_invitation', 'automatic_suggestion']);
});

scenario(ctx, 'an admin signed in through the demo sign-in adds a domain: getDomains lists it unverified', async () => {
  const users = await (await fetch(`${ctx.appUrl}/api/demo-users`)).json();
  admin = users[0];
  adminPage = await ctx.newPage('admin');
  assert.equal(await openApp(adminPage, ctx.appUrl), null);
  await adminPage.waitForSelector(`button[data-user-id="${admin.id}"]`, { visible: true });
  await adminPage.click(`button[data-user-id="${admin.id}"]`);
  await adminPage.waitForFunction(() => !!window.Clerk.user, { timeout: 15_000 });
  org = await ctx.clerk.organizations.createOrganization({ name: unique('Acme E2E'), createdBy: admin.id });
  await adminPage.evaluate(id => window.Clerk.setActive({ organization: id }), org.id);
  await adminPage.waitForFunction(id => window.Clerk.organization?.id === id, { timeout: 10_000 }, org.id);

  const created = await inOrg(async (org, name) => {
    const d = await org.createDomain(name);
    return { id: d.id, name: d.name, organizationId: d.organizationId, enrollmentMode: d.enrollmentMode, verification: d.verification?.status ?? null };
  }, DOMAIN);
  domainId = created.id;
  assert.match(domainId, /^orgdmn_/);
  assert.deepEqual({ ...created, id: undefined, verification: undefined }, {
    id: undefined, name: DOMAIN, organizationId: org.id, enrollmentMode: 'manual_invitation', verification: undefined,
  });
  assert.notEqual(created.verification, 'verified');

  const listed = await inOrg(async org => {
    const r = await org.getDomains();
    return { total: r.total_count, data: r.data.map(d => ({ id: d.id, name: d.name, verification: d.verification?.status ?? null })) };
  });
  assert.equal(listed.total, 1, JSON.stringify(listed));
  assert.deepEqual(listed.data.map(d => [d.id, d.name]), [[domainId, DOMAIN]]);
  assert.notEqual(listed.data[0].verification, 'verified');

  const [bapi] = await bapiDomains();
  assert.equal(bapi.id, domainId);
  assert.equal(bapi.name, DOMAIN);
  assert.equal(bapi.organization_id, org.id);
  assert.notEqual(bapi.verification?.status, 'verified');
});

scenario(ctx, 'affiliation by an emailed code verifies the domain; the enrollment mode becomes automatic_suggestion', async () => {
  const prepared = await inOrg(async (org, { domainId, email }) => {
    const d = await org.getDomain({ domainId });
    const p = await d.prepareAffiliationVerification({ affiliationEmailAddress: email });
    return { email: p.affiliationEmailAddress, status: p.verification?.status ?? null };
  }, { domainId, email: AFFILIATION });
  assert.deepEqual(prepared, { email: AFFILIATION, status: 'unverified' });

  const mail = await waitFor(() => ctx.smtp.messages().find(m => m.headers.to?.includes(AFFILIATION)),
    { timeout: 20_000, what: `the verification email to ${AFFILIATION}` });
  assert.equal(mail.headers.subject, `Your verification code for ${DOMAIN}`);
  const code = /^\s*(\d{6})\s*$/m.exec(mail.text ?? '')?.[1];
  assert.ok(code, `no 6-digit code alone on a line in the email:\n${mail.text}`);

  const attempted = await inOrg(async (org, { domainId, code }) => {
    const d = await org.getDomain({ domainId });
    const a = await d.attemptAffiliationVerification({ code });
    return a.verification?.status ?? null;
  }, { domainId, code });
  assert.equal(attempted, 'verified');

  const mode = await inOrg(async (org, domainId) => {
    const d = await org.getDomain({ domainId });
    return (await d.updateEnrollmentMode({ enrollmentMode: 'automatic_suggestion' })).enrollmentMode;
  }, domainId);
  assert.equal(mode, 'automatic_suggestion');

  const [bapi] = await bapiDomains();
  assert.equal(bapi.verification?.status, 'verified', JSON.stringify(bapi));
  assert.equal(bapi.affiliation_verification?.status, 'verified');
  assert.equal(bapi.enrollment_mode, 'automatic_suggestion');
  assert.equal(bapi.affiliation_email_address, AFFILIATION);
});

scenario(ctx, `a user at ${DOMAIN} sees the organization suggested and accepts it`, async () => {
  const { user, page } = await signedInUserAt('member', `${unique('worker')}@${DOMAIN}`);
  member = user;
  const before = await suggestionsOf(page);
  assert.equal(before.total, 1, JSON.stringify(before));
  assert.equal(before.data.length, 1);
  assert.equal(before.data[0].orgId, org.id);
  assert.equal(before.data[0].orgName, org.name);
  assert.equal(before.data[0].status, 'pending');
  suggestionId = before.data[0].id;
  assert.equal((await bapiDomains())[0].total_pending_suggestions, 1);

  const accepted = await page.evaluate(async id => {
    const r = await window.Clerk.user.getOrganizationSuggestions();
    const s = r.data.find(s => s.id === id);
    return (await s.accept()).status;
  }, suggestionId);
  assert.equal(accepted, 'accepted');
  const after = await suggestionsOf(page);
  assert.ok(after.data.every(s => s.id !== suggestionId || s.status === 'accepted'), JSON.stringify(after));
  // Not a member yet: the acceptance is a request the admin has to accept.
  const memberships = await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id });
  assert.ok(!memberships.data.some(m => m.publicUserData.userId === member.id));
  await page.close();
});

scenario(ctx, 'the admin accepts the membership request: the user becomes a member', async () => {
  const requests = await inOrg(async org => {
    const r = await org.getMembershipRequests();
    return { total: r.total_count, data: r.data.map(q => ({ id: q.id, status: q.status, userId: q.publicUserData?.userId ?? null, organizationId: q.organizationId })) };
  });
  assert.equal(requests.total, 1, JSON.stringify(requests));
  const [request] = requests.data;
  assert.deepEqual({ ...request, id: undefined }, { id: undefined, status: 'pending', userId: member.id, organizationId: org.id });

  const accepted = await inOrg(async (org, id) => {
    const r = await org.getMembershipRequests();
    const q = r.data.find(q => q.id === id);
    return (await q.accept()).status;
  }, request.id);
  assert.equal(accepted, 'accepted');

  const memberships = await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id });
  const membership = memberships.data.find(m => m.publicUserData.userId === member.id);
  assert.ok(membership, JSON.stringify(memberships.data.map(m => [m.publicUserData.userId, m.role])));
  assert.equal(membership.role, 'org:member');
  const pending = await inOrg(async org => (await org.getMembershipRequests({ status: 'pending' })).total_count);
  assert.equal(pending, 0);
});

scenario(ctx, `a user at evil-${DOMAIN} sees no suggestion`, async () => {
  const { page } = await signedInUserAt('outsider', `${unique('mallory')}@evil-${DOMAIN}`);
  assert.deepEqual(await suggestionsOf(page), { total: 0, data: [] });
  await page.close();
});
