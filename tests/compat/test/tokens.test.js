// orgd's session tokens as the real @clerk/backend sees them: the claims (BEHAVIOR §5.3, §5.4),
// verifyToken with the PEM (`orgd keys public-pem`) and with the JWKS fetched from orgd,
// authenticateRequest(…).toAuth() and has(), what the SDK refuses, key rotation, and tokens and
// sessions running out. Issue 15. The Backend API resources themselves are sessions.test.js.
//
// Time: one orgd runs with --token-lifetime 1s, and two with 2 s sessions (lifetime, inactivity);
// the file waits once, about 7 s, for the SDK's 5 s clock skew to pass over all of them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newSecretKey, startOrgd } from '../lib/orgd.js';
import { assertClerkError, assertSdkError, clerkFor, raw, useOrgd } from '../lib/suite.js';
import {
  b64url, decodeJwt, newRsaKeyPair, orgdCli, publicPem, publishableKey, rotateKeys, signHs256, signRs256, sleep, sleepUntil,
} from '../lib/tokens.js';

const { verifyToken } = await import('@clerk/backend');

const FRONTEND = 'https://clerk.tokens.example.test';
const ORIGIN = 'https://app.tokens.example.test';
const PK = publishableKey(FRONTEND);
const APP_URL = `${ORIGIN}/dashboard`;
const SYSTEM = ['org:sys_billing:manage', 'org:sys_billing:read', 'org:sys_domains:manage', 'org:sys_domains:read',
  'org:sys_entconns:manage', 'org:sys_memberships:manage', 'org:sys_memberships:read', 'org:sys_profile:delete',
  'org:sys_profile:manage', 'org:sys_api_keys:read', 'org:sys_api_keys:manage'];
// The custom role's 12 permissions over 5 features; two more exist that it is not granted.
const GRANTED = {
  projects: ['read', 'manage', 'export'],
  dashboard: ['read', 'manage'],
  invoices: ['create', 'read', 'approve'],
  reports: ['read', 'export'],
  teams: ['read', 'invite'],
};
const grantedKeys = grants => Object.entries(grants).flatMap(([f, actions]) => actions.map(a => `org:${f}:${a}`));
const NOT_GRANTED = ['org:projects:delete', 'org:teams:manage'];
const CLAIMS = ['azp', 'exp', 'fea', 'fva', 'iat', 'iss', 'jti', 'nbf', 'o', 'sid', 'sts', 'sub', 'v'];

// The encoding design.md fixes for orgd (BEHAVIOR §5.4 allows any stable order): per = the distinct
// actions sorted, fea = the features sorted with "o:", fpm = each feature's bitmask over per.
function encode(grants) {
  const features = Object.keys(grants).sort();
  const per = [...new Set(Object.values(grants).flat())].sort();
  const fpm = features.map(f => grants[f].reduce((mask, a) => mask + 2 ** per.indexOf(a), 0));
  return { fea: features.map(f => `o:${f}`).join(','), per: per.join(','), fpm: fpm.join(',') };
}
// Our own reading of o.per/o.fpm (independent of the SDK's parser).
function decodePermissions({ fea, o }) {
  const features = (fea ?? '').split(',').filter(Boolean).filter(e => /^(o|ou|uo):/.test(e)).map(e => e.split(':')[1]);
  const per = (o?.per ?? '').split(',').filter(Boolean);
  const masks = (o?.fpm ?? '').split(',').filter(Boolean).map(BigInt);
  const out = [];
  features.forEach((f, i) => per.forEach((a, j) => {
    if (masks[i] !== undefined && (masks[i] >> BigInt(j)) & 1n) out.push(`org:${f}:${a}`);
  }));
  return out.sort();
}

