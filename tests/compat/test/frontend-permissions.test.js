// Who may call which Frontend API operation (BEHAVIOR.md §4.2, fapi-interface): every operation ×
// {admin, member (org:member), a custom role holding the permission it needs, a custom role
// holding every other one, a member of another organization, a user in no organization, a
// session revoked through the Backend API, an expired session, no client cookie, another Origin},
// with the status and code each must get, and for every refused call a read-back through the
// Backend API showing nothing changed. Then: Frontend API requests that try to write metadata.
//
//   non-member (of the organization named)  → 404 organization_not_found_or_unauthorized
//   member without the permission           → 403 missing_organization_permission
//   no client, revoked or expired session   → 401 signed_out (Clerk's SignedOut error)
//   a state-changing call from another Origin → 403 origin_invalid (a GET may answer, but without
//                                               Access-Control-Allow-Origin for that origin)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { OTHER_ORIGIN, assertFapiError, startFrontendOrgd, useFrontend, Browser } from '../lib/frontend.js';
import { clerkFor, raw } from '../lib/suite.js';
import { sleepUntil } from '../lib/tokens.js';

const PNG = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'logo.png'));
const PERMS = {
  profile_manage: 'org:sys_profile:manage',
  profile_delete: 'org:sys_profile:delete',
  memberships_read: 'org:sys_memberships:read',
  memberships_manage: 'org:sys_memberships:manage',
  domains_read: 'org:sys_domains:read',
};
const MEMBER_PERMS = ['org:sys_memberships:read', 'org:sys_billing:read'];
const shortOf = perm => Object.keys(PERMS).find(k => PERMS[k] === perm);

let counter = 0;
const next = () => ++counter;
const address = tag => `${tag}${next()}@perms.example.com`;

// A world: one orgd (its SDK client, raw Backend API requests, a browser factory) with an
// organization `org` whose owner is `owner`, and the actors signed in.
async function buildWorld(c, { kinds }) {
  const world = { clerk: c.clerk, raw: c.raw, browser: c.browser, actors: {} };
  const user = tag => c.clerk.users.createUser({ emailAddress: [address(tag)], firstName: tag });
  world.owner = await user('owner');
  world.org = await c.clerk.organizations.createOrganization({
    name: 'Guarded Org', createdBy: world.owner.id, maxAllowedMemberships: 0,
    publicMetadata: { plan: 'pro' }, privateMetadata: { secret: 'guarded' },
  });
  world.elsewhere = await c.clerk.organizations.createOrganization({ name: 'Elsewhere Org', maxAllowedMemberships: 0 });
  for (const [kind, role] of Object.entries(kinds)) {
    const u = await user(kind.replace(/[^a-z]/g, ''));
    if (role === 'elsewhere') {
      await c.clerk.organizations.createOrganizationMembership({ organizationId: world.elsewhere.id, userId: u.id, role: 'org:admin' });
    } else if (role) {
      await c.clerk.organizations.createOrganizationMembership({ organizationId: world.org.id, userId: u.id, role });
    }
    const real = c.browser();
    await real.signIn(u.id);
    world.actors[kind] = { kind, user: u, role: role === 'elsewhere' ? null : role, browser: real, real };
  }
  return world;
}

// The actor kinds of the main world and the role each holds in the organization.
const CUSTOM = Object.keys(PERMS).flatMap(k => [[`only_${k}`, `org:only_${k}`], [`all_but_${k}`, `org:all_but_${k}`]]);
const KINDS = {
  admin: 'org:admin',
  member: 'org:member',
  bare: 'org:bare',
  ...Object.fromEntries(CUSTOM),
  outsider: 'elsewhere',
  nobody: null,
  revoked: 'org:admin',
  no_cookie: 'org:admin',
  wrong_origin: 'org:admin',
};

