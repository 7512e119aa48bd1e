// The Frontend API's client side as clerk-js drives it (CLERK-JS.md §2–§4, BEHAVIOR.md §4.1),
// outside the browser: environment, client, ticket sign-in and invitation tickets, sign-up by
// invitation, other strategies, single-session mode, touch, tokens (verified by @clerk/backend's
// verifyToken), sign-out in its four forms, GET /v1/me, the __client and __client_uat cookies,
// CORS, refused origins and native clients. Every answer is checked against
// fapi-organizations.yml and for private_metadata (lib/contract.js), and what a call did or did
// not change is read back through the Backend API.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  API_VERSION, JS_VERSION, ORIGIN, OTHER_ORIGIN, assertFapiError, cookieSuffix, frontendPublishableKey, setCookieNamed, useFrontend,
} from '../lib/frontend.js';
import { decodeJwt, publicPem, sleep } from '../lib/tokens.js';

const { verifyToken } = await import('@clerk/backend');

const ACCEPT_URL = `${ORIGIN}/accept-invitation`;
const MISSING_ORG = 'org_0000000000000000000000000000';
const w = {};
const ctx = useFrontend({
  async seed(c) {
    w.org = await c.clerk.organizations.createOrganization({
      name: 'Client Org', slug: 'client-org', maxAllowedMemberships: 0,
      publicMetadata: { plan: 'pro' }, privateMetadata: { secret: 'org-private' },
    });
    w.other = await c.clerk.organizations.createOrganization({ name: 'Other Org', slug: 'other-org', maxAllowedMemberships: 0 });
    w.pem = publicPem(c.orgd.dataDir);
  },
});

let counter = 0;
const next = () => ++counter;
const address = tag => `${tag}${next()}@client.example.com`;
async function newUser(fields = {}) {
  return ctx.clerk.users.createUser({
    emailAddress: [address('user')], firstName: 'Ada', lastName: `Lovelace${next()}`,
    privateMetadata: { secret: 'user-private' }, publicMetadata: { tier: 'gold' }, ...fields,
  });
}
const add = (org, user, role = 'org:member') =>
  ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: user.id, role });
async function sessionsOf(userId) {
  const res = await ctx.raw('GET', `/v1/sessions?user_id=${userId}&paginated=true&limit=500`);
  assert.equal(res.status, 200, res.text);
  return res.json.data;
}
async function session(id) {
  const res = await ctx.raw('GET', `/v1/sessions/${id}`);
  assert.equal(res.status, 200, res.text);
  return res.json;
}
// A member of w.org, signed in in a new browser.
async function signedIn(role = 'org:admin', fields) {
  const user = await newUser(fields);
  await add(w.org, user, role);
  const browser = ctx.browser();
  const res = await browser.signIn(user.id);
  return { user, browser, res };
}
const activeSessions = client => (client?.sessions ?? []).filter(s => s.status === 'active');
const verifyWithPem = jwt => verifyToken(jwt, { jwtKey: w.pem });
const verifyWithJwks = jwt => verifyToken(jwt, { secretKey: ctx.orgd.secretKey, apiUrl: ctx.orgd.url, skipJwksCache: true });

