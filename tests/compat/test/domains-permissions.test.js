// Who may call each Frontend API domain and membership-request operation (BEHAVIOR.md §4.2):
// reads of domains need org:sys_domains:read, changes org:sys_domains:manage, membership requests
// org:sys_memberships:manage. Every operation × {admin, member (org:member), custom roles: domains
// manage+read, domains read only, everything but domains, membership requests manage, everything
// but membership requests; a member of another organization; a user in no organization}:
//   holds the permission       → 200, and (for a change) something changed;
//   a member without it        → 403 missing_organization_permission, nothing changed;
//   not a member of that org   → 404 organization_not_found_or_unauthorized, nothing changed.
// "Nothing changed" is read back through the Backend API (the domain list, the members) and,
// for membership requests, the owner's own list. Then: another organization's domain or request
// named under one's own organization (404), and the TXT challenge hidden from readers.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startDnsServer } from '../lib/dns.js';
import { domainName, enableDomains, isVerified } from '../lib/domains.js';
import { assertFapiError, useFrontend } from '../lib/frontend.js';
import { codeIn, smtpArgs, startSmtp, waitForMail } from '../lib/mail.js';

const smtp = await startSmtp();
after(() => smtp.stop());
const dns = await startDnsServer({});
after(() => dns.close());
const txt = {};
const publish = (name, values) => {
  txt[name] = values;
  return dns.set({ ...txt });
};

const P = {
  domains_read: 'org:sys_domains:read',
  domains_manage: 'org:sys_domains:manage',
  memberships_read: 'org:sys_memberships:read',
  memberships_manage: 'org:sys_memberships:manage',
  profile_manage: 'org:sys_profile:manage',
  profile_delete: 'org:sys_profile:delete',
};
// The custom roles and the permissions each holds.
const CUSTOM = {
  'org:dom_manage': [P.domains_manage, P.domains_read],
  'org:dom_read': [P.domains_read],
  'org:no_dom': [P.profile_manage, P.profile_delete, P.memberships_read, P.memberships_manage],
  'org:req_manage': [P.memberships_manage, P.memberships_read],
  'org:no_req': [P.domains_manage, P.domains_read, P.memberships_read, P.profile_manage],
};
const ADMIN = Object.values(P);
const MEMBER = [P.memberships_read, 'org:sys_billing:read'];
// actor kind → its role in the organization (null: none; 'elsewhere': admin of another one).
const KINDS = {
  admin: 'org:admin', member: 'org:member',
  dom_manage: 'org:dom_manage', dom_read: 'org:dom_read', no_dom: 'org:no_dom',
  req_manage: 'org:req_manage', no_req: 'org:no_req',
  outsider: 'elsewhere', nobody: null,
};
const holds = role => (role === 'org:admin' ? ADMIN : role === 'org:member' ? MEMBER : CUSTOM[role]);

let counter = 0;
const next = () => ++counter;
const w = { actors: {} };
const ctx = useFrontend({
  args: [...smtpArgs(smtp), '--email-from', 'orgd <no-reply@orgd.test>', '--dns-server', dns.address],
  async seed(c) {
    await enableDomains(c.raw);
    await c.raw('PATCH', '/v1/instance/organization_settings', { json: { max_allowed_roles: 30 } });
    const perms = await c.clerk.organizationPermissions.getOrganizationPermissionList({ limit: 500 });
    const id = key => perms.data.find(p => p.key === key).id;
    for (const [key, list] of Object.entries(CUSTOM)) {
      await c.clerk.organizationRoles.createOrganizationRole({ name: key, key, permissions: list.map(id) });
    }
    const user = tag => c.clerk.users.createUser({ emailAddress: [`${tag}${next()}@perm-actors.example.com`], firstName: tag });
    w.owner = await user('owner');
    w.ownerBrowser = c.browser();
    await w.ownerBrowser.signIn(w.owner.id);
    w.elsewhere = await c.clerk.organizations.createOrganization({ name: 'Elsewhere', maxAllowedMemberships: 0 });
    for (const [kind, role] of Object.entries(KINDS)) {
      const u = await user(kind.replace(/[^a-z]/g, ''));
      if (role === 'elsewhere') {
        await c.clerk.organizations.createOrganizationMembership({ organizationId: w.elsewhere.id, userId: u.id, role: 'org:admin' });
      }
      const browser = c.browser();
      await browser.signIn(u.id);
      w.actors[kind] = { kind, user: u, role: role === 'elsewhere' ? null : role, browser };
    }
  },
});

