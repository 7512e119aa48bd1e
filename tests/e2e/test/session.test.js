// A user's session in the example app, from page load to sign-out: clerk-js and @clerk/ui load
// from the app against orgd's Frontend API, a ticket sign-in, an active organization, a token
// refreshed past its lifetime, orgd's handshake for an expired __session, a reload, sign-out.
// Every step is checked in the browser, through the app's server (@clerk/express getAuth) and
// through the Backend API.
import assert from 'node:assert/strict';
import { clerkState, decodeJwt, openApp, sessionCookie, whoami } from '../lib/app.js';
import { scenario, sleep, useStack, waitFor } from '../lib/stack.js';

// Tokens that expire within the test: clerk-js refreshes about 17 s before a token's exp.
const TOKEN_LIFETIME_S = 30;
const ctx = useStack({ orgdArgs: ['--token-lifetime', `${TOKEN_LIFETIME_S}s`] });

let page;
let ada;
let sessionId;
let org;
let expiredJwt;

scenario(ctx, 'the page loads clerk-js and @clerk/ui from the app and clerk-js loads against orgd', async () => {
  page = await ctx.newPage('session');
  const requested = [];
  page.on('request', r => requested.push(r.url()));
  assert.equal(await openApp(page, ctx.appUrl), null);
  const state = await page.evaluate(() => ({
    loaded: window.Clerk.loaded, status: window.Clerk.status, user: window.Clerk.user?.id ?? null,
    ui: typeof window.__internal_ClerkUICtor,
    organizations: (window.Clerk.environment ?? window.Clerk.__internal_environment)?.organizationSettings?.enabled ?? null,
  }));
  assert.deepEqual(state, { loaded: true, status: 'ready', user: null, ui: 'function', organizations: true });
  const env = ctx.wire.find(e => e.url.startsWith('/v1/environment'));
  const client = ctx.wire.find(e => e.url.startsWith('/v1/client'));
  assert.equal(env?.status, 200, `GET /v1/environment: ${JSON.stringify(env)}`);
  assert.equal(client?.status, 200, `GET /v1/client: ${JSON.stringify(client)}`);
  // Nothing leaves loopback: scripts and chunks from the app, API calls to orgd.
  const foreign = requested.filter(u => !u.startsWith(ctx.appUrl) && !u.startsWith(ctx.frontendUrl) && !/^(blob|data):/.test(u));
  assert.deepEqual(foreign, []);
  assert.deepEqual(ctx.problems, []);
});

scenario(ctx, 'sign in by ticket: choosing a demo user redeems a sign-in token', async () => {
  const users = await (await fetch(`${ctx.appUrl}/api/demo-users`)).json();
  ada = users[0];
  await page.waitForSelector(`button[data-user-id="${ada.id}"]`, { visible: true });
  await page.click(`button[data-user-id="${ada.id}"]`);
  await page.waitForFunction(() => !!window.Clerk.user, { timeout: 15_000 });
  const state = await clerkState(page);
  assert.equal(state.userId, ada.id);
  sessionId = state.sessionId;
  assert.match(sessionId, /^sess_/);
  const signIn = ctx.wire.find(e => e.method === 'POST' && e.url.startsWith('/v1/client/sign_ins'));
  assert.match(signIn.request, /strategy=ticket/);
  const session = await ctx.clerk.sessions.getSession(sessionId);
  assert.equal(session.status, 'active');
  assert.equal(session.userId, ada.id);
  assert.deepEqual(await whoami(page), { userId: ada.id, sessionId, orgId: null, orgRole: null });
});

scenario(ctx, 'the server-rendered page sees the same session', async () => {
  const tab = await page.browserContext().newPage();
  try {
    await tab.goto(`${ctx.appUrl}/ssr`);
    assert.equal(await tab.$eval('#userId', el => el.textContent), ada.id);
    assert.equal(await tab.$eval('#sessionId', el => el.textContent), sessionId);
  } finally {
    await tab.close();
  }
});

scenario(ctx, 'setActive an organization', async () => {
  org = await ctx.clerk.organizations.createOrganization({ name: 'Analytical Engines', createdBy: ada.id });
  await page.evaluate(id => window.Clerk.setActive({ organization: id }), org.id);
  await page.waitForFunction(id => window.Clerk.organization?.id === id, { timeout: 10_000 }, org.id);
  assert.equal((await clerkState(page)).orgName, 'Analytical Engines');
  assert.equal((await ctx.clerk.sessions.getSession(sessionId)).lastActiveOrganizationId, org.id);
  const token = await sessionCookie(page);
  assert.equal(token.claims.sid, sessionId);
  assert.equal(token.claims.o?.id ?? token.claims.org_id, org.id);
  assert.deepEqual(await whoami(page), { userId: ada.id, sessionId, orgId: org.id, orgRole: 'org:admin' });
});

