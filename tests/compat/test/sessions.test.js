// Sessions, sign-in tokens and the JWKS on the Backend API, through the real SDK (sessions.*,
// signInTokens.*, jwks.getJwks) and raw HTTP where the SDK cannot send the request. Issue 15.
// What the session tokens carry and how @clerk/backend verifies them is tokens.test.js; this file
// checks the resources, their lifecycle and that no key material or credential leaks.
//
// orgd runs at --log-level debug here so that the leak check at the end reads everything it logs.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { describe, test } from 'node:test';
import { responseListeners } from '../lib/contract.js';
import { assertClerkError, assertSdkError, useOrgd } from '../lib/suite.js';
import { decodeJwt, orgdCli, publicPem } from '../lib/tokens.js';

const FRONTEND = 'https://clerk.sessions.example.test';
const ctx = useOrgd({ args: ['--frontend-url', FRONTEND], logLevel: 'debug' });
const MISSING_USER = 'user_0000000000000000000000000000';
const MISSING_ORG = 'org_0000000000000000000000000000';
const MISSING_SESSION = `sess_${'0'.repeat(27)}`;
const MISSING_SIGN_IN_TOKEN = `sit_${'0'.repeat(27)}`;
const DAY = 24 * 60 * 60 * 1000;
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const SESSION_KEYS = ['abandon_at', 'actor', 'client_id', 'created_at', 'expire_at', 'id', 'last_active_at',
  'last_active_organization_id', 'object', 'status', 'updated_at', 'user_id'];

// Every credential orgd hands out here, and every response body, for the leak check at the end.
const minted = [];
const signInTokens = [];
const bodiesWithPrivateKey = [];
let bodiesSeen = 0;
responseListeners.add(({ method, url, body }) => {
  bodiesSeen++;
  if (/PRIVATE KEY/.test(body)) bodiesWithPrivateKey.push(`${method} ${url}: ${body.slice(0, 200)}`);
});

let counter = 0;
const next = () => ++counter;
const newUser = () => ctx.clerk.users.createUser({ emailAddress: [`user${next()}@sessions.example.com`] });
const newOrg = (fields = {}) =>
  ctx.clerk.organizations.createOrganization({ name: `Sessions Org ${next()}`, maxAllowedMemberships: 0, ...fields });
const add = (org, user, role = 'org:member') =>
  ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: user.id, role });
const createSession = (userId, activeOrganizationId) =>
  ctx.clerk.sessions.createSession(activeOrganizationId === undefined ? { userId } : { userId, activeOrganizationId });
async function mint(sessionId, expiresInSeconds) {
  const token = await ctx.clerk.sessions.getToken(sessionId, '', expiresInSeconds);
  minted.push(token.jwt);
  return token.jwt;
}
const claims = jwt => decodeJwt(jwt).payload;
async function rawSession(id) {
  const res = await ctx.raw('GET', `/v1/sessions/${id}`);
  assert.equal(res.status, 200, res.text);
  return res.json;
}
async function sessionsOf(userId) {
  const res = await ctx.raw('GET', `/v1/sessions?user_id=${userId}&paginated=true&limit=500`);
  assert.equal(res.status, 200, res.text);
  return res.json;
}
function assertSessionJson(s) {
  assert.deepEqual(Object.keys(s).sort(), SESSION_KEYS, JSON.stringify(s));
  assert.equal(s.object, 'session');
  assert.match(s.id, /^sess_[0-9A-Za-z]{27}$/);
  assert.match(s.client_id, /^client_[0-9A-Za-z]{27}$/);
  assert.equal(s.actor, null);
  for (const key of ['last_active_at', 'expire_at', 'abandon_at', 'created_at', 'updated_at']) {
    assert.ok(Number.isInteger(s[key]) && s[key] > 1e12, `${key} is ms since the epoch: ${s[key]}`);
  }
}