async function ok(promise) {
  const res = await promise;
  assert.equal(res.status, 200, `expected 200, got ${res.status}: ${res.text}`);
  return res;
}
// An organization of its own for each cell, owned by w.owner, with the actor in its role.
async function freshOrg(actor) {
  const org = await ctx.clerk.organizations.createOrganization({
    name: `Perm Org ${next()}`, createdBy: w.owner.id, maxAllowedMemberships: 0,
  });
  if (actor.role) {
    await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: actor.user.id, role: actor.role });
  }
  return org;
}
const bapiCreate = async (org, json) => {
  const res = await ctx.raw('POST', `/v1/organizations/${org.id}/domains`, { json });
  assert.equal(res.status, 200, res.text);
  return res.json;
};
const domainsOf = async org => (await ctx.raw('GET', `/v1/organizations/${org.id}/domains?limit=100`)).json;
const membersOf = async org =>
  (await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id, limit: 100 })).data
    .map(m => [m.publicUserData.userId, m.role, m.updatedAt]).sort();
const requestsOf = async org => {
  const res = await ok(w.ownerBrowser.get(`/v1/organizations/${org.id}/membership_requests`, { query: { limit: 100, offset: 0 } }));
  return res.json.response.data.map(r => [r.id, r.status, r.updated_at]).sort();
};
const o = p => `/v1/organizations/${p.org.id}`;
const dom = p => `${o(p)}/domains/${p.domain.id}`;

// prepare: a fresh organization with one unverified domain.
const withDomain = (json = {}) => async actor => {
  const org = await freshOrg(actor);
  const domain = await bapiCreate(org, { name: domainName('perm'), enrollment_mode: 'manual_invitation', verified: false, ...json });
  return { org, domain };
};
// prepare: a fresh organization whose verified automatic_suggestion domain made a user's
// suggestion, which the user accepted: one pending membership request.
async function withRequest(actor) {
  const org = await freshOrg(actor);
  const name = domainName('perm-req');
  await bapiCreate(org, { name, enrollment_mode: 'automatic_suggestion', verified: true });
  const joiner = await ctx.clerk.users.createUser({ emailAddress: [`joiner${next()}@${name}`] });
  const b = ctx.browser();
  await b.signIn(joiner.id);
  const sugg = (await ok(b.get('/v1/me/organization_suggestions', { query: { status: 'pending', limit: 10, offset: 0 } })))
    .json.response.data.find(s => s.public_organization_data?.id === org.id);
  assert.ok(sugg, 'the joiner has a suggestion');
  await ok(b.post(`/v1/me/organization_suggestions/${sugg.id}/accept`, {}));
  const reqs = (await ok(w.ownerBrowser.get(`/v1/organizations/${org.id}/membership_requests`, { query: { status: 'pending', limit: 10, offset: 0 } })))
    .json.response.data;
  assert.equal(reqs.length, 1, JSON.stringify(reqs));
  return { org, joiner, request: reqs[0] };
}