describe('environment', () => {
  test('GET /v1/environment: organizations enabled, single-session, what the instance settings say', async () => {
    const browser = ctx.browser();
    const res = await browser.get('/v1/environment');
    assert.equal(res.status, 200, res.text);
    const env = res.json;
    assert.equal(env.object, 'environment', res.text);
    assert.equal(env.organization_settings.enabled, true);
    assert.equal(env.organization_settings.force_organization_selection ?? false, false);
    assert.equal(env.auth_config.single_session_mode, true);
    assert.equal(env.display_config.show_devmode_warning ?? false, false);
    // Present, these would need more than orgd has (CLERK-JS.md §2 pitfalls).
    for (const key of ['commerce_settings', 'api_keys_settings', 'protect_config']) assert.ok(!(key in env), `${key} in the environment`);
    const settings = await ctx.clerk.instance.getOrganizationSettings();
    assert.equal(env.organization_settings.max_allowed_memberships, settings.maxAllowedMemberships);
    assert.equal(env.organization_settings.creator_role, settings.creatorRole);
    assert.equal(env.organization_settings.actions.admin_delete, settings.adminDeleteEnabled);
    assert.equal(env.organization_settings.domains.enabled, settings.domainsEnabled);
    // CORS for the app, with credentials.
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
  });

  test('POST /v1/environment?_method=PATCH (development clerk-js) answers the same environment', async () => {
    const browser = ctx.browser();
    const got = await browser.get('/v1/environment');
    const patched = await browser.patch('/v1/environment', {});
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(patched.json, got.json);
  });

  test('the environment follows an instance settings change', async () => {
    const before = await ctx.clerk.instance.getOrganizationSettings();
    await ctx.raw('PATCH', '/v1/instance/organization_settings', { json: { max_allowed_memberships: 7, admin_delete_enabled: false } });
    try {
      const env = (await ctx.browser().get('/v1/environment')).json;
      assert.equal(env.organization_settings.max_allowed_memberships, 7);
      assert.equal(env.organization_settings.actions.admin_delete, false);
    } finally {
      await ctx.raw('PATCH', '/v1/instance/organization_settings', {
        json: { max_allowed_memberships: before.maxAllowedMemberships, admin_delete_enabled: before.adminDeleteEnabled },
      });
    }
  });

  test('an unknown or newer __clerk_api_version is accepted (clerk-js 6.40.0 sends 2026-08-20)', async () => {
    const browser = ctx.browser();
    for (const version of [API_VERSION, '2099-01-01', '2021-02-05']) {
      const res = await browser.get(`/v1/environment?__clerk_api_version=${version}`);
      assert.equal(res.status, 200, `${version}: ${res.text}`);
    }
  });
});

describe('client', () => {
  test('no client: GET /v1/client answers {response: null, client: null}', async () => {
    const res = await ctx.browser().get('/v1/client');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { response: null, client: null });
  });

  test('after a ticket sign-in: the client with its session, user, memberships and last_active_token', async () => {
    const { user, browser, res: signIn } = await signedIn('org:admin');
    const res = await browser.get('/v1/client');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.client, null);
    const client = res.json.response;
    assert.equal(client.object, 'client');
    assert.match(client.id, /^client_[0-9A-Za-z]{27}$/);
    assert.equal(client.id, signIn.json.client.id);
    assert.equal(client.last_active_session_id, browser.sessionId);
    assert.equal(client.sign_in, null);
    const s = client.sessions.find(x => x.id === browser.sessionId);
    assert.ok(s, res.text);
    assert.equal(s.status, 'active');
    assert.equal(s.user.id, user.id);
    assert.ok(typeof s.last_active_token?.jwt === 'string', JSON.stringify(s));
    assert.equal((await verifyWithPem(s.last_active_token.jwt)).sid, s.id);
    const membership = s.user.organization_memberships.find(m => m.organization.id === w.org.id);
    assert.ok(membership, JSON.stringify(s.user.organization_memberships));
    assert.equal(membership.role, 'org:admin');
    // FAPI memberships carry the system permissions the UI checks (BEHAVIOR.md §4.4).
    for (const p of ['org:sys_profile:manage', 'org:sys_profile:delete', 'org:sys_memberships:read', 'org:sys_memberships:manage']) {
      assert.ok(membership.permissions.includes(p), `${p} missing: ${membership.permissions}`);
    }
    assert.deepEqual(membership.organization.public_metadata, { plan: 'pro' });
    assert.deepEqual(s.user.public_metadata, { tier: 'gold' });
    // The Backend API sees the same session, made by this client.
    const bapi = await session(browser.sessionId);
    assert.equal(bapi.status, 'active');
    assert.equal(bapi.user_id, user.id);
    assert.equal(bapi.client_id, client.id);
  });
});