describe('GET /v1/jwks', () => {
  test('one RSA-2048 signing key with its public parts only, the key `orgd keys public-pem` prints', async () => {
    const jwks = await ctx.clerk.jwks.getJwks();
    assert.equal(jwks.keys.length, 1, JSON.stringify(jwks));
    const [key] = jwks.keys;
    assert.deepEqual(Object.keys(key).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use'], JSON.stringify(key));
    for (const member of PRIVATE_JWK_MEMBERS) assert.ok(!(member in key), `private member ${member} in the JWKS`);
    assert.equal(key.kty, 'RSA');
    assert.equal(key.alg, 'RS256');
    assert.equal(key.use, 'sig');
    assert.equal(key.e, 'AQAB');
    assert.ok(typeof key.kid === 'string' && key.kid.length > 0);
    // Unpadded base64url of a 2048-bit modulus.
    assert.match(key.n, /^[A-Za-z0-9_-]+$/);
    const modulus = Buffer.from(key.n, 'base64url');
    assert.equal(modulus.length, 256);
    assert.ok(modulus[0] >= 0x80, 'the modulus has no leading zero byte');
    // The PEM an app puts in CLERK_JWT_KEY is the same key (the CLI reads the store while orgd runs).
    const pem = publicPem(ctx.orgd.dataDir);
    assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n?$/);
    assert.doesNotMatch(pem, /PRIVATE/);
    const fromPem = createPublicKey(pem).export({ format: 'jwk' });
    assert.equal(fromPem.n, key.n);
    assert.equal(fromPem.e, key.e);
    assert.equal(publicPem(ctx.orgd.dataDir, key.kid), pem);
    // Stable: the same key on every read.
    assert.deepEqual((await ctx.raw('GET', '/v1/jwks')).json, { keys: [key] });
  });

  test('is a Backend API route: the secret key is required', async () => {
    const res = await ctx.raw('GET', '/v1/jwks', { auth: false });
    assertClerkError(res, 401, 'authentication_invalid');
    assertClerkError(await ctx.raw('GET', '/v1/jwks', { headers: { authorization: 'Bearer sk_test_' + 'x'.repeat(40) } }),
      401, 'clerk_key_invalid');
  });
});