const w = {};  // what the seed made: users, org, sessions, the PEM and kid
const ctx = useOrgd({
  args: ['--frontend-url', FRONTEND, '--allowed-origin', ORIGIN],
  async seed(c) {
    const perms = c.clerk.organizationPermissions;
    const ids = [];
    for (const key of grantedKeys(GRANTED)) ids.push((await perms.createOrganizationPermission({ name: key, key })).id);
    w.notGranted = [];
    for (const key of NOT_GRANTED) w.notGranted.push(await perms.createOrganizationPermission({ name: key, key }));
    const all = await perms.getOrganizationPermissionList({ limit: 500 });
    const sysRead = all.data.find(p => p.key === 'org:sys_memberships:read').id;
    // The role also holds a system permission, which must not reach the token.
    w.role = await c.clerk.organizationRoles.createOrganizationRole({
      name: 'Analyst', key: 'org:analyst', permissions: [...ids, sysRead],
    });
    const user = tag => c.clerk.users.createUser({ emailAddress: [`${tag}@tokens.example.com`] });
    w.admin = await user('admin');
    w.member = await user('member');
    w.analyst = await user('analyst');
    w.loner = await user('loner');
    w.org = await c.clerk.organizations.createOrganization({
      name: 'Token Org', slug: 'token-org', createdBy: w.admin.id, maxAllowedMemberships: 0,
    });
    await c.clerk.organizations.createOrganizationMembership({ organizationId: w.org.id, userId: w.member.id, role: 'org:member' });
    await c.clerk.organizations.createOrganizationMembership({ organizationId: w.org.id, userId: w.analyst.id, role: 'org:analyst' });
    for (const who of ['admin', 'member', 'analyst', 'loner']) {
      w[`${who}Session`] = await c.clerk.sessions.createSession({ userId: w[who].id });
    }
    w.pem = publicPem(c.orgd.dataDir);
    w.kid = (await c.raw('GET', '/v1/jwks')).json.keys[0].kid;
  },
});

async function mintOn(orgd, sessionId, { origin, expiresInSeconds } = {}) {
  const res = await raw(orgd, 'POST', `/v1/sessions/${sessionId}/tokens`, {
    json: expiresInSeconds === undefined ? {} : { expires_in_seconds: expiresInSeconds },
    headers: origin ? { origin } : {},
  });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.object, 'token');
  return res.json.jwt;
}
const mint = (who, options) => mintOn(ctx.orgd, w[`${who}Session`].id, options);
const jwks = orgd => ({ secretKey: orgd.secretKey, apiUrl: orgd.url });
const authenticate = (jwt, options = {}, client = ctx.clerk) => client.authenticateRequest(
  new Request(APP_URL, { headers: { authorization: `Bearer ${jwt}` } }),
  { publishableKey: PK, jwtKey: w.pem, ...options },
);
async function refused(jwt, options, reason) {
  await assert.rejects(verifyToken(jwt, options), err => {
    assert.equal(err.reason, reason, `expected ${reason}, got ${err.reason}: ${err.message}`);
    return true;
  });
}
// The same token with its payload or header changed, signature kept.
function withPayload(jwt, change) {
  const { payload, parts } = decodeJwt(jwt);
  return [parts[0], b64url(change(structuredClone(payload))), parts[2]].join('.');
}
function withHeader(jwt, change) {
  const { header, parts } = decodeJwt(jwt);
  return [b64url(change(structuredClone(header))), parts[1], parts[2]].join('.');
}