describe('ticket sign-in', () => {
  test('a sign-in token signs in: complete, verified by ticket, the session in client.sessions, __client set', async () => {
    const user = await newUser();
    const browser = ctx.browser();
    const sit = await ctx.clerk.signInTokens.createSignInToken({ userId: user.id, expiresInSeconds: 600 });
    const res = await browser.redeem(sit.token);
    assert.equal(res.status, 200, res.text);
    const attempt = res.json.response;
    assert.equal(attempt.object, 'sign_in_attempt');
    assert.equal(attempt.status, 'complete');
    assert.equal(attempt.first_factor_verification.status, 'verified');
    assert.equal(attempt.first_factor_verification.strategy, 'ticket');
    assert.equal(attempt.identifier, user.emailAddresses[0].emailAddress);
    assert.equal(attempt.user_data.first_name, 'Ada');
    assert.match(attempt.created_session_id, /^sess_[0-9A-Za-z]{27}$/);
    assert.deepEqual(activeSessions(res.json.client).map(s => s.id), [attempt.created_session_id]);
    assert.equal(res.json.client.last_active_session_id, attempt.created_session_id);
    const cookie = setCookieNamed(res.setCookies, '__client');
    assert.ok(cookie && cookie.value.length >= 16, `no __client cookie: ${JSON.stringify(res.setCookies)}`);
    assert.equal(cookie.attributes.httponly, true);
    assert.equal(String(cookie.attributes.samesite).toLowerCase(), 'lax');
    assert.equal(cookie.attributes.path, '/');
    assert.ok(!res.text.includes(sit.token), 'the ticket is echoed back');
    const [bapi] = await sessionsOf(user.id);
    assert.equal(bapi.id, attempt.created_session_id);
    assert.equal(bapi.status, 'active');
  });

  test('refused tickets: reused, expired, revoked, not a ticket, missing; no session is made', async () => {
    const user = await newUser();
    const used = await ctx.clerk.signInTokens.createSignInToken({ userId: user.id, expiresInSeconds: 600 });
    // A client signed in already is refused (session_exists, below) without spending the ticket.
    const first = ctx.browser();
    await first.signIn(user.id);
    assert.equal((await first.redeem(used.token)).status, 400);
    const redeemed = ctx.browser();
    const spent = await redeemed.redeem(used.token);
    assert.equal(spent.status, 200, `the ticket a session_exists refusal saw is no longer good: ${spent.text}`);
    const sessions = (await sessionsOf(user.id)).length;

    const again = ctx.browser();
    assertFapiError(await again.redeem(used.token), 400, 'sign_in_token_already_used_code');
    const expiring = await ctx.clerk.signInTokens.createSignInToken({ userId: user.id, expiresInSeconds: 1 });
    const revoked = await ctx.clerk.signInTokens.createSignInToken({ userId: user.id, expiresInSeconds: 600 });
    await ctx.clerk.signInTokens.revokeSignInToken(revoked.id);
    await sleep(1500);
    assertFapiError(await ctx.browser().redeem(expiring.token), 400, 'ticket_expired_code');
    assertFapiError(await ctx.browser().redeem(revoked.token), 400, 'sign_in_token_revoked_code');
    assertFapiError(await ctx.browser().redeem('not-a-ticket'), 400, 'ticket_invalid_code');
    assertFapiError(await ctx.browser().redeem(used.token.slice(0, -2) + 'xx'), 400, 'ticket_invalid_code');
    assertFapiError(await ctx.browser().post('/v1/client/sign_ins', { strategy: 'ticket' }), 422, 'form_param_missing', 'ticket');
    assert.equal((await sessionsOf(user.id)).length, sessions, 'a refused ticket made a session');
    // A refused sign-in leaves no signed-in client behind.
    const after = await again.get('/v1/client');
    assert.equal(activeSessions(after.json.response).length, 0, after.text);
  });

  test('other strategies are not enabled: Clerk’s error, no session, no user', async () => {
    const user = await newUser();
    const email = user.emailAddresses[0].emailAddress;
    const browser = ctx.browser();
    for (const form of [
      { strategy: 'password', identifier: email, password: 'correct horse battery staple' },
      { strategy: 'email_code', identifier: email },
      { strategy: 'oauth_google', redirect_url: `${ORIGIN}/sso-callback` },
    ]) {
      const res = await browser.post('/v1/client/sign_ins', form);
      assert.ok(res.status === 400 || res.status === 422, `${JSON.stringify(form)}: ${res.status} ${res.text}`);
      assert.ok(['strategy_for_user_invalid', 'form_param_value_invalid'].includes(res.json?.errors?.[0]?.code),
        `${JSON.stringify(form)}: ${res.text}`);
    }
    // A sign-up without an invitation ticket creates nobody (refused, or never complete).
    for (const form of [{ strategy: 'email_code', email_address: address('signup') }, { email_address: address('signup'), password: 'x'.repeat(16) }]) {
      const res = await browser.post('/v1/client/sign_ups', form);
      assert.ok((res.status >= 400 && res.status < 500) || (res.status === 200 && res.json.response.status !== 'complete'),
        `${JSON.stringify(form)}: ${res.status} ${res.text}`);
      const found = await ctx.clerk.users.getUserList({ emailAddress: [form.email_address] });
      assert.equal(found.totalCount, 0, `a sign-up without a ticket made a user for ${form.email_address}`);
    }
    assert.equal((await sessionsOf(user.id)).length, 0);
    const after = await browser.get('/v1/client');
    assert.equal(activeSessions(after.json.response).length, 0, after.text);
  });

  test('single-session mode: a sign-in while a session is active is 400 session_exists; nothing changes', async () => {
    const { user, browser } = await signedIn('org:member');
    const other = await newUser();
    const before = (await browser.get('/v1/client')).json.response;
    for (const who of [user, other]) {
      const sit = await ctx.clerk.signInTokens.createSignInToken({ userId: who.id });
      assertFapiError(await browser.redeem(sit.token), 400, 'session_exists');
    }
    const after = (await browser.get('/v1/client')).json.response;
    assert.deepEqual(activeSessions(after).map(s => s.id), activeSessions(before).map(s => s.id));
    assert.equal((await sessionsOf(other.id)).length, 0);
    assert.equal((await sessionsOf(user.id)).length, 1);
  });
});