const w = {};
const ctx = useFrontend({
  async seed(c) {
    await c.raw('PATCH', '/v1/instance/organization_settings', { json: { max_allowed_roles: 30 } });
    const all = await c.clerk.organizationPermissions.getOrganizationPermissionList({ limit: 500 });
    const id = key => all.data.find(p => p.key === key).id;
    for (const [short, perm] of Object.entries(PERMS)) {
      await c.clerk.organizationRoles.createOrganizationRole({ name: `Only ${short}`, key: `org:only_${short}`, permissions: [id(perm)] });
      await c.clerk.organizationRoles.createOrganizationRole({
        name: `All but ${short}`, key: `org:all_but_${short}`, permissions: Object.values(PERMS).filter(p => p !== perm).map(id),
      });
    }
    await c.clerk.organizationRoles.createOrganizationRole({ name: 'Bare', key: 'org:bare', permissions: [] });
    Object.assign(w, await buildWorld(c, { kinds: KINDS }));
    const { revoked, no_cookie: noCookie, wrong_origin: wrongOrigin } = w.actors;
    await c.clerk.sessions.revokeSession(revoked.browser.sessionId);
    revoked.real = null;
    noCookie.browser = noCookie.real.clone();
    noCookie.browser.cookies = new Map();
    wrongOrigin.browser = wrongOrigin.real.clone({ origin: OTHER_ORIGIN });
  },
});

// ---- what each operation needs, does, and leaves behind ----

const readOrg = (world, org) => world.raw('GET', `/v1/organizations/${org.id}`).then(r => ({ status: r.status, body: r.json }));
const membersOf = async (world, org) =>
  (await world.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id, limit: 100 })).data
    .map(m => [m.publicUserData.userId, m.role, m.updatedAt]).sort();
const invitationsOf = async (world, org) =>
  (await world.clerk.organizations.getOrganizationInvitationList({ organizationId: org.id, limit: 100 })).data
    .map(i => [i.emailAddress, i.status, i.updatedAt]).sort();
const sessionOf = async (world, sid) => {
  const res = await world.raw('GET', `/v1/sessions/${sid}`);
  return { status: res.json.status, org: res.json.last_active_organization_id };
};
const userOrgs = async (world, user) =>
  (await world.clerk.users.getOrganizationMembershipList({ userId: user.id, limit: 100 })).data.map(m => m.organization.id).sort();

// An organization of its own for an operation that destroys or leaves it: owned by the world's
// owner, with the actor in it in their role (none for outsiders).
async function freshOrg(world, actor) {
  const org = await world.clerk.organizations.createOrganization({
    name: `Fresh Org ${next()}`, createdBy: world.owner.id, maxAllowedMemberships: 0,
  });
  if (actor.role) {
    await world.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: actor.user.id, role: actor.role });
  }
  return org;
}
async function newMember(world, org) {
  const u = await world.clerk.users.createUser({ emailAddress: [address('target')] });
  await world.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: u.id, role: 'org:member' });
  return u;
}
const logoForm = () => {
  const form = new FormData();
  form.append('file', new Blob([PNG], { type: 'image/png' }), 'logo.png');
  return form;
};
const o = p => `/v1/organizations/${p.org.id}`;