describe('sessions', () => {
  test('createSession answers an active session in Clerk’s shape; getSession reads it back', async () => {
    const user = await newUser();
    const before = Date.now();
    const session = await createSession(user.id);
    const after = Date.now();
    assert.match(session.id, /^sess_[0-9A-Za-z]{27}$/);
    assert.equal(session.userId, user.id);
    assert.equal(session.status, 'active');
    assert.equal(session.lastActiveOrganizationId, null);  // no memberships
    assert.ok(session.createdAt >= before - 1000 && session.createdAt <= after + 1000, `created_at ${session.createdAt}`);
    assert.equal(session.expireAt - session.createdAt, 7 * DAY);  // --session-lifetime defaults to 7 days
    // No inactivity timeout by default: nothing abandons the session before it expires.
    assert.ok(session.abandonAt >= session.expireAt, `abandon_at ${session.abandonAt} < expire_at ${session.expireAt}`);
    assert.ok(session.lastActiveAt >= session.createdAt);
    const raw = await rawSession(session.id);
    assertSessionJson(raw);
    assert.equal(raw.status, 'active');
    assert.equal(raw.client_id, session.clientId);
    const again = await ctx.clerk.sessions.getSession(session.id);
    assert.equal(again.id, session.id);
    assert.equal(again.clientId, session.clientId);
    assert.equal(again.expireAt, session.expireAt);
    // Each Backend API session is on a client of its own.
    const second = await createSession(user.id);
    assert.notEqual(second.id, session.id);
    assert.notEqual(second.clientId, session.clientId);
  });

  test('the active organization: the most recent membership by default, or the one asked for', async () => {
    const user = await newUser();
    const first = await newOrg();
    const second = await newOrg();
    await add(first, user, 'org:admin');
    await add(second, user);
    assert.equal((await createSession(user.id)).lastActiveOrganizationId, second.id);
    const chosen = await createSession(user.id, first.id);
    assert.equal(chosen.lastActiveOrganizationId, first.id);
    assert.equal((await rawSession(chosen.id)).last_active_organization_id, first.id);
    const o = claims(await mint(chosen.id)).o;
    assert.equal(o.id, first.id);
    assert.equal(o.rol, 'admin');
    // The raw body takes null as "not given".
    const res = await ctx.raw('POST', '/v1/sessions', { json: { user_id: user.id, active_organization_id: null } });
    assert.equal(res.status, 200, res.text);
    assertSessionJson(res.json);
    assert.equal(res.json.last_active_organization_id, second.id);
  });

  test('refusals: unknown user, missing user_id, an organization the user is not in or that does not exist', async () => {
    const user = await newUser();
    const stranger = await newOrg();
    const before = (await sessionsOf(user.id)).total_count;
    await assertSdkError(createSession(MISSING_USER), 404, 'resource_not_found');
    assertClerkError(await ctx.raw('POST', '/v1/sessions', { json: {} }), 422, 'form_param_missing', 'user_id');
    await assertSdkError(createSession(user.id, stranger.id), 403, 'not_a_member_in_organization');
    assertClerkError(await ctx.raw('POST', '/v1/sessions', { json: { user_id: user.id, active_organization_id: stranger.id } }),
      403, 'not_a_member_in_organization');
    await assertSdkError(createSession(user.id, MISSING_ORG), 404, 'resource_not_found');
    assert.equal((await sessionsOf(user.id)).total_count, before, 'a refused request created a session');
  });

  test('getSessionList: paginated {data, totalCount}, newest first, by user, client and status', async () => {
    const user = await newUser();
    const other = await newUser();
    const made = [];
    for (let i = 0; i < 4; i++) made.push(await createSession(user.id));
    await createSession(other.id);
    const list = await ctx.clerk.sessions.getSessionList({ userId: user.id });
    assert.equal(list.totalCount, 4);
    assert.deepEqual(list.data.map(s => s.id), made.map(s => s.id).reverse());
    assert.ok(list.data.every(s => s.userId === user.id && s.status === 'active'));
    const page = await ctx.clerk.sessions.getSessionList({ userId: user.id, limit: 2, offset: 1 });
    assert.equal(page.totalCount, 4);
    assert.deepEqual(page.data.map(s => s.id), [made[2].id, made[1].id]);
    await ctx.clerk.sessions.revokeSession(made[0].id);
    const active = await ctx.clerk.sessions.getSessionList({ userId: user.id, status: 'active' });
    assert.deepEqual(active.data.map(s => s.id), [made[3].id, made[2].id, made[1].id]);
    assert.equal(active.totalCount, 3);
    const revoked = await ctx.clerk.sessions.getSessionList({ userId: user.id, status: 'revoked' });
    assert.deepEqual(revoked.data.map(s => s.id), [made[0].id]);
    assert.equal((await ctx.clerk.sessions.getSessionList({ userId: user.id, status: 'ended' })).totalCount, 0);
    const byClient = await ctx.clerk.sessions.getSessionList({ clientId: made[1].clientId });
    assert.deepEqual(byClient.data.map(s => s.id), [made[1].id]);
    // Without paginated=true the answer is a plain array (BEHAVIOR §1.5).
    const plain = await ctx.raw('GET', `/v1/sessions?user_id=${user.id}`);
    assert.equal(plain.status, 200, plain.text);
    assert.ok(Array.isArray(plain.json), plain.text);
    assert.deepEqual(plain.json.map(s => s.id), made.map(s => s.id).reverse());
    plain.json.forEach(assertSessionJson);
    assertClerkError(await ctx.raw('GET', `/v1/sessions?user_id=${user.id}&status=sleeping`), 422, 'form_param_value_invalid',
      'status');
    assert.deepEqual((await ctx.clerk.sessions.getSessionList({ userId: MISSING_USER })).data, []);
  });

  test('revokeSession: the session is revoked and mints nothing; revoking again is refused; unknown IDs are 404', async () => {
    const user = await newUser();
    const session = await createSession(user.id);
    await mint(session.id);
    const revoked = await ctx.clerk.sessions.revokeSession(session.id);
    assert.equal(revoked.id, session.id);
    assert.equal(revoked.status, 'revoked');
    const raw = await rawSession(session.id);
    assertSessionJson(raw);
    assert.equal(raw.status, 'revoked');
    assert.ok(raw.updated_at >= session.updatedAt);
    await assertSdkError(ctx.clerk.sessions.getToken(session.id, ''), 401, 'authentication_invalid');
    assertClerkError(await ctx.raw('POST', `/v1/sessions/${session.id}/tokens`, { json: { expires_in_seconds: 60 } }),
      401, 'authentication_invalid');
    await assertSdkError(ctx.clerk.sessions.revokeSession(session.id), 400, 'invalid_action_for_session');
    assert.equal((await rawSession(session.id)).status, 'revoked');
    // Another session of the same user is untouched.
    const other = await createSession(user.id);
    assert.equal(claims(await mint(other.id)).sid, other.id);
    await assertSdkError(ctx.clerk.sessions.getSession(MISSING_SESSION), 404, 'resource_not_found');
    await assertSdkError(ctx.clerk.sessions.revokeSession(MISSING_SESSION), 404, 'resource_not_found');
    await assertSdkError(ctx.clerk.sessions.getToken(MISSING_SESSION, ''), 404, 'resource_not_found');
  });

  test('deleting the user ends every session of theirs; an ended session mints nothing', async () => {
    const user = await newUser();
    const a = await createSession(user.id);
    const b = await createSession(user.id);
    await mint(a.id);
    const bystander = await createSession((await newUser()).id);
    await ctx.clerk.users.deleteUser(user.id);
    for (const s of [a, b]) {
      const raw = await rawSession(s.id);
      assertSessionJson(raw);
      assert.equal(raw.status, 'ended');
      await assertSdkError(ctx.clerk.sessions.getToken(s.id, ''), 401, 'authentication_invalid');
    }
    const list = await ctx.clerk.sessions.getSessionList({ userId: user.id, status: 'ended' });
    assert.deepEqual(list.data.map(s => s.id).sort(), [a.id, b.id].sort());
    await assertSdkError(ctx.clerk.sessions.revokeSession(a.id), 400, 'invalid_action_for_session');
    assert.equal((await rawSession(bystander.id)).status, 'active');
  });
});