describe('invitation tickets', () => {
  const ticketOf = invitation => new URL(invitation.url).searchParams.get('__clerk_ticket');
  const invite = (emailAddress, role = 'org:member') => ctx.clerk.organizations.createOrganizationInvitation({
    organizationId: w.org.id, emailAddress, role, redirectUrl: ACCEPT_URL,
  });

  test('an existing user signs in with an invitation ticket: signed in and the invitation accepted', async () => {
    const user = await newUser();
    const invitation = await invite(user.emailAddresses[0].emailAddress, 'org:admin');
    assert.ok(ticketOf(invitation), invitation.url);
    const browser = ctx.browser();
    const res = await browser.redeem(ticketOf(invitation));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.response.status, 'complete');
    const sid = res.json.response.created_session_id;
    const s = activeSessions(res.json.client).find(x => x.id === sid);
    assert.equal(s.user.id, user.id);
    assert.ok(s.user.organization_memberships.some(m => m.organization.id === w.org.id && m.role === 'org:admin'),
      JSON.stringify(s.user.organization_memberships));
    const memberships = await ctx.clerk.users.getOrganizationMembershipList({ userId: user.id });
    assert.deepEqual(memberships.data.map(m => [m.organization.id, m.role]), [[w.org.id, 'org:admin']]);
    const read = await ctx.clerk.organizations.getOrganizationInvitation({ organizationId: w.org.id, invitationId: invitation.id });
    assert.equal(read.status, 'accepted');
    // The ticket was spent.
    assert.equal((await ctx.browser().redeem(ticketOf(invitation))).status >= 400, true);
  });

  test('a new address signs up with its invitation ticket: the user (email verified), the membership, a session', async () => {
    const email = address('newcomer');
    const invitation = await invite(email);
    const browser = ctx.browser();
    const res = await browser.post('/v1/client/sign_ups', { strategy: 'ticket', ticket: ticketOf(invitation), first_name: 'Grace', last_name: 'Hopper' });
    assert.equal(res.status, 200, res.text);
    const signUp = res.json.response;
    assert.equal(signUp.status, 'complete');
    assert.equal(signUp.email_address, email);
    assert.match(signUp.created_user_id, /^user_[0-9A-Za-z]{27}$/);
    assert.match(signUp.created_session_id, /^sess_[0-9A-Za-z]{27}$/);
    assert.ok(activeSessions(res.json.client).some(s => s.id === signUp.created_session_id && s.user.id === signUp.created_user_id));
    assert.ok(setCookieNamed(res.setCookies, '__client'), 'no __client cookie after the sign-up');
    const user = await ctx.clerk.users.getUser(signUp.created_user_id);
    assert.deepEqual(user.emailAddresses.map(e => [e.emailAddress, e.verification?.status]), [[email, 'verified']]);
    assert.equal(user.primaryEmailAddressId, user.emailAddresses[0].id);
    const memberships = await ctx.clerk.users.getOrganizationMembershipList({ userId: user.id });
    assert.deepEqual(memberships.data.map(m => [m.organization.id, m.role]), [[w.org.id, 'org:member']]);
    const read = await ctx.clerk.organizations.getOrganizationInvitation({ organizationId: w.org.id, invitationId: invitation.id });
    assert.equal(read.status, 'accepted');
    assert.equal((await session(signUp.created_session_id)).user_id, user.id);
  });

  test('a revoked invitation’s ticket is refused; nothing is created', async () => {
    const email = address('revoked');
    const invitation = await invite(email);
    await ctx.clerk.organizations.revokeOrganizationInvitation({ organizationId: w.org.id, invitationId: invitation.id });
    const res = await ctx.browser().post('/v1/client/sign_ups', { strategy: 'ticket', ticket: ticketOf(invitation) });
    assert.ok(res.status >= 400 && res.status < 500, res.text);
    assert.equal((await ctx.clerk.users.getUserList({ emailAddress: [email] })).totalCount, 0);
  });
});