// perm: the permission the operation needs in p.org; 'member': any membership of p.org;
// 'signed-in': only a signed-in session. read: it changes nothing; get: it is a GET.
const OPERATIONS = [
  { name: 'GET /organizations/{id} (getOrganization)', perm: 'member', read: true, get: true,
    call: (b, p) => b.get(o(p)), snapshot: (world, p) => readOrg(world, p.org) },
  { name: 'PATCH /organizations/{id} (update)', perm: PERMS.profile_manage,
    call: (b, p) => b.patch(o(p), { name: `Renamed ${next()}` }), snapshot: (world, p) => readOrg(world, p.org) },
  { name: 'DELETE /organizations/{id} (destroy)', perm: PERMS.profile_delete,
    prepare: async (world, actor) => ({ org: await freshOrg(world, actor) }),
    call: (b, p) => b.delete(o(p)), snapshot: async (world, p) => [await readOrg(world, p.org), await membersOf(world, p.org).catch(() => null)] },
  { name: 'PUT /organizations/{id}/logo multipart (setLogo)', perm: PERMS.profile_manage,
    call: (b, p) => b.request('PUT', `${o(p)}/logo`, { multipart: logoForm() }), snapshot: (world, p) => readOrg(world, p.org) },
  { name: 'PUT /organizations/{id}/logo octet-stream (setLogo)', perm: PERMS.profile_manage,
    call: (b, p) => b.request('PUT', `${o(p)}/logo`, { body: PNG, contentType: 'application/octet-stream' }),
    snapshot: (world, p) => readOrg(world, p.org) },
  { name: 'DELETE /organizations/{id}/logo (setLogo null)', perm: PERMS.profile_manage,
    prepare: async (world, actor) => {
      const org = await freshOrg(world, actor);
      await world.clerk.organizations.updateOrganizationLogo(org.id, { file: new File([PNG], 'logo.png', { type: 'image/png' }) });
      return { org };
    },
    call: (b, p) => b.request('DELETE', `${o(p)}/logo`), snapshot: (world, p) => readOrg(world, p.org) },
  { name: 'GET /organizations/{id}/memberships (getMemberships)', perm: PERMS.memberships_read, read: true, get: true,
    call: (b, p) => b.get(`${o(p)}/memberships`, { query: { paginated: true, limit: 10, offset: 0 } }), snapshot: (world, p) => membersOf(world, p.org) },
  { name: 'POST /organizations/{id}/memberships (addMember)', perm: PERMS.memberships_manage,
    prepare: async world => ({ org: world.org, target: await world.clerk.users.createUser({ emailAddress: [address('joiner')] }) }),
    call: (b, p) => b.post(`${o(p)}/memberships`, { user_id: p.target.id, role: 'org:member' }), snapshot: (world, p) => membersOf(world, p.org) },
  { name: 'PATCH /organizations/{id}/memberships/{user} (updateMember)', perm: PERMS.memberships_manage,
    prepare: async world => ({ org: world.org, target: await newMember(world, world.org) }),
    call: (b, p) => b.patch(`${o(p)}/memberships/${p.target.id}`, { role: 'org:admin' }), snapshot: (world, p) => membersOf(world, p.org) },
  { name: 'DELETE /organizations/{id}/memberships/{user} (removeMember)', perm: PERMS.memberships_manage,
    prepare: async world => ({ org: world.org, target: await newMember(world, world.org) }),
    call: (b, p) => b.delete(`${o(p)}/memberships/${p.target.id}`), snapshot: (world, p) => membersOf(world, p.org) },
  { name: 'GET /organizations/{id}/invitations (getInvitations)', perm: PERMS.memberships_manage, read: true, get: true,
    call: (b, p) => b.get(`${o(p)}/invitations`, { query: { status: 'pending', limit: 10, offset: 0 } }), snapshot: (world, p) => invitationsOf(world, p.org) },
  { name: 'POST /organizations/{id}/invitations (inviteMember)', perm: PERMS.memberships_manage,
    call: (b, p) => b.post(`${o(p)}/invitations`, { email_address: address('invitee'), role: 'org:member' }),
    snapshot: (world, p) => invitationsOf(world, p.org) },
  { name: 'POST /organizations/{id}/invitations/bulk (inviteMembers)', perm: PERMS.memberships_manage,
    call: (b, p) => b.post(`${o(p)}/invitations/bulk`, { email_address: [address('bulk'), address('bulk')], role: 'org:member' }),
    snapshot: (world, p) => invitationsOf(world, p.org) },
  { name: 'POST /organizations/{id}/invitations/{inv}/revoke (revoke)', perm: PERMS.memberships_manage,
    prepare: async world => ({
      org: world.org,
      invitation: await world.clerk.organizations.createOrganizationInvitation({
        organizationId: world.org.id, emailAddress: address('revokable'), role: 'org:member',
      }),
    }),
    call: (b, p) => b.post(`${o(p)}/invitations/${p.invitation.id}/revoke`, {}), snapshot: (world, p) => invitationsOf(world, p.org) },
  { name: 'GET /organizations/{id}/roles (getRoles)', perm: PERMS.memberships_read, read: true, get: true,
    call: (b, p) => b.get(`${o(p)}/roles`, { query: { limit: 20, offset: 0 } }), snapshot: () => null },
  { name: 'GET /organizations/{id}/domains (getDomains)', perm: PERMS.domains_read, read: true, get: true,
    call: (b, p) => b.get(`${o(p)}/domains`, { query: { limit: 10, offset: 0 } }), snapshot: () => null },
  { name: 'GET /organizations/{id}/membership_requests (getMembershipRequests)', perm: PERMS.memberships_manage, read: true, get: true,
    call: (b, p) => b.get(`${o(p)}/membership_requests`, { query: { status: 'pending', limit: 10, offset: 0 } }), snapshot: () => null },
  { name: 'DELETE /me/organization_memberships/{org} (leaveOrganization)', perm: 'member',
    prepare: async (world, actor) => ({ org: await freshOrg(world, actor) }),
    call: (b, p) => b.delete(`/v1/me/organization_memberships/${p.org.id}`), snapshot: (world, p) => membersOf(world, p.org) },
  { name: 'POST /client/sessions/{sid}/touch (setActive)', perm: 'member',
    prepare: async (world, actor) => {
      if (actor.real) await actor.real.touch('');
      return { org: world.org };
    },
    call: (b, p) => b.touch(p.org.id), snapshot: (world, p, actor) => sessionOf(world, actor.browser.sessionId) },
  { name: 'POST /client/sessions/{sid}/tokens (getToken)', perm: 'member', read: true,
    call: (b, p) => b.token(p.org.id), snapshot: (world, p, actor) => sessionOf(world, actor.browser.sessionId) },
  { name: 'POST /organizations (createOrganization)', perm: 'signed-in',
    call: b => b.post('/v1/organizations', { name: `Created ${next()}` }), snapshot: (world, p, actor) => userOrgs(world, actor.user) },
  { name: 'GET /me/organization_memberships', perm: 'signed-in', read: true, get: true,
    call: b => b.get('/v1/me/organization_memberships', { query: { paginated: true, limit: 10, offset: 0 } }),
    snapshot: (world, p, actor) => userOrgs(world, actor.user) },
  { name: 'POST /me/organization_invitations/{inv}/accept (invitation.accept)', perm: 'signed-in',
    prepare: async (world, actor) => {
      const org = await world.clerk.organizations.createOrganization({ name: `Inviting ${next()}`, createdBy: world.owner.id, maxAllowedMemberships: 0 });
      const invitation = await world.clerk.organizations.createOrganizationInvitation({
        organizationId: org.id, emailAddress: actor.user.emailAddresses[0].emailAddress, role: 'org:member',
      });
      return { org, invitation };
    },
    call: (b, p) => b.post(`/v1/me/organization_invitations/${p.invitation.id}/accept`, {}),
    snapshot: async (world, p) => [await invitationsOf(world, p.org), await membersOf(world, p.org)] },
  { name: 'GET /me', perm: 'signed-in', read: true, get: true, call: b => b.get('/v1/me'), snapshot: () => null },
];