describe('POST /v1/sessions/{id}/tokens', () => {
  test('answers {object: "token", jwt} for the session; getToken and the raw route agree', async () => {
    const user = await newUser();
    const session = await createSession(user.id);
    const token = await ctx.clerk.sessions.getToken(session.id, '');
    minted.push(token.jwt);
    const { header, payload } = decodeJwt(token.jwt);
    const [key] = (await ctx.raw('GET', '/v1/jwks')).json.keys;
    assert.deepEqual(header, { alg: 'RS256', kid: key.kid, typ: 'JWT', cat: 'cl_B7d4PD111AAA' });
    assert.equal(payload.sub, user.id);
    assert.equal(payload.sid, session.id);
    assert.equal(payload.iss, FRONTEND);
    assert.equal(payload.exp - payload.iat, 60);  // --token-lifetime defaults to 60 s
    const res = await ctx.raw('POST', `/v1/sessions/${session.id}/tokens`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json).sort(), ['jwt', 'object']);
    assert.equal(res.json.object, 'token');
    minted.push(res.json.jwt);
    assert.equal(claims(res.json.jwt).sid, session.id);
    assert.notEqual(claims(res.json.jwt).jti, payload.jti);
  });

  test('expires_in_seconds: 30 to 315360000, else 422; null is the default', async () => {
    const session = await createSession((await newUser()).id);
    const path = `/v1/sessions/${session.id}/tokens`;
    for (const seconds of [30, 3600, 315360000]) {
      const c = claims(await mint(session.id, seconds));
      assert.equal(c.exp - c.iat, seconds);
    }
    const withNull = await ctx.raw('POST', path, { json: { expires_in_seconds: null } });
    assert.equal(withNull.status, 200, withNull.text);
    minted.push(withNull.json.jwt);
    assert.equal(claims(withNull.json.jwt).exp - claims(withNull.json.jwt).iat, 60);
    for (const seconds of [29, 0, -1, 315360001]) {
      assertClerkError(await ctx.raw('POST', path, { json: { expires_in_seconds: seconds } }), 422, 'form_param_value_invalid',
        'expires_in_seconds');
    }
    await assertSdkError(ctx.clerk.sessions.getToken(session.id, '', 10), 422, 'form_param_value_invalid');
    for (const bad of ['60', 45.5, true, {}]) {
      const res = await ctx.raw('POST', path, { json: { expires_in_seconds: bad } });
      assert.equal(res.status, 422, `expires_in_seconds ${JSON.stringify(bad)}: ${res.text}`);
      assert.equal(res.json.errors[0].meta?.param_name, 'expires_in_seconds', res.text);
    }
  });

  test('a JWT template name is 404: orgd has no templates', async () => {
    const session = await createSession((await newUser()).id);
    await assertSdkError(ctx.clerk.sessions.getToken(session.id, 'supabase'), 404, 'resource_not_found');
    assertClerkError(await ctx.raw('POST', `/v1/sessions/${session.id}/tokens/hasura`, { json: { expires_in_seconds: 60 } }),
      404, 'resource_not_found');
    assertClerkError(await ctx.raw('POST', `/v1/sessions/${MISSING_SESSION}/tokens/hasura`), 404, 'resource_not_found');
  });

  test('leaving the active organization: the next token has no organization and the session none either', async () => {
    const user = await newUser();
    const stays = await newUser();
    const org = await newOrg({ createdBy: stays.id });
    await add(org, user, 'org:admin');
    const session = await createSession(user.id);
    const staying = await createSession(stays.id);
    assert.equal(session.lastActiveOrganizationId, org.id);
    assert.equal(claims(await mint(session.id)).o.id, org.id);
    await ctx.clerk.organizations.deleteOrganizationMembership({ organizationId: org.id, userId: user.id });
    const after = claims(await mint(session.id));
    assert.equal(after.sub, user.id);
    assert.ok(!('o' in after), `a token after leaving still has o: ${JSON.stringify(after.o)}`);
    assert.ok(!after.fea, `fea ${after.fea}`);
    assert.equal((await rawSession(session.id)).last_active_organization_id, null);
    assert.equal((await ctx.clerk.sessions.getSession(session.id)).status, 'active');
    // The member who stays keeps the organization.
    assert.equal(claims(await mint(staying.id)).o.id, org.id);
    // Joining again does not make it active on an existing session (only at the next session creation).
    await add(org, user);
    assert.ok(!('o' in claims(await mint(session.id))));
    assert.equal((await createSession(user.id)).lastActiveOrganizationId, org.id);
  });

  test('deleting the active organization: the next token has no organization and the session none either', async () => {
    const user = await newUser();
    const kept = await newOrg();
    const doomed = await newOrg();
    await add(kept, user);
    await add(doomed, user, 'org:admin');
    const session = await createSession(user.id);
    const onKept = await createSession(user.id, kept.id);
    assert.equal(session.lastActiveOrganizationId, doomed.id);
    assert.equal(claims(await mint(session.id)).o.id, doomed.id);
    await ctx.clerk.organizations.deleteOrganization(doomed.id);
    const after = claims(await mint(session.id));
    assert.ok(!('o' in after), JSON.stringify(after));
    assert.equal((await rawSession(session.id)).last_active_organization_id, null);
    assert.equal(claims(await mint(onKept.id)).o.id, kept.id);
    assert.equal((await rawSession(onKept.id)).last_active_organization_id, kept.id);
  });
});