describe('touch', () => {
  test('by organization id and by slug: the session’s active organization, with a token for it', async () => {
    const { user, browser } = await signedIn('org:member');
    await add(w.other, user);
    for (const [value, org] of [[w.org.id, w.org], ['other-org', w.other], [w.org.slug, w.org]]) {
      const res = await browser.touch(value);
      assert.equal(res.status, 200, `${value}: ${res.text}`);
      assert.equal(res.json.response.id, browser.sessionId);
      assert.equal(res.json.response.last_active_organization_id, org.id);
      const claims = await verifyWithPem(res.json.response.last_active_token.jwt);
      assert.equal(claims.o?.id, org.id, JSON.stringify(claims));
      assert.ok(res.json.client, 'touch answers the client');
      assert.equal((await session(browser.sessionId)).last_active_organization_id, org.id);
    }
  });

  test('"" clears the active organization; a token then has no o claim', async () => {
    const { browser } = await signedIn('org:member');
    await browser.touch(w.org.id);
    const res = await browser.touch('');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.response.last_active_organization_id, null);
    assert.ok(!('o' in decodeJwt(res.json.response.last_active_token.jwt).payload));
    assert.equal((await session(browser.sessionId)).last_active_organization_id, null);
  });

  test('an organization the user is not in, or none, is refused and the active organization stays', async () => {
    const { browser } = await signedIn('org:member');
    await browser.touch(w.org.id);
    for (const value of [w.other.id, 'other-org', MISSING_ORG, 'no-such-slug']) {
      assertFapiError(await browser.touch(value), 404, 'organization_not_found_or_unauthorized');
      assert.equal((await session(browser.sessionId)).last_active_organization_id, w.org.id, value);
    }
  });

  test('a session that is not this client’s is refused', async () => {
    const { browser } = await signedIn('org:member');
    const { browser: stranger } = await signedIn('org:member');
    const res = await browser.touch(w.org.id, { sessionId: stranger.sessionId });
    assert.ok([401, 404].includes(res.status), res.text);
  });
});