describe('session token claims', () => {
  test('header, and the registered claims Clerk sends', async () => {
    const before = Math.floor(Date.now() / 1000);
    const jwt = await mint('analyst');
    const after = Math.ceil(Date.now() / 1000);
    const { header, payload } = decodeJwt(jwt);
    assert.deepEqual(header, { alg: 'RS256', kid: w.kid, typ: 'JWT', cat: 'cl_B7d4PD111AAA' });
    for (const key of Object.keys(payload)) assert.ok(CLAIMS.includes(key), `unexpected claim ${key}`);
    assert.equal(payload.v, 2);
    assert.equal(payload.sub, w.analyst.id);
    assert.equal(payload.sid, w.analystSession.id);
    assert.equal(payload.iss, FRONTEND);
    assert.ok(Number.isInteger(payload.iat) && payload.iat >= before - 1 && payload.iat <= after + 1, `iat ${payload.iat}`);
    assert.equal(payload.nbf, payload.iat - 10);
    assert.equal(payload.exp, payload.iat + 60);
    assert.equal(typeof payload.jti, 'string');
    assert.ok(payload.jti.length >= 16, `jti ${payload.jti}`);
    assert.equal(payload.sts, 'active');
    // [minutes since the session was created, -1 (no second factor)].
    assert.ok(Array.isArray(payload.fva) && payload.fva.length === 2, JSON.stringify(payload.fva));
    assert.ok(Number.isInteger(payload.fva[0]) && payload.fva[0] >= 0 && payload.fva[0] <= 1, JSON.stringify(payload.fva));
    assert.equal(payload.fva[1], -1);
    assert.ok(!('azp' in payload), 'azp without an Origin');
    assert.notEqual(decodeJwt(await mint('analyst')).payload.jti, payload.jti);
  });

  test('the active organization in v2 form; the custom role’s 12 permissions as fea, o.per, o.fpm (§5.4)', async () => {
    const c = decodeJwt(await mint('analyst')).payload;
    const expected = encode(GRANTED);
    assert.deepEqual(expected, {
      fea: 'o:dashboard,o:invoices,o:projects,o:reports,o:teams',
      per: 'approve,create,export,invite,manage,read',
      fpm: '48,35,52,36,40',
    });
    assert.deepEqual(c.o, { id: w.org.id, slg: 'token-org', rol: 'analyst', per: expected.per, fpm: expected.fpm });
    assert.equal(c.fea, expected.fea);
    assert.deepEqual(decodePermissions(c), grantedKeys(GRANTED).sort());
    assert.doesNotMatch(JSON.stringify(c), /sys_/, 'a system permission in the token');
  });

  test('admin and member roles hold only system permissions: o without per or fpm, no fea; no org, no o', async () => {
    for (const [who, rol] of [['admin', 'admin'], ['member', 'member']]) {
      const c = decodeJwt(await mint(who)).payload;
      assert.equal(c.o.id, w.org.id);
      assert.equal(c.o.slg, 'token-org');
      assert.equal(c.o.rol, rol);
      assert.ok(!c.o.per && !c.o.fpm, `${who}: ${JSON.stringify(c.o)}`);
      assert.ok(!c.fea, `${who}: fea ${c.fea}`);
      assert.doesNotMatch(JSON.stringify(c), /sys_/);
    }
    const c = decodeJwt(await mint('loner')).payload;
    assert.ok(!('o' in c), JSON.stringify(c));
    assert.ok(!c.fea);
    assert.equal(c.sub, w.loner.id);
  });

  test('the next token follows a role change and a role’s new permission', async () => {
    const update = role => ctx.clerk.organizations.updateOrganizationMembership({
      organizationId: w.org.id, userId: w.member.id, role,
    });
    await update('org:analyst');
    let c = decodeJwt(await mint('member')).payload;
    assert.equal(c.o.rol, 'analyst');
    assert.equal(c.o.per, encode(GRANTED).per);
    // Granting org:projects:delete to the role shows in every holder's next token.
    const [del] = w.notGranted;
    await ctx.clerk.organizationRoles.assignPermissionToOrganizationRole({ organizationRoleId: w.role.id, permissionId: del.id });
    try {
      const more = { ...GRANTED, projects: [...GRANTED.projects, 'delete'] };
      c = decodeJwt(await mint('analyst')).payload;
      assert.deepEqual({ fea: c.fea, per: c.o.per, fpm: c.o.fpm }, encode(more));
      assert.deepEqual(decodePermissions(c), grantedKeys(more).sort());
    } finally {
      await ctx.clerk.organizationRoles.removePermissionFromOrganizationRole({ organizationRoleId: w.role.id, permissionId: del.id });
      await update('org:member');
    }
    c = decodeJwt(await mint('member')).payload;
    assert.equal(c.o.rol, 'member');
    assert.ok(!c.o.per);
    assert.equal(decodeJwt(await mint('analyst')).payload.o.per, encode(GRANTED).per);
  });

  test('azp is the Origin when it is an allowed origin, else absent', async () => {
    assert.equal(decodeJwt(await mint('member', { origin: ORIGIN })).payload.azp, ORIGIN);
    for (const origin of ['https://evil.example.test', `${ORIGIN}.evil.example.test`, 'http://app.tokens.example.test']) {
      const c = decodeJwt(await mint('member', { origin })).payload;
      assert.ok(!('azp' in c), `azp ${c.azp} for Origin ${origin}`);
    }
  });
});

