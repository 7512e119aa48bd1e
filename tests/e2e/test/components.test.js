// Clerk's own UI components (@clerk/ui) mounted by the example app, used as a person would:
// OrganizationSwitcher, CreateOrganization and OrganizationProfile, each change checked through
// the Backend API. With ORGD_E2E_SCREENSHOTS=1 the three components are saved to docs/screenshots.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { newUser, openApp, openSignedIn, unique, whoami } from '../lib/app.js';
import { SCREENSHOTS, scenario, useStack, waitFor } from '../lib/stack.js';

const ctx = useStack();

let page;
let admin;
let member;
let orgA;
let orgB;

// Clicks the first element matching `selector` whose text contains `text`.
async function clickText(selector, text, { timeout = 10_000 } = {}) {
  const handle = await waitFor(async () => {
    for (const el of await page.$$(selector)) {
      if ((await el.evaluate(e => e.textContent)).includes(text) && (await el.isVisible())) return el;
    }
    return null;
  }, { timeout, what: `${selector} with text "${text}"` });
  await handle.click();
}

async function type(selector, value) {
  const input = await page.waitForSelector(selector, { visible: true });
  await input.click({ count: 3 });
  await input.press('Backspace');
  await input.type(value);
}

async function screenshot(name, selectors) {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await new Promise(r => setTimeout(r, 500)); // let the popover's animation settle
  const boxes = [];
  for (const s of selectors) {
    const box = await (await page.$(s))?.boundingBox();
    if (box) boxes.push(box);
  }
  const x = Math.max(0, Math.min(...boxes.map(b => b.x)) - 16);
  const y = Math.max(0, Math.min(...boxes.map(b => b.y)) - 16);
  const width = Math.max(...boxes.map(b => b.x + b.width)) + 16 - x;
  const height = Math.max(...boxes.map(b => b.y + b.height)) + 16 - y;
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), clip: { x, y, width, height } });
}

// The row of OrganizationProfile's members table that shows this email address.
async function memberRow(email) {
  return waitFor(async () => {
    for (const el of await page.$$('#organization-profile .cl-tableBody tr')) {
      if ((await el.evaluate(e => e.textContent)).includes(email)) return el;
    }
    return null;
  }, { what: `the members table row of ${email}` });
}

const membership = async (orgId, userId) =>
  (await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: orgId, limit: 100 })).data
    .find(m => m.publicUserData.userId === userId);

scenario(ctx, 'OrganizationSwitcher lists the organizations and switches between them', async () => {
  admin = await newUser(ctx.clerk, 'Ada');
  member = await newUser(ctx.clerk, 'Grace');
  orgA = await ctx.clerk.organizations.createOrganization({ name: unique('Babbage Works'), createdBy: admin.id });
  orgB = await ctx.clerk.organizations.createOrganization({ name: unique('Difference Ltd'), createdBy: admin.id });
  await ctx.clerk.organizations.createOrganizationMembership({ organizationId: orgA.id, userId: member.id, role: 'org:member' });
  page = await ctx.newPage('components');
  const sessionId = await openSignedIn(ctx, page, admin.id);
  await page.evaluate(id => window.Clerk.setActive({ organization: id }), orgA.id);
  await page.waitForFunction(id => window.Clerk.organization?.id === id, { timeout: 10_000 }, orgA.id);

  await clickText('#organization-switcher .cl-organizationSwitcherTrigger', orgA.name);
  await page.waitForSelector('.cl-organizationSwitcherPopoverCard', { visible: true });
  await waitFor(() => page.$$eval('.cl-organizationSwitcherPreviewButton', els => els.length > 0), { what: 'the listed organizations' });
  const listed = await page.$eval('.cl-organizationSwitcherPopoverCard', el => el.textContent);
  assert.ok(listed.includes(orgA.name) && listed.includes(orgB.name), listed);
  await screenshot('organization-switcher', ['#organization-switcher', '.cl-organizationSwitcherPopoverCard']);

  await clickText('.cl-organizationSwitcherPreviewButton', orgB.name);
  await page.waitForFunction(id => window.Clerk.organization?.id === id, { timeout: 10_000 }, orgB.id);
  await waitFor(async () => (await ctx.clerk.sessions.getSession(sessionId)).lastActiveOrganizationId === orgB.id,
    { what: 'the Backend API to show the session on the new organization' });
  assert.equal((await whoami(page)).orgId, orgB.id);
});

scenario(ctx, 'CreateOrganization creates an organization through its form', async () => {
  const name = unique('Jacquard Looms');
  const form = '#create-organization';
  await page.waitForSelector(`${form} input[name="name"]`, { visible: true });
  await screenshot('create-organization', [form]);
  await type(`${form} input[name="name"]`, name);
  await page.evaluate(() => { window.beforeCreate = true; });
  await page.click(`${form} .cl-formButtonPrimary`);
  const created = await waitFor(async () =>
    (await ctx.clerk.organizations.getOrganizationList({ query: name })).data.find(o => o.name === name),
  { what: `the organization "${name}" in the Backend API` });
  assert.equal((await membership(created.id, admin.id))?.role, 'org:admin');
  // The component makes it active and sends the browser to afterCreateOrganizationUrl ('/'): a
  // fresh page load (the marker is gone) on which it is still the active organization.
  await waitFor(() => page.evaluate(id => !window.beforeCreate && document.body?.dataset.ready === 'true' &&
    window.Clerk?.organization?.id === id, created.id).catch(() => false), { what: 'the reloaded page on the new organization' });
});