describe('tokens', () => {
  test('organization_id: the token’s o claim; verifyToken accepts it with the PEM and with the JWKS', async () => {
    const { user, browser } = await signedIn('org:admin');
    const res = await browser.token(w.org.id);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json).sort(), ['jwt', 'object']);
    assert.equal(res.json.object, 'token');
    for (const verify of [verifyWithPem, verifyWithJwks]) {
      const claims = await verify(res.json.jwt);
      assert.equal(claims.sub, user.id);
      assert.equal(claims.sid, browser.sessionId);
      assert.equal(claims.iss, ctx.frontendUrl);
      assert.equal(claims.azp, ORIGIN);
      assert.deepEqual({ id: claims.o.id, slg: claims.o.slg, rol: claims.o.rol }, { id: w.org.id, slg: 'client-org', rol: 'admin' });
    }
    const personal = await browser.token('');
    assert.equal(personal.status, 200, personal.text);
    assert.ok(!('o' in (await verifyWithPem(personal.json.jwt))));
  });

  test('an organization the user is not in is refused; no token', async () => {
    const { browser } = await signedIn('org:member');
    for (const org of [w.other.id, MISSING_ORG]) {
      const res = await browser.token(org);
      assertFapiError(res, 404, 'organization_not_found_or_unauthorized');
    }
  });
});

describe('sign-out', () => {
  test('…/end ends the session: ended in the Backend API, __client_uat 0, the session refused after', async () => {
    const { browser } = await signedIn('org:member');
    const sid = browser.sessionId;
    const res = await browser.post(`/v1/client/sessions/${sid}/end`, {});
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.response.id, sid);
    assert.equal(res.json.response.status, 'ended');
    assert.ok(!activeSessions(res.json.client).some(s => s.id === sid), res.text);
    assert.equal((await session(sid)).status, 'ended');
    assert.equal(setCookieNamed(res.setCookies, '__client_uat')?.value, '0');
    assertFapiError(await browser.token(''), 401, 'signed_out');
    assertFapiError(await browser.get('/v1/me'), 401, 'signed_out');
  });

  test('…/remove removes the session', async () => {
    const { browser } = await signedIn('org:member');
    const sid = browser.sessionId;
    const res = await browser.post(`/v1/client/sessions/${sid}/remove`, {});
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.response.status, 'removed');
    assert.equal((await session(sid)).status, 'removed');
    assertFapiError(await browser.get('/v1/me'), 401, 'signed_out');
  });

  test('POST /v1/client/sessions?_method=DELETE (removeSessions) signs out and keeps the client', async () => {
    const { browser } = await signedIn('org:member');
    const sid = browser.sessionId;
    const clientId = (await browser.get('/v1/client')).json.response.id;
    const res = await browser.delete('/v1/client/sessions');
    assert.equal(res.status, 200, res.text);
    assert.equal(activeSessions(res.json.response).length, 0, res.text);
    assert.notEqual((await session(sid)).status, 'active');
    assert.ok(browser.cookies.has('__client'), 'the __client cookie was dropped');
    const after = await browser.get('/v1/client');
    assert.equal(after.json.response?.id, clientId, after.text);
    assert.equal(activeSessions(after.json.response).length, 0);
    assertFapiError(await browser.get('/v1/me'), 401, 'signed_out');
    // Signing in again on the same client works.
    const user = (await session(sid)).user_id;
    await browser.signIn(user);
  });

  test('POST /v1/client?_method=DELETE ends every session of the client; the old cookie is signed out', async () => {
    const { browser } = await signedIn('org:member');
    const sid = browser.sessionId;
    const stolen = browser.clone();
    const res = await browser.delete('/v1/client');
    assert.equal(res.status, 200, res.text);
    assert.notEqual((await session(sid)).status, 'active');
    const after = await browser.get('/v1/client');
    assert.equal(activeSessions(after.json.response).length, 0, after.text);
    assertFapiError(await stolen.get('/v1/me'), 401, 'signed_out');
    assertFapiError(await stolen.touch(w.org.id), 401, 'signed_out');
  });
});