const OPERATIONS = [
  { name: 'GET …/domains (getDomains)', perm: P.domains_read, read: true, prepare: withDomain(),
    call: (b, p) => b.get(`${o(p)}/domains`, { query: { limit: 10, offset: 0 } }),
    check: (res, p) => assert.deepEqual(res.json.response.data.map(d => d.id), [p.domain.id]),
    snapshot: p => domainsOf(p.org) },
  { name: 'GET …/domains?verified&enrollment_mode (getDomains filtered)', perm: P.domains_read, read: true, prepare: withDomain(),
    call: (b, p) => b.get(`${o(p)}/domains`, { query: { limit: 10, offset: 0, verified: false, enrollment_mode: 'manual_invitation' } }),
    check: (res, p) => assert.deepEqual(res.json.response.data.map(d => d.id), [p.domain.id]),
    snapshot: p => domainsOf(p.org) },
  { name: 'GET …/domains/{d} (getDomain)', perm: P.domains_read, read: true, prepare: withDomain(),
    call: (b, p) => b.get(dom(p)), check: (res, p) => assert.equal(res.json.response.id, p.domain.id),
    snapshot: p => domainsOf(p.org) },
  { name: 'POST …/domains (createDomain)', perm: P.domains_manage, prepare: withDomain(),
    call: (b, p) => b.post(`${o(p)}/domains`, { name: domainName('perm-new'), enrollment_mode: 'manual_invitation' }),
    snapshot: p => domainsOf(p.org) },
  { name: 'DELETE …/domains/{d} (domain.delete)', perm: P.domains_manage, prepare: withDomain(),
    call: (b, p) => b.delete(dom(p)), snapshot: p => domainsOf(p.org) },
  { name: 'POST …/update_enrollment_mode (updateEnrollmentMode)', perm: P.domains_manage, prepare: withDomain(),
    call: (b, p) => b.post(`${dom(p)}/update_enrollment_mode`, { enrollment_mode: 'automatic_invitation', delete_pending: false }),
    snapshot: p => domainsOf(p.org) },
  { name: 'POST …/update_enrollment_mode delete_pending=true', perm: P.domains_manage,
    prepare: async actor => {
      const p = await withDomain({ enrollment_mode: 'automatic_invitation', verified: false })(actor);
      await ctx.clerk.users.createUser({ emailAddress: [`pending${next()}@${p.domain.name}`] });
      await ctx.raw('POST', `/v1/organizations/${p.org.id}/domains/${p.domain.id}/verify_ownership`);
      return p;
    },
    call: (b, p) => b.post(`${dom(p)}/update_enrollment_mode`, { enrollment_mode: 'manual_invitation', delete_pending: true }),
    snapshot: p => domainsOf(p.org) },
  { name: 'POST …/prepare_affiliation_verification', perm: P.domains_manage, prepare: withDomain(),
    call: (b, p) => b.post(`${dom(p)}/prepare_affiliation_verification`, { affiliation_email_address: `it${next()}@${p.domain.name}` }),
    snapshot: p => domainsOf(p.org) },
  { name: 'POST …/attempt_affiliation_verification', perm: P.domains_manage,
    prepare: async actor => {
      const p = await withDomain()(actor);
      const address = `code${next()}@${p.domain.name}`;
      await ok(w.ownerBrowser.post(`${dom(p)}/prepare_affiliation_verification`, { affiliation_email_address: address }));
      p.code = codeIn(await waitForMail(smtp, m => (m.headers.to ?? '').includes(address), `the code for ${address}`));
      return p;
    },
    call: (b, p) => b.post(`${dom(p)}/attempt_affiliation_verification`, { code: p.code }),
    check: async (res, p) => assert.ok(isVerified((await domainsOf(p.org)).data[0])),
    snapshot: p => domainsOf(p.org) },
  { name: 'POST …/prepare_ownership_verification', perm: P.domains_manage, prepare: withDomain(),
    call: (b, p) => b.post(`${dom(p)}/prepare_ownership_verification`, {}),
    check: res => assert.match(res.json.response.ownership_verification.txt_record_value, /^orgd-domain-verification=/),
    snapshot: p => domainsOf(p.org) },
  { name: 'POST …/attempt_ownership_verification', perm: P.domains_manage,
    prepare: async actor => {
      const p = await withDomain()(actor);
      const prepared = await ok(w.ownerBrowser.post(`${dom(p)}/prepare_ownership_verification`, {}));
      const { txt_record_name: name, txt_record_value: value } = prepared.json.response.ownership_verification;
      await publish(name, [value]);
      return p;
    },
    call: (b, p) => b.post(`${dom(p)}/attempt_ownership_verification`, {}),
    check: async (res, p) => assert.ok(isVerified((await domainsOf(p.org)).data[0])),
    snapshot: p => domainsOf(p.org) },
  { name: 'GET …/membership_requests (getMembershipRequests)', perm: P.memberships_manage, read: true, prepare: withRequest,
    call: (b, p) => b.get(`${o(p)}/membership_requests`, { query: { status: 'pending', limit: 10, offset: 0 } }),
    check: (res, p) => assert.deepEqual(res.json.response.data.map(r => r.id), [p.request.id]),
    snapshot: async p => [await requestsOf(p.org), await membersOf(p.org)] },
  { name: 'POST …/membership_requests/{r}/accept', perm: P.memberships_manage, prepare: withRequest,
    call: (b, p) => b.post(`${o(p)}/membership_requests/${p.request.id}/accept`, {}),
    check: async (res, p) => assert.ok((await membersOf(p.org)).some(([id]) => id === p.joiner.id)),
    snapshot: async p => [await requestsOf(p.org), await membersOf(p.org)] },
  { name: 'POST …/membership_requests/{r}/reject', perm: P.memberships_manage, prepare: withRequest,
    call: (b, p) => b.post(`${o(p)}/membership_requests/${p.request.id}/reject`, {}),
    check: async (res, p) => assert.ok(!(await membersOf(p.org)).some(([id]) => id === p.joiner.id)),
    snapshot: async p => [await requestsOf(p.org), await membersOf(p.org)] },
];

function expected(op, actor) {
  if (!actor.role) return [404, 'organization_not_found_or_unauthorized'];
  return holds(actor.role).includes(op.perm) ? 200 : [403, 'missing_organization_permission'];
}