describe('verifyToken accepts orgd’s tokens', () => {
  test('with jwtKey, the PEM of `orgd keys public-pem` (no network)', async () => {
    for (const who of ['admin', 'member', 'analyst', 'loner']) {
      const jwt = await mint(who);
      assert.deepEqual(await verifyToken(jwt, { jwtKey: w.pem }), decodeJwt(jwt).payload);
    }
  });

  test('with secretKey and apiUrl: the JWKS fetched from orgd', async () => {
    for (const who of ['admin', 'member', 'analyst', 'loner']) {
      const jwt = await mint(who);
      assert.deepEqual(await verifyToken(jwt, jwks(ctx.orgd)), decodeJwt(jwt).payload);
      assert.deepEqual(await verifyToken(jwt, { ...jwks(ctx.orgd), skipJwksCache: true }), decodeJwt(jwt).payload);
    }
  });

  test('authorizedParties: a token minted with the allowed Origin passes, one without azp does not', async () => {
    const withAzp = await mint('member', { origin: ORIGIN });
    assert.equal((await verifyToken(withAzp, { jwtKey: w.pem, authorizedParties: [ORIGIN] })).azp, ORIGIN);
    await refused(await mint('member'), { jwtKey: w.pem, authorizedParties: [ORIGIN] }, 'token-invalid-authorized-parties');
  });
});