describe('GET /v1/me', () => {
  test('the signed-in user with memberships, public metadata only', async () => {
    const { user, browser } = await signedIn('org:member');
    const res = await browser.get('/v1/me');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.client, null);
    const me = res.json.response;
    assert.equal(me.object, 'user');
    assert.equal(me.id, user.id);
    assert.deepEqual(me.email_addresses.map(e => e.email_address), [user.emailAddresses[0].emailAddress]);
    assert.deepEqual(me.public_metadata, { tier: 'gold' });
    assert.ok(!res.text.includes('user-private') && !res.text.includes('org-private'), 'private metadata leaked');
    assert.ok(me.organization_memberships.some(m => m.organization.id === w.org.id && m.role === 'org:member'));
  });

  test('without a client, 401 signed_out', async () => {
    assertFapiError(await ctx.browser().get('/v1/me'), 401, 'signed_out');
  });
});

describe('__client_uat', () => {
  test('unix seconds of the client’s update on sign-in and touch, plain and suffixed, readable by the page; 0 on sign-out', async () => {
    const suffix = cookieSuffix(frontendPublishableKey(ctx.frontendUrl));
    const user = await newUser();
    await add(w.org, user);
    const browser = ctx.browser();
    const before = Math.floor(Date.now() / 1000);
    const res = await browser.signIn(user.id);
    const after = Math.ceil(Date.now() / 1000);
    const uat = setCookieNamed(res.setCookies, '__client_uat');
    const suffixed = setCookieNamed(res.setCookies, `__client_uat_${suffix}`);
    assert.ok(uat, `no __client_uat: ${JSON.stringify(res.setCookies)}`);
    assert.ok(suffixed, `no __client_uat_${suffix}: ${JSON.stringify(res.setCookies)}`);
    assert.equal(suffixed.value, uat.value);
    const seconds = Number(uat.value);
    assert.ok(Number.isInteger(seconds) && seconds >= before - 1 && seconds <= after + 1, `__client_uat ${uat.value}`);
    assert.equal(seconds, Math.floor(res.json.client.updated_at / 1000));
    for (const cookie of [uat, suffixed]) {
      assert.ok(!cookie.attributes.httponly, `${cookie.name} is httpOnly`);
      assert.equal(cookie.attributes.path, '/');
    }
    await sleep(1100);
    const touched = await browser.touch(w.org.id);
    const touchedUat = setCookieNamed(touched.setCookies, '__client_uat');
    assert.ok(touchedUat && Number(touchedUat.value) >= seconds, JSON.stringify(touched.setCookies));
    const ended = await browser.post(`/v1/client/sessions/${browser.sessionId}/end`, {});
    assert.equal(setCookieNamed(ended.setCookies, '__client_uat')?.value, '0');
    assert.equal(setCookieNamed(ended.setCookies, `__client_uat_${suffix}`)?.value, '0');
  });
});