async function runCell(op, actor) {
  const p = await op.prepare(actor);
  const before = await op.snapshot(p);
  const res = await op.call(actor.browser, p);
  const afterState = await op.snapshot(p);
  const want = expected(op, actor);
  if (want === 200) {
    assert.equal(res.status, 200, `${op.name} as ${actor.kind}: expected 200, got ${res.status}: ${res.text}`);
    if (op.read) assert.deepEqual(afterState, before, `${op.name} as ${actor.kind}: a read changed something`);
    else assert.notDeepEqual(afterState, before, `${op.name} as ${actor.kind} answered 200 but changed nothing`);
    if (op.check) await op.check(res, p);
    return;
  }
  const [status, code] = want;
  assertFapiError(res, status, code);
  if (status === 403) {
    const perms = res.json.errors[0].meta?.permissions;
    if (perms !== undefined) assert.ok(JSON.stringify(perms).includes(op.perm), `meta.permissions names ${op.perm}: ${res.text}`);
  }
  assert.deepEqual(afterState, before, `${op.name} as ${actor.kind} was refused but changed something`);
}

describe('permission matrix', () => {
  for (const op of OPERATIONS) {
    describe(op.name, () => {
      for (const kind of Object.keys(KINDS)) test(kind, () => runCell(op, w.actors[kind]));
    });
  }
});

describe('another organization’s domain or request, named under one’s own organization', () => {
  test('404 resource_not_found for each operation, nothing changed', async () => {
    const admin = w.actors.admin;
    const mine = await freshOrg(admin);
    const theirs = await ctx.clerk.organizations.createOrganization({ name: `Theirs ${next()}`, maxAllowedMemberships: 0 });
    const domain = await bapiCreate(theirs, { name: domainName('perm-theirs'), enrollment_mode: 'manual_invitation', verified: false });
    const before = await domainsOf(theirs);
    const path = `/v1/organizations/${mine.id}/domains/${domain.id}`;
    const b = admin.browser;
    for (const [label, call] of [
      ['get', () => b.get(path)],
      ['delete', () => b.delete(path)],
      ['update_enrollment_mode', () => b.post(`${path}/update_enrollment_mode`, { enrollment_mode: 'automatic_invitation' })],
      ['prepare_affiliation_verification', () => b.post(`${path}/prepare_affiliation_verification`, { affiliation_email_address: `x@${domain.name}` })],
      ['attempt_affiliation_verification', () => b.post(`${path}/attempt_affiliation_verification`, { code: '000000' })],
      ['prepare_ownership_verification', () => b.post(`${path}/prepare_ownership_verification`, {})],
      ['attempt_ownership_verification', () => b.post(`${path}/attempt_ownership_verification`, {})],
    ]) {
      const res = await call();
      assertFapiError(res, 404, 'resource_not_found');
      assert.deepEqual(await domainsOf(theirs), before, `${label} changed their domain`);
    }
    // A request of another organization.
    const other = await withRequest({ role: null });
    const reqBefore = [await requestsOf(other.org), await membersOf(other.org)];
    for (const action of ['accept', 'reject']) {
      assertFapiError(await b.post(`/v1/organizations/${mine.id}/membership_requests/${other.request.id}/${action}`, {}), 404,
        'resource_not_found');
    }
    assert.deepEqual([await requestsOf(other.org), await membersOf(other.org)], reqBefore);
  });
});

describe('the TXT challenge on reads', () => {
  test('shown to org:sys_domains:manage, hidden (null) from org:sys_domains:read', async () => {
    const manager = w.actors.dom_manage;
    const reader = w.actors.dom_read;
    const org = await freshOrg(manager);
    await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: reader.user.id, role: reader.role });
    const d = await bapiCreate(org, { name: domainName('perm-txt'), enrollment_mode: 'manual_invitation', verified: false });
    const base = `/v1/organizations/${org.id}/domains`;
    const prepared = (await ok(manager.browser.post(`${base}/${d.id}/prepare_ownership_verification`, {}))).json.response.ownership_verification;
    const seen = (await ok(manager.browser.get(`${base}/${d.id}`))).json.response.ownership_verification;
    assert.equal(seen.txt_record_value, prepared.txt_record_value);
    const hidden = (await ok(reader.browser.get(`${base}/${d.id}`))).json.response.ownership_verification;
    assert.equal(hidden.txt_record_value ?? null, null, `a reader sees the challenge: ${JSON.stringify(hidden)}`);
    const listed = (await ok(reader.browser.get(base, { query: { limit: 10, offset: 0 } }))).json.response.data[0].ownership_verification;
    assert.equal(listed.txt_record_value ?? null, null);
  });
});