describe('authenticateRequest', () => {
  const expectations = () => ({
    admin: { orgRole: 'org:admin', orgPermissions: [] },
    member: { orgRole: 'org:member', orgPermissions: [] },
    analyst: { orgRole: 'org:analyst', orgPermissions: grantedKeys(GRANTED).sort() },
  });

  test('toAuth(): userId, sessionId, orgId, orgRole, orgSlug, orgPermissions (PEM and JWKS)', async () => {
    for (const [who, want] of Object.entries(expectations())) {
      const jwt = await mint(who);
      for (const options of [{}, { jwtKey: undefined, ...jwks(ctx.orgd) }]) {
        const state = await authenticate(jwt, options);
        assert.equal(state.status, 'signed-in', `${who}: ${state.reason} ${state.message}`);
        assert.equal(state.isAuthenticated, true);
        const auth = state.toAuth();
        assert.equal(auth.userId, w[who].id);
        assert.equal(auth.sessionId, w[`${who}Session`].id);
        assert.equal(auth.sessionStatus, 'active');
        assert.equal(auth.orgId, w.org.id);
        assert.equal(auth.orgRole, want.orgRole);
        assert.equal(auth.orgSlug, 'token-org');
        assert.deepEqual([...auth.orgPermissions].sort(), want.orgPermissions);
        assert.deepEqual(auth.factorVerificationAge, decodeJwt(jwt).payload.fva);
      }
    }
    const auth = (await authenticate(await mint('loner'))).toAuth();
    assert.equal(auth.userId, w.loner.id);
    assert.equal(auth.orgId, undefined);
    assert.equal(auth.orgRole, undefined);
  });

  test('has(): roles and permissions for admin, member and the custom role; never a system permission', async () => {
    const custom = grantedKeys(GRANTED);
    const roles = { admin: 'org:admin', member: 'org:member', analyst: 'org:analyst' };
    for (const who of ['admin', 'member', 'analyst']) {
      const { has } = (await authenticate(await mint(who))).toAuth();
      for (const [other, role] of Object.entries(roles)) {
        assert.equal(has({ role }), other === who, `${who}: has({ role: ${role} })`);
        assert.equal(has({ role: role.slice(4) }), other === who, `${who}: has({ role: ${role.slice(4)} })`);
      }
      for (const permission of custom) {
        assert.equal(has({ permission }), who === 'analyst', `${who}: has({ permission: ${permission} })`);
      }
      for (const permission of [...NOT_GRANTED, ...SYSTEM, 'org:projects:approve', 'org:sys_memberships:read']) {
        assert.equal(has({ permission }), false, `${who}: has({ permission: ${permission} })`);
      }
      assert.equal(has({ role: roles[who], permission: custom[0] }), who === 'analyst');
    }
    const loner = (await authenticate(await mint('loner'))).toAuth();
    assert.equal(loner.has({ role: 'org:member' }), false);
    assert.equal(loner.has({ permission: custom[0] }), false);
  });

  test('a __session cookie with __client_uat (production publishable key); iss must be the frontend host', async () => {
    const jwt = await mint('analyst', { origin: ORIGIN });
    const { iat } = decodeJwt(jwt).payload;
    const request = () => new Request(APP_URL, { headers: { cookie: `__session=${jwt}; __client_uat=${iat}` } });
    const state = await ctx.clerk.authenticateRequest(request(), {
      publishableKey: publishableKey(FRONTEND, 'live'), jwtKey: w.pem, authorizedParties: [ORIGIN],
    });
    assert.equal(state.status, 'signed-in', `${state.reason} ${state.message}`);
    assert.equal(state.toAuth().userId, w.analyst.id);
    assert.equal(state.toAuth().orgId, w.org.id);
    // The SDK takes a cookie token whose iss is not the publishable key's host for another
    // instance's; orgd's iss is the --frontend-url, so only that key's app sees the session.
    const elsewhere = await ctx.clerk.authenticateRequest(request(), {
      publishableKey: publishableKey('https://clerk.elsewhere.example.test', 'live'), jwtKey: w.pem,
    });
    assert.equal(elsewhere.status, 'signed-out');
  });

  test('auth.getToken() answers the request’s token, or a new one from orgd for expiresInSeconds', async () => {
    const jwt = await mint('member');
    const auth = (await authenticate(jwt)).toAuth();
    assert.equal(await auth.getToken(), jwt);
    const fresh = await auth.getToken({ expiresInSeconds: 120 });
    const c = decodeJwt(fresh).payload;
    assert.equal(c.sid, w.memberSession.id);
    assert.equal(c.exp - c.iat, 120);
    assert.equal((await verifyToken(fresh, jwks(ctx.orgd))).sub, w.member.id);
    await assert.rejects(auth.getToken({ template: 'supabase' }), err => err.status === 404);
  });

  test('a refused token signs the request out', async () => {
    const jwt = await mint('analyst');
    for (const bad of [
      withPayload(jwt, p => ({ ...p, sub: w.admin.id })),
      withHeader(jwt, h => ({ ...h, alg: 'none' })),
      jwt.slice(0, -4) + (jwt.endsWith('AAAA') ? 'BBBB' : 'AAAA'),
    ]) {
      const state = await authenticate(bad);
      assert.equal(state.status, 'signed-out');
      assert.equal(state.toAuth().userId, null);
    }
  });
});