describe('CORS', () => {
  test('preflight from an allowed origin: 204 with the origin, credentials, methods and headers', async () => {
    const browser = ctx.browser();
    const res = await browser.request('OPTIONS', '/v1/organizations/org_x/logo', {
      headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(res.status, 204, res.text);
    assert.equal(res.text, '');
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match((res.headers.get('access-control-allow-headers') ?? '').toLowerCase(), /content-type/);
    assert.match((res.headers.get('vary') ?? '').toLowerCase(), /origin/);
  });

  test('an answer to an allowed origin names it, with credentials; another origin is not named', async () => {
    const { browser } = await signedIn('org:member');
    const res = await browser.get('/v1/client');
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    const foreign = await browser.clone({ origin: OTHER_ORIGIN }).get('/v1/environment');
    const allowed = foreign.headers.get('access-control-allow-origin');
    assert.ok(allowed !== OTHER_ORIGIN && allowed !== '*', `Access-Control-Allow-Origin ${allowed} for a refused origin`);
    const preflight = await ctx.browser({ origin: OTHER_ORIGIN }).request('OPTIONS', '/v1/organizations', {
      headers: { 'access-control-request-method': 'POST' },
    });
    const pre = preflight.headers.get('access-control-allow-origin');
    assert.ok(pre !== OTHER_ORIGIN && pre !== '*', `preflight allows ${pre}`);
  });
});

describe('refused origin', () => {
  test('state-changing requests from another origin: 403 origin_invalid, nothing changed', async () => {
    const { user, browser } = await signedIn('org:admin');
    await browser.touch(w.org.id);
    const foreign = browser.clone({ origin: OTHER_ORIGIN });
    const orgsBefore = (await ctx.clerk.users.getOrganizationMembershipList({ userId: user.id })).totalCount;
    assertFapiError(await foreign.post('/v1/organizations', { name: 'Foreign Org' }), 403, 'origin_invalid');
    assertFapiError(await foreign.touch(''), 403, 'origin_invalid');
    assertFapiError(await foreign.post(`/v1/client/sessions/${browser.sessionId}/end`, {}), 403, 'origin_invalid');
    assertFapiError(await foreign.delete('/v1/client'), 403, 'origin_invalid');
    assertFapiError(await foreign.delete('/v1/client/sessions'), 403, 'origin_invalid');
    const sit = await ctx.clerk.signInTokens.createSignInToken({ userId: user.id });
    assertFapiError(await ctx.browser({ origin: OTHER_ORIGIN }).redeem(sit.token), 403, 'origin_invalid');
    const s = await session(browser.sessionId);
    assert.equal(s.status, 'active');
    assert.equal(s.last_active_organization_id, w.org.id);
    assert.equal((await ctx.clerk.users.getOrganizationMembershipList({ userId: user.id })).totalCount, orgsBefore);
    assert.equal((await sessionsOf(user.id)).length, 1);
    // The same ticket still works from the app.
    assert.equal((await ctx.browser().redeem(sit.token)).status, 200);
  });

  test('a state-changing request without Origin (and not native) is refused', async () => {
    const { user, browser } = await signedIn('org:admin');
    const bare = browser.clone({ origin: null });
    for (const res of [await bare.post('/v1/organizations', { name: 'No Origin Org' }), await bare.delete('/v1/client')]) {
      assert.ok(res.status === 403 || res.status === 400, res.text);
      assert.ok(['origin_invalid', 'request_header_missing'].includes(res.json?.errors?.[0]?.code), res.text);
    }
    assert.equal((await session(browser.sessionId)).status, 'active');
    assert.equal((await ctx.clerk.users.getOrganizationMembershipList({ userId: user.id })).totalCount, 1);
  });
});

describe('native clients', () => {
  test('?_is_native=1 with Authorization: signed in without cookies, the credential in the Authorization header', async () => {
    const user = await newUser();
    await add(w.org, user, 'org:admin');
    const app = ctx.browser({ native: true, origin: null });
    const res = await app.signIn(user.id);
    assert.ok(app.authorization, `no Authorization header in the sign-in answer: ${JSON.stringify([...res.headers])}`);
    const me = await app.get('/v1/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.response.id, user.id);
    const created = await app.post('/v1/organizations', { name: 'Native Org', slug: `native-org-${next()}` });
    assert.equal(created.status, 200, created.text);
    const org = await ctx.clerk.organizations.getOrganization({ organizationId: created.json.response.id });
    assert.equal(org.name, 'Native Org');
    // Without the credential, the same app is signed out; with a wrong one too.
    assertFapiError(await app.clone({ native: true }).get('/v1/me', { headers: { authorization: '' } }), 401, 'signed_out');
    const wrong = await app.get('/v1/me', { headers: { authorization: 'Bearer not-a-client' } });
    assert.equal(wrong.status, 401, wrong.text);
  });
});

test('the query clerk-js sends is what this client sends', () => {
  const { url } = ctx.browser().url('/v1/organizations/org_1', { method: 'PATCH', sessionId: 'sess_1' });
  assert.equal(url.searchParams.get('__clerk_api_version'), API_VERSION);
  assert.equal(url.searchParams.get('_clerk_js_version'), JS_VERSION);
  assert.equal(url.searchParams.get('_method'), 'PATCH');
  assert.equal(url.searchParams.get('_clerk_session_id'), 'sess_1');
  const client = ctx.browser().url('/v1/client/sessions/sess_1/touch', { method: 'POST', sessionId: 'sess_1' }).url;
  assert.equal(client.searchParams.get('_clerk_session_id'), null);
});