// The expected outcome: 200, or [status, code].
function expected(op, actor) {
  switch (actor.kind) {
    case 'revoked': case 'no_cookie': case 'expired':
      return [401, 'signed_out'];
    case 'wrong_origin':
      return op.get ? 'read-from-another-origin' : [403, 'origin_invalid'];
    default:
  }
  if (op.perm === 'signed-in') return 200;
  if (!actor.role) return [404, 'organization_not_found_or_unauthorized'];
  if (op.perm === 'member') return 200;
  if (actor.role === 'org:admin') return 200;
  if (actor.role === 'org:member') return MEMBER_PERMS.includes(op.perm) ? 200 : [403, 'missing_organization_permission'];
  if (actor.role === 'org:bare') return [403, 'missing_organization_permission'];
  if (actor.role === `org:only_${shortOf(op.perm)}`) return 200;
  if (actor.role.startsWith('org:only_')) return [403, 'missing_organization_permission'];
  if (actor.role === `org:all_but_${shortOf(op.perm)}`) return [403, 'missing_organization_permission'];
  return 200;  // all_but_X for another permission holds this one
}

// Runs one cell of the matrix and checks its outcome and read-back.
async function runCell(world, op, actor) {
  const p = op.prepare ? await op.prepare(world, actor) : { org: world.org };
  const beforeState = await op.snapshot(world, p, actor);
  const res = await op.call(actor.browser, p);
  const afterState = await op.snapshot(world, p, actor);
  const want = expected(op, actor);
  if (want === 200) {
    assert.equal(res.status, 200, `${op.name} as ${actor.kind}: expected 200, got ${res.status}: ${res.text}`);
    if (!op.read) assert.notDeepEqual(afterState, beforeState, `${op.name} as ${actor.kind} answered 200 but changed nothing`);
    return;
  }
  if (want === 'read-from-another-origin') {
    if (res.status === 200) {
      const allowed = res.headers.get('access-control-allow-origin');
      assert.ok(allowed !== OTHER_ORIGIN && allowed !== '*', `${op.name} from ${OTHER_ORIGIN}: readable (ACAO ${allowed})`);
    } else {
      assertFapiError(res, 403, 'origin_invalid');
    }
  } else {
    const [status, code] = want;
    assertFapiError(res, status, code);
  }
  assert.deepEqual(afterState, beforeState, `${op.name} as ${actor.kind} was refused but changed something`);
}