scenario(ctx, 'the session token is refreshed past one token lifetime', async () => {
  const first = await sessionCookie(page);
  assert.ok(first.claims.exp - first.claims.iat <= TOKEN_LIFETIME_S, JSON.stringify(first.claims));
  const tokensBefore = ctx.wire.filter(e => e.url.startsWith(`/v1/client/sessions/${sessionId}/tokens`)).length;
  await sleep((first.claims.exp - Date.now() / 1000 + 3) * 1000);
  const now = await sessionCookie(page);
  assert.notEqual(now.jwt, first.jwt);
  assert.ok(now.claims.exp > Date.now() / 1000, `the __session cookie holds an expired token: ${JSON.stringify(now.claims)}`);
  const refreshes = ctx.wire.filter(e => e.url.startsWith(`/v1/client/sessions/${sessionId}/tokens`)).slice(tokensBefore);
  assert.ok(refreshes.length > 0 && refreshes.every(e => e.status === 200), JSON.stringify(refreshes));
  assert.deepEqual(await whoami(page), { userId: ada.id, sessionId, orgId: org.id, orgRole: 'org:admin' });
  expiredJwt = first.jwt;
}, { timeout: 120_000 });

scenario(ctx, "a document GET with an expired __session goes through orgd's handshake", async () => {
  assert.ok(expiredJwt, 'needs the expired token of the previous scenario');
  // @clerk/backend allows 5 s of clock skew: be past that.
  const wait = (decodeJwt(expiredJwt).exp + 7) * 1000 - Date.now();
  if (wait > 0) await sleep(wait);
  await page.goto('about:blank'); // no clerk-js running to refresh the cookie meanwhile
  const names = (await page.cookies(ctx.appUrl)).map(c => c.name).filter(n => n === '__session' || n.startsWith('__session_'));
  assert.ok(names.length > 0);
  for (const name of names) await page.setCookie({ name, value: expiredJwt, url: ctx.appUrl });
  const response = await page.goto(`${ctx.appUrl}/ssr`);
  const chain = response.request().redirectChain().map(r => r.url());
  assert.ok(chain.some(u => u.startsWith(`${ctx.frontendUrl}/v1/client/handshake`)),
    `expected a redirect through ${ctx.frontendUrl}/v1/client/handshake, got: ${JSON.stringify(chain)} then ${response.status()} ${response.url()}`);
  assert.equal(response.status(), 200);
  assert.equal(await page.$eval('#userId', el => el.textContent), ada.id);
  assert.equal(await page.$eval('#orgId', el => el.textContent), org.id);
});

scenario(ctx, 'a reload keeps the session and its organization', async () => {
  assert.equal(await openApp(page, ctx.appUrl), null);
  await page.waitForFunction(() => !!window.Clerk.user, { timeout: 10_000 });
  const state = await clerkState(page);
  assert.deepEqual([state.userId, state.sessionId, state.orgId], [ada.id, sessionId, org.id]);
  assert.deepEqual(await whoami(page), { userId: ada.id, sessionId, orgId: org.id, orgRole: 'org:admin' });
});

scenario(ctx, 'sign out ends the session', async () => {
  // clerk-js navigates to afterSignOutUrl once signed out: wait for that page, or an evaluate
  // below can run in the page being replaced ("Execution context was destroyed", seen in CI).
  const navigated = page.waitForNavigation({ timeout: 10_000 }).catch(() => null);
  await page.click('#sign-out');
  await page.waitForFunction(() => !window.Clerk.user, { timeout: 10_000 });
  await navigated;
  await page.waitForFunction(() => window.Clerk?.loaded && !window.Clerk.user, { timeout: 10_000 });
  await waitFor(async () => ['ended', 'removed', 'revoked'].includes((await ctx.clerk.sessions.getSession(sessionId)).status),
    { what: 'the session to end in the Backend API' });
  assert.deepEqual(await whoami(page), { userId: null, sessionId: null, orgId: null, orgRole: null });
  assert.equal(await openApp(page, ctx.appUrl), null);
  assert.equal((await clerkState(page)).userId, null);
  await page.waitForSelector(`button[data-user-id="${ada.id}"]`, { visible: true });
});