describe('refused by the SDK', () => {
  const own = newRsaKeyPair();
  const both = () => [{ jwtKey: w.pem }, jwks(ctx.orgd)];

  test('a changed payload or header, with orgd’s signature kept', async () => {
    const jwt = await mint('member');
    const escalated = withPayload(jwt, p => ({ ...p, o: { ...p.o, rol: 'admin' } }));
    const impersonated = withPayload(jwt, p => ({ ...p, sub: w.admin.id }));
    const longer = withPayload(jwt, p => ({ ...p, exp: p.exp + 3600 }));
    const header = withHeader(jwt, h => ({ ...h, cat: 'cl_I7d4PD111III' }));
    for (const options of both()) {
      for (const bad of [escalated, impersonated, longer, header]) await refused(bad, options, 'token-invalid-signature');
    }
    // A signature moved from another of orgd's tokens.
    const other = await mint('admin');
    const moved = [...jwt.split('.').slice(0, 2), other.split('.')[2]].join('.');
    for (const options of both()) await refused(moved, options, 'token-invalid-signature');
  });

  test('alg none, and HS256 signed with orgd’s public key as the HMAC secret', async () => {
    const { payload } = decodeJwt(await mint('analyst'));
    const none = `${b64url({ alg: 'none', kid: w.kid, typ: 'JWT' })}.${b64url(payload)}.`;
    const hs256 = signHs256({ alg: 'HS256', kid: w.kid, typ: 'JWT' }, payload, w.pem);
    for (const options of both()) {
      await refused(none, options, 'token-invalid-algorithm');
      await refused(hs256, options, 'token-invalid-algorithm');
    }
  });

  test('signed with another RSA key under orgd’s kid, or under a kid orgd never had', async () => {
    const { payload } = decodeJwt(await mint('analyst'));
    const forged = signRs256({ alg: 'RS256', kid: w.kid, typ: 'JWT', cat: 'cl_B7d4PD111AAA' }, payload, own.privateKey);
    for (const options of both()) await refused(forged, options, 'token-invalid-signature');
    const unknown = signRs256({ alg: 'RS256', kid: 'ins_notorgdskey0000000000000', typ: 'JWT' }, payload, own.privateKey);
    await refused(unknown, jwks(ctx.orgd), 'jwk-kid-mismatch');
    // The forger's own PEM would accept it: the check above is orgd's key, not the claims.
    assert.equal((await verifyToken(forged, { jwtKey: own.publicPem })).sub, w.analyst.id);
  });

  test('not yet valid, or issued in the future (checked by the SDK; signed with a test key)', async () => {
    // orgd's own nbf is iat − 10 (claims test above), so its tokens verify at once; these show the
    // SDK enforces nbf and iat beyond its 5 s skew, which orgd relies on.
    const now = Math.floor(Date.now() / 1000);
    const base = { sub: w.analyst.id, sid: w.analystSession.id, v: 2, iat: now, nbf: now - 10, exp: now + 60 };
    const header = { alg: 'RS256', kid: 'test', typ: 'JWT' };
    await refused(signRs256(header, { ...base, nbf: now + 30 }, own.privateKey), { jwtKey: own.publicPem },
      'token-not-active-yet');
    await refused(signRs256(header, { ...base, iat: now + 30 }, own.privateKey), { jwtKey: own.publicPem },
      'token-iat-in-the-future');
    assert.equal((await verifyToken(signRs256(header, base, own.privateKey), { jwtKey: own.publicPem })).sub, w.analyst.id);
  });
});