const ORDER = ['admin', 'member', 'with', 'without', 'bare', 'outsider', 'nobody', 'revoked', 'no_cookie', 'wrong_origin'];
// The custom-role actors that hold (with) and lack (without) the operation's permission.
function actorFor(op, column) {
  if (column === 'with' || column === 'without') {
    return w.actors[`${column === 'with' ? 'only' : 'all_but'}_${shortOf(op.perm)}`];
  }
  return w.actors[column];
}

describe('permission matrix', () => {
  for (const op of OPERATIONS) {
    describe(op.name, () => {
      // An operation that needs no permission has no custom role to hold or lack it.
      for (const column of ORDER.filter(c => PERMS[shortOf(op.perm)] || (c !== 'with' && c !== 'without'))) {
        test(column, () => runCell(w, op, actorFor(op, column)));
      }
    });
  }
});

// A second orgd whose sessions last 3 s: every operation with a session that has expired.
describe('expired session', () => {
  const x = {};
  before(async () => {
    const { orgd, frontendUrl } = await startFrontendOrgd({ args: ['--session-lifetime', '3s', '--token-lifetime', '1s'] });
    x.orgd = orgd;
    const clerk = clerkFor(orgd);
    const c = {
      orgd, clerk, raw: (method, path, opts) => raw(orgd, method, path, opts),
      browser: (options = {}) => new Browser({ frontendUrl, clerk, ...options }),
    };
    x.world = await buildWorld(c, { kinds: { expired: 'org:admin' } });
    x.world.actors.expired.real = null;
    const s = (await c.raw('GET', `/v1/sessions/${x.world.actors.expired.browser.sessionId}`)).json;
    await sleepUntil(s.expire_at + 500);
  });
  after(async () => {
    const { code, signal, stderr } = await x.orgd.stop('SIGTERM');
    assert.equal(code, 0, `orgd exited with ${code} (${signal}):\n${stderr}`);
  });
  for (const op of OPERATIONS) {
    test(op.name, () => runCell(x.world, op, x.world.actors.expired));
  }
});