describe('sign-in tokens', () => {
  test('createSignInToken answers a pending token in Clerk’s shape; each token is new', async () => {
    const user = await newUser();
    const before = Date.now();
    const sit = await ctx.clerk.signInTokens.createSignInToken({ userId: user.id, expiresInSeconds: 600 });
    const after = Date.now();
    assert.match(sit.id, /^sit_[0-9A-Za-z]{27}$/);
    assert.equal(sit.userId, user.id);
    assert.equal(sit.status, 'pending');
    assert.equal(typeof sit.token, 'string');
    assert.ok(sit.token.length >= 32, `a short token: ${sit.token}`);
    assert.equal(sit.url, null);
    assert.ok(sit.createdAt >= before - 1000 && sit.createdAt <= after + 1000);
    assert.equal(sit.updatedAt, sit.createdAt);
    signInTokens.push(sit.token);
    const raw = await ctx.raw('POST', '/v1/sign_in_tokens', { json: { user_id: user.id } });
    assert.equal(raw.status, 200, raw.text);
    assert.deepEqual(Object.keys(raw.json).sort(), ['created_at', 'id', 'object', 'status', 'token', 'updated_at', 'url',
      'user_id']);
    assert.equal(raw.json.object, 'sign_in_token');
    signInTokens.push(raw.json.token);
    assert.notEqual(raw.json.token, sit.token);
    assert.notEqual(raw.json.id, sit.id);
    // It does not create a session: that happens when the browser redeems it (Frontend API).
    assert.equal((await sessionsOf(user.id)).total_count, 0);
  });

  test('expires_in_seconds 1 to 315360000; org_id of an organization the user is in', async () => {
    const user = await newUser();
    const org = await newOrg();
    await add(org, user);
    for (const json of [
      { user_id: user.id, expires_in_seconds: 1 },
      { user_id: user.id, expires_in_seconds: 315360000 },
      { user_id: user.id, expires_in_seconds: null, org_id: null },
      { user_id: user.id, org_id: org.id },
    ]) {
      const res = await ctx.raw('POST', '/v1/sign_in_tokens', { json });
      assert.equal(res.status, 200, `${JSON.stringify(json)}: ${res.text}`);
      assert.equal(res.json.status, 'pending');
      signInTokens.push(res.json.token);
    }
    for (const seconds of [0, -5, 315360001]) {
      assertClerkError(await ctx.raw('POST', '/v1/sign_in_tokens', { json: { user_id: user.id, expires_in_seconds: seconds } }),
        422, 'form_param_value_invalid', 'expires_in_seconds');
    }
  });

  test('refusals: unknown user, missing user_id, an organization the user is not in', async () => {
    const user = await newUser();
    const stranger = await newOrg();
    await assertSdkError(ctx.clerk.signInTokens.createSignInToken({ userId: MISSING_USER }), 404, 'resource_not_found');
    assertClerkError(await ctx.raw('POST', '/v1/sign_in_tokens', { json: { expires_in_seconds: 60 } }), 422,
      'form_param_missing', 'user_id');
    assertClerkError(await ctx.raw('POST', '/v1/sign_in_tokens', { json: { user_id: user.id, org_id: stranger.id } }), 403,
      'not_a_member_in_organization');
    assertClerkError(await ctx.raw('POST', '/v1/sign_in_tokens', { json: { user_id: user.id, org_id: MISSING_ORG } }), 404,
      'resource_not_found');
  });

  test('revokeSignInToken: revoked, without the token; revoking again is 400; unknown is 404', async () => {
    const user = await newUser();
    const sit = await ctx.clerk.signInTokens.createSignInToken({ userId: user.id, expiresInSeconds: 600 });
    signInTokens.push(sit.token);
    const revoked = await ctx.clerk.signInTokens.revokeSignInToken(sit.id);
    assert.equal(revoked.id, sit.id);
    assert.equal(revoked.status, 'revoked');
    assert.equal(revoked.token, undefined);
    assert.equal(revoked.userId, user.id);
    assert.ok(revoked.updatedAt >= sit.updatedAt);
    const other = await ctx.clerk.signInTokens.createSignInToken({ userId: user.id });
    signInTokens.push(other.token);
    const raw = await ctx.raw('POST', `/v1/sign_in_tokens/${other.id}/revoke`);
    assert.equal(raw.status, 200, raw.text);
    assert.equal(raw.json.object, 'sign_in_token');
    assert.equal(raw.json.status, 'revoked');
    assert.ok(!('token' in raw.json), `a revoked sign-in token still shows its token: ${raw.text}`);
    await assertSdkError(ctx.clerk.signInTokens.revokeSignInToken(sit.id), 400, 'sign_in_token_cannot_be_revoked_code');
    assertClerkError(await ctx.raw('POST', `/v1/sign_in_tokens/${other.id}/revoke`), 400, 'sign_in_token_cannot_be_revoked_code');
    await assertSdkError(ctx.clerk.signInTokens.revokeSignInToken(MISSING_SIGN_IN_TOKEN), 404, 'resource_not_found');
  });
});

