// An invitation sent from the browser (clerk.organization.inviteMember), delivered by orgd to a
// real SMTP server, and accepted by opening the emailed link: the app redeems its ticket with
// clerk.client.signUp.create({ strategy: 'ticket', ticket }) for an address without a user.
import assert from 'node:assert/strict';
import { clerkState, newUser, openApp, openSignedIn, unique } from '../lib/app.js';
import { scenario, useStack, waitFor } from '../lib/stack.js';

const ctx = useStack({ smtp: true });

scenario(ctx, 'an emailed invitation to a new address is accepted by a ticket sign-up', async () => {
  const admin = await newUser(ctx.clerk, 'inviter');
  const org = await ctx.clerk.organizations.createOrganization({ name: unique('Inviting'), createdBy: admin.id });
  const adminPage = await ctx.newPage('admin');
  await openSignedIn(ctx, adminPage, admin.id);
  await adminPage.evaluate(id => window.Clerk.setActive({ organization: id }), org.id);
  await adminPage.waitForFunction(id => window.Clerk.organization?.id === id, { timeout: 10_000 }, org.id);

  const address = `${unique('newcomer')}@e2e.orgd.test`;
  const invitationId = await adminPage.evaluate(
    async emailAddress => (await window.Clerk.organization.inviteMember({ emailAddress, role: 'org:member' })).id, address);

  const mail = await waitFor(() => ctx.smtp.messages().find(m => m.headers.to === address),
    { timeout: 20_000, what: `the invitation email to ${address}` });
  const link = /https?:\/\/\S+__clerk_ticket=[^\s"<>]+/.exec(mail.text)?.[0];
  assert.ok(link, `no link with a ticket in the email:\n${mail.text}`);
  assert.ok(link.startsWith(`${ctx.appUrl}/`), link);
  assert.equal(new URL(link).searchParams.get('__clerk_status'), 'sign_up');

  const page = await ctx.newPage('invitee');
  const shown = await openApp(page, '', link);
  assert.equal(shown, null);
  await page.waitForFunction(() => !!window.Clerk.user, { timeout: 15_000 });
  const signUp = ctx.wire.find(e => e.page === 'invitee' && e.method === 'POST' && e.url.startsWith('/v1/client/sign_ups'));
  assert.match(signUp?.request ?? '', /strategy=ticket/);

  const state = await clerkState(page);
  const user = await ctx.clerk.users.getUser(state.userId);
  assert.deepEqual(user.emailAddresses.map(e => e.emailAddress), [address]);
  const memberships = await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id });
  assert.ok(memberships.data.some(m => m.publicUserData.userId === user.id && m.role === 'org:member'),
    JSON.stringify(memberships.data.map(m => [m.publicUserData.userId, m.role])));
  const invitation = await ctx.clerk.organizations.getOrganizationInvitation({ organizationId: org.id, invitationId });
  assert.equal(invitation.status, 'accepted');
  assert.ok(state.memberships.some(m => m.orgId === org.id), JSON.stringify(state.memberships));
});