describe('metadata cannot be written from the Frontend API', () => {
  // Each request tries to write metadata; each is refused (the field is not accepted) and the
  // Backend API shows every metadata blob, and everything else, as it was.
  const metadataState = async () => {
    const org = (await w.raw('GET', `/v1/organizations/${w.org.id}`)).json;
    const members = (await w.raw('GET', `/v1/organizations/${w.org.id}/memberships?limit=100`)).json.data
      .map(m => [m.public_user_data.user_id, m.role, m.public_metadata, m.private_metadata]).sort();
    const invitations = (await w.raw('GET', `/v1/organizations/${w.org.id}/invitations?limit=100`)).json.data
      .map(i => [i.email_address, i.public_metadata, i.private_metadata]).sort();
    const admin = (await w.raw('GET', `/v1/users/${w.actors.admin.user.id}`)).json;
    return { org: [org.name, org.public_metadata, org.private_metadata, org.updated_at], members, invitations,
      user: [admin.public_metadata, admin.private_metadata, admin.unsafe_metadata] };
  };
  const json = (b, method, path, body) =>
    b.request(method, path, { body: JSON.stringify(body), contentType: 'application/json' });
  const cases = () => {
    const b = w.actors.admin.browser;
    const org = `/v1/organizations/${w.org.id}`;
    const member = w.actors.member.user;
    return [
      ['create with public_metadata', 'public_metadata', () => b.post('/v1/organizations', { name: 'Meta Org', public_metadata: '{"plan":"free"}' })],
      ['create with private_metadata', 'private_metadata', () => b.post('/v1/organizations', { name: 'Meta Org', private_metadata: '{"x":1}' })],
      ['update with public_metadata', 'public_metadata', () => b.patch(org, { public_metadata: '{"plan":"free"}' })],
      ['update with a name and private_metadata', 'private_metadata', () => b.patch(org, { name: 'Meta Renamed', private_metadata: '{}' })],
      ['update with a JSON body', 'public_metadata', () => json(b, 'PATCH', org, { public_metadata: { plan: 'free' } })],
      ['add a member with public_metadata', 'public_metadata',
        async () => b.post(`${org}/memberships`, { user_id: (await w.clerk.users.createUser({ emailAddress: [address('meta')] })).id, role: 'org:member', public_metadata: '{"a":1}' })],
      ['update a membership with public_metadata', 'public_metadata', () => b.patch(`${org}/memberships/${member.id}`, { role: 'org:member', public_metadata: '{"a":2}' })],
      ['update a membership with private_metadata', 'private_metadata', () => b.patch(`${org}/memberships/${member.id}`, { role: 'org:member', private_metadata: '{"b":3}' })],
      ['invite with public_metadata', 'public_metadata', () => b.post(`${org}/invitations`, { email_address: address('meta'), role: 'org:member', public_metadata: '{"a":1}' })],
      ['invite in bulk with private_metadata', 'private_metadata', () => b.post(`${org}/invitations/bulk`, { email_address: [address('meta')], role: 'org:member', private_metadata: '{"a":1}' })],
    ];
  };
  test('each refused with 422 form_param_unknown; no metadata (or anything else) changed', async () => {
    await w.clerk.organizations.updateOrganizationMembershipMetadata({
      organizationId: w.org.id, userId: w.actors.member.user.id, publicMetadata: { seat: 'a' }, privateMetadata: { cost: 5 },
    });
    for (const [name, field, call] of cases()) {
      const before = await metadataState();
      const res = await call();
      assertFapiError(res, 422, 'form_param_unknown', field);
      assert.deepEqual(await metadataState(), before, `${name} changed something`);
    }
    assert.ok(!(await w.clerk.users.getOrganizationMembershipList({ userId: w.actors.admin.user.id })).data
      .some(m => m.organization.name === 'Meta Org'), 'an organization was created with metadata');
  });

  test('the Backend API’s metadata paths and PATCH /v1/me do not exist on the Frontend API', async () => {
    const b = w.actors.admin.browser;
    const before = await metadataState();
    for (const [method, path, form] of [
      ['PATCH', `/v1/organizations/${w.org.id}/metadata`, { public_metadata: '{"plan":"free"}' }],
      ['PUT', `/v1/organizations/${w.org.id}/metadata`, { private_metadata: '{}' }],
      ['PATCH', `/v1/organizations/${w.org.id}/memberships/${w.actors.member.user.id}/metadata`, { public_metadata: '{}' }],
      ['PATCH', '/v1/me', { public_metadata: '{"x":1}', private_metadata: '{"y":1}', unsafe_metadata: '{"z":1}' }],
      ['PATCH', '/v1/me/metadata', { unsafe_metadata: '{"z":1}' }],
    ]) {
      const res = await b.request(method, path, { form });
      assert.ok(res.status >= 400 && res.status < 500, `${method} ${path}: ${res.status} ${res.text}`);
    }
    assert.deepEqual(await metadataState(), before);
  });
});