describe('secrets', () => {
  // Last in the file: it reads everything orgd logged and answered above.
  test('no private key in any response or CLI output; no key, JWT or sign-in token in orgd’s log', async () => {
    assert.ok(minted.length >= 10, `only ${minted.length} tokens were minted`);
    assert.ok(signInTokens.length >= 5, `only ${signInTokens.length} sign-in tokens were created`);
    assert.ok(bodiesSeen > 50, `only ${bodiesSeen} response bodies were seen`);
    assert.deepEqual(bodiesWithPrivateKey, []);
    const list = orgdCli(ctx.orgd.dataDir, ['keys', 'list']);
    assert.doesNotMatch(list, /PRIVATE|BEGIN/);
    const [key] = (await ctx.raw('GET', '/v1/jwks')).json.keys;
    assert.match(list, new RegExp(`^${key.kid}\\b.*\\bcurrent\\b`, 'm'));
    const log = ctx.orgd.stderr;
    assert.ok(log.length > 0, 'orgd logged nothing at debug level');
    assert.doesNotMatch(log, /PRIVATE KEY/);
    // A JWT's signature, or a sign-in token, anywhere in the log would let a log reader sign in.
    for (const jwt of minted) {
      const [, payload, signature] = jwt.split('.');
      assert.ok(!log.includes(signature), 'a session token’s signature is in orgd’s log');
      assert.ok(!log.includes(payload), 'a session token’s payload is in orgd’s log');
    }
    for (const token of signInTokens) assert.ok(!log.includes(token), 'a sign-in token is in orgd’s log');
  });
});