scenario(ctx, 'OrganizationProfile renames the organization', async () => {
  assert.equal(await openApp(page, ctx.appUrl), null);
  await page.evaluate(id => window.Clerk.setActive({ organization: id }), orgA.id);
  await page.waitForFunction(id => window.Clerk.organization?.id === id, { timeout: 10_000 }, orgA.id);
  const profile = '#organization-profile';
  // The profile re-renders when the active organization changes: wait until it shows orgA.
  await waitFor(() => page.$eval(`${profile} .cl-organizationPreviewMainIdentifier`, el => el.textContent).catch(() => '')
    .then(text => text.trim() === orgA.name), { what: `the profile of ${orgA.name}` }).catch(async err => {
    err.message += `; it shows: ${await page.$$eval(`${profile} .cl-organizationPreviewMainIdentifier`, els => els.map(e => e.textContent)).catch(e => e.message)}` +
      `; Clerk.organization: ${await page.evaluate(() => window.Clerk.organization?.name)}`;
    throw err;
  });
  await page.click(`${profile} .cl-profileSectionPrimaryButton__organizationProfile`);
  await waitFor(() => page.$eval(`${profile} input[name="name"]`, el => el.value).catch(() => '').then(v => v === orgA.name),
    { what: 'the profile form holding the current name' });
  const name = unique('Renamed Works');
  await type(`${profile} input[name="name"]`, name);
  await page.click(`${profile} .cl-formButtonPrimary`);
  await waitFor(async () => (await ctx.clerk.organizations.getOrganization({ organizationId: orgA.id })).name === name,
    { what: 'the new name in the Backend API' });
  orgA = await ctx.clerk.organizations.getOrganization({ organizationId: orgA.id });
});

scenario(ctx, "OrganizationProfile changes a member's role", async () => {
  const profile = '#organization-profile';
  await page.click(`${profile} .cl-navbarButton__members`);
  const email = member.emailAddresses[0].emailAddress;
  await memberRow(email);
  await screenshot('organization-profile', [profile]);
  const row = await memberRow(email);
  await (await row.$('.cl-selectButton__role')).click();
  await clickText('.cl-selectOption__role', 'Admin');
  await waitFor(async () => (await membership(orgA.id, member.id))?.role === 'org:admin', { what: 'the role org:admin in the Backend API' });
});

scenario(ctx, 'OrganizationProfile removes a member', async () => {
  const email = member.emailAddresses[0].emailAddress;
  const row = await memberRow(email);
  await (await row.$('.cl-menuButton__member')).click();
  await clickText('.cl-menuItem__member', 'Remove member');
  await waitFor(async () => !(await membership(orgA.id, member.id)), { what: 'the membership to be gone from the Backend API' });
});

scenario(ctx, 'OrganizationProfile invites by email', async () => {
  const profile = '#organization-profile';
  const address = `${unique('invited')}@e2e.orgd.test`;
  await page.click(`${profile} .cl-membersPageInviteButton`);
  const input = `${profile} .cl-tagInputContainer input`;
  await page.waitForSelector(input, { visible: true });
  await page.type(input, address);
  await page.keyboard.press('Enter');
  // The invite form's role select reads "Role:<name>" (the table's selects show the name only).
  let roleSelect;
  for (const el of await page.$$(`${profile} .cl-selectButton__role`)) {
    if ((await el.evaluate(e => e.textContent)).startsWith('Role')) roleSelect = el;
  }
  assert.ok(roleSelect, "the invite form's role select");
  if (!(await roleSelect.evaluate(e => e.textContent)).endsWith('Member')) {
    await roleSelect.click();
    await clickText('.cl-selectOption', 'Member');
  }
  await clickText(`${profile} .cl-formButtonPrimary`, 'Send');
  await waitFor(async () => (await ctx.clerk.organizations.getOrganizationInvitationList({ organizationId: orgA.id, status: ['pending'] }))
    .data.some(i => i.emailAddress === address && i.role === 'org:member'), { what: `a pending invitation to ${address}` });
});

scenario(ctx, "OrganizationProfile's seat count is the members plus the pending invitations", async () => {
  const org = await ctx.clerk.organizations.getOrganization({ organizationId: orgA.id });
  const members = (await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: orgA.id })).totalCount;
  const pending = (await ctx.clerk.organizations.getOrganizationInvitationList({ organizationId: orgA.id, status: ['pending'] })).totalCount;
  const expected = `${members + pending} of ${org.maxAllowedMemberships} seats used`;
  const shown = await waitFor(() => page.$eval('#organization-profile', el => /\d+ of \d+ seats used/.exec(el.textContent)?.[0]).catch(() => null),
    { what: 'the seat count in OrganizationProfile' });
  assert.equal(shown, expected);
});