describe('key rotation, expiry and short sessions', () => {
  // S: tokens live 1 s. E1: sessions live 2 s. E2: sessions are abandoned after 2 s without activity.
  const t = {};
  let S, E1, E2;
  before(async () => {
    [S, E1, E2] = await Promise.all([
      // A second secret key gives the SDK a JWKS cache of its own that has never seen the old key
      // (its cache per secret key only ever adds keys, even when refetched).
      startOrgd({ secretKeys: [newSecretKey(), newSecretKey()], args: ['--frontend-url', FRONTEND, '--token-lifetime', '1s'] }),
      startOrgd({ args: ['--token-lifetime', '1s', '--session-lifetime', '2s'] }),
      startOrgd({ args: ['--token-lifetime', '1s', '--session-inactivity-timeout', '2s'] }),
    ]);
    t.client = clerkFor(S);
    const user = await t.client.users.createUser({ emailAddress: ['rotation@tokens.example.com'] });
    t.session = await t.client.sessions.createSession({ userId: user.id });
  });
  after(async () => {
    for (const server of [S, E1, E2]) {
      if (!server) continue;
      const { code, signal, stderr } = await server.stop('SIGTERM');
      assert.equal(signal, null, stderr);
      assert.equal(code, 0, stderr);
      assert.doesNotMatch(stderr, /PRIVATE KEY/);
      for (const jwt of [t.a, t.b].filter(Boolean)) assert.ok(!stderr.includes(jwt.split('.')[2]), 'a JWT in the log');
    }
  });
  const jwksOf = async orgd => (await raw(orgd, 'GET', '/v1/jwks')).json.keys.map(k => k.kid);

  test('orgd keys rotate while orgd runs: tokens minted before and after both verify; JWKS has both', async () => {
    const [k1] = await jwksOf(S);
    t.k1 = k1;
    t.pem1 = publicPem(S.dataDir);
    t.a = await mintOn(S, t.session.id);
    assert.equal(decodeJwt(t.a).header.kid, k1);
    const c = decodeJwt(t.a).payload;
    assert.equal(c.exp - c.iat, 1);
    assert.equal((await verifyToken(t.a, { jwtKey: t.pem1 })).sid, t.session.id);
    assert.equal((await verifyToken(t.a, jwks(S))).sid, t.session.id);
    // Every orgd has its own key: this one's tokens are nobody else's.
    assert.notEqual(k1, w.kid);
    await refused(t.a, { jwtKey: w.pem }, 'token-invalid-signature');
    await refused(t.a, jwks(ctx.orgd), 'jwk-kid-mismatch');

    const k2 = rotateKeys(S.dataDir);
    t.k2 = k2;
    assert.notEqual(k2, k1);
    const list = orgdCli(S.dataDir, ['keys', 'list']);
    assert.match(list, new RegExp(`^${k2}\\b.*\\bcurrent\\b`, 'm'), list);
    assert.match(list, new RegExp(`^${k1}\\b.*\\bretired\\b`, 'm'), list);
    assert.doesNotMatch(list, /PRIVATE/);
    t.pem2 = publicPem(S.dataDir);
    assert.notEqual(t.pem2, t.pem1);
    assert.equal(publicPem(S.dataDir, k1), t.pem1);
    assert.equal(publicPem(S.dataDir, k2), t.pem2);
    // When the retired key leaves: never while the SDK still takes one of its tokens (exp + 5 s
    // skew), and soon after.
    const leaves = Number(new RegExp(`^${k1}\\b.*\\bleaves_jwks_at=(\\d+)`, 'm').exec(list)?.[1]);
    assert.ok(leaves >= c.exp * 1000 + 5000, `${k1} leaves the JWKS at ${leaves}, before ${c.exp * 1000 + 5000}`);
    assert.ok(leaves <= c.exp * 1000 + 5000 + 2500, `${k1} leaves the JWKS only at ${leaves}`);
    t.leaves = leaves;
    // The running orgd signs with the new key from its next mint.
    t.b = await mintOn(S, t.session.id);
    assert.equal(decodeJwt(t.b).header.kid, k2);
    assert.deepEqual(await jwksOf(S), [k2, k1], 'JWKS: the current key first, then the retired one');
    for (const jwt of [t.a, t.b]) assert.equal((await verifyToken(jwt, jwks(S))).sid, t.session.id);
    assert.equal((await verifyToken(t.b, { jwtKey: t.pem2 })).sid, t.session.id);
    await refused(t.b, { jwtKey: t.pem1 }, 'token-invalid-signature');
    await refused(t.a, { jwtKey: t.pem2 }, 'token-invalid-signature');
  });

  test('short sessions start active and mint', async () => {
    t.expiring = await clerkFor(E1).sessions.createSession({
      userId: (await clerkFor(E1).users.createUser({ emailAddress: ['expiring@tokens.example.com'] })).id,
    });
    t.idle = await clerkFor(E2).sessions.createSession({
      userId: (await clerkFor(E2).users.createUser({ emailAddress: ['idle@tokens.example.com'] })).id,
    });
    assert.equal(t.expiring.expireAt - t.expiring.createdAt, 2000);
    assert.equal(t.expiring.status, 'active');
    assert.equal(t.idle.status, 'active');
    assert.equal(t.idle.abandonAt - t.idle.lastActiveAt, 2000);
    assert.equal(decodeJwt(await mintOn(E1, t.expiring.id)).payload.sid, t.expiring.id);
    assert.equal(decodeJwt(await mintOn(E2, t.idle.id)).payload.sid, t.idle.id);
  });

  test('just past its token’s expiry, within the 5 s skew, the retired key is still served', async () => {
    const { exp } = decodeJwt(t.a).payload;
    await sleepUntil(exp * 1000 + 1500);
    assert.deepEqual(await jwksOf(S), [t.k2, t.k1]);
    assert.equal((await verifyToken(t.a, { ...jwks(S), skipJwksCache: true })).sid, t.session.id);
  });

  test('after lifetime + skew: tokens expired, the retired key gone from the JWKS, short sessions over', async () => {
    const { exp } = decodeJwt(t.b).payload;
    // Past the SDK's skew for every token of the old key (t.b is the later of the two)…
    await sleepUntil(exp * 1000 + 5000 + 100);
    // …and the old key leaves when `orgd keys list` said it would (within 2.5 s of that): poll
    // rather than always wait out the margin.
    while ((await jwksOf(S)).includes(t.k1) && Date.now() < t.leaves + 500) await sleep(100);
    assert.deepEqual(await jwksOf(S), [t.k2]);
    assert.deepEqual((await t.client.jwks.getJwks()).keys.map(k => k.kid), [t.k2]);
    // The old key's token: its kid is no longer in the JWKS (as an app that fetches it now sees it);
    // with the old PEM it is expired.
    await refused(t.a, { secretKey: S.secretKeys[1], apiUrl: S.url }, 'jwk-kid-mismatch');
    await refused(t.a, { jwtKey: t.pem1 }, 'token-expired');
    await refused(t.b, { jwtKey: t.pem2 }, 'token-expired');
    await refused(t.b, jwks(S), 'token-expired');
    const state = await t.client.authenticateRequest(
      new Request(APP_URL, { headers: { authorization: `Bearer ${t.b}` } }), { publishableKey: PK, jwtKey: t.pem2 });
    assert.equal(state.status, 'signed-out');
    // The session itself lives on (7 days): a new token verifies with the current key.
    const fresh = await mintOn(S, t.session.id);
    assert.equal(decodeJwt(fresh).header.kid, t.k2);
    assert.equal((await verifyToken(fresh, { ...jwks(S), skipJwksCache: true })).sid, t.session.id);

    const e1 = clerkFor(E1);
    assert.equal((await e1.sessions.getSession(t.expiring.id)).status, 'expired');
    await assertSdkError(e1.sessions.getToken(t.expiring.id, ''), 401, 'authentication_invalid');
    await assertSdkError(e1.sessions.revokeSession(t.expiring.id), 400, 'invalid_action_for_session');
    const expired = await e1.sessions.getSessionList({ userId: t.expiring.userId, status: 'expired' });
    assert.deepEqual(expired.data.map(s => s.id), [t.expiring.id]);
    assert.equal((await e1.sessions.getSessionList({ userId: t.expiring.userId, status: 'active' })).totalCount, 0);

    const e2 = clerkFor(E2);
    assert.equal((await e2.sessions.getSession(t.idle.id)).status, 'abandoned');
    assertClerkError(await raw(E2, 'POST', `/v1/sessions/${t.idle.id}/tokens`), 401, 'authentication_invalid');
    const abandoned = await e2.sessions.getSessionList({ userId: t.idle.userId, status: 'abandoned' });
    assert.deepEqual(abandoned.data.map(s => s.id), [t.idle.id]);
  });
});

describe('configuration', () => {
  test('bad durations and an inactivity timeout not shorter than the session lifetime keep orgd from starting', async () => {
    for (const args of [
      ['--token-lifetime', '2x'],
      ['--token-lifetime', '0'],
      ['--session-lifetime', '2s', '--session-inactivity-timeout', '2s'],
    ]) {
      await assert.rejects(startOrgd({ args }), err => /exited \(code [1-9]/.test(err.message), args.join(' '));
    }
  });

  test('`orgd keys public-pem --kid` of a key the store does not have fails', () => {
    assert.throws(() => publicPem(ctx.orgd.dataDir, 'ins_notakey'), err => err.status !== 0);
    assert.equal(publicPem(ctx.orgd.dataDir, w.kid), w.pem);
  });
});
