// Enrollment by verified domain (BEHAVIOR.md §2.13 "Enrollment modes", §3.3, §4.3):
//   automatic_invitation — every user with an address at exactly that domain gets a pending
//     invitation with the domains default role when the domain becomes verified, and so does a
//     user created afterwards; such invitations are absent from the organization's Backend API
//     invitation lists, present in the user's /v1/me/organization_invitations, and can be accepted;
//   automatic_suggestion — a pending suggestion instead;
//   manual_invitation — nothing;
// never: evil-<domain>, <domain>.evil.org, sub.<domain>, a user already a member; delete_pending
// removes the pending ones; and a race: two organizations verifying one name at once (10 rounds
// each of verify_ownership and of create verified:true) leave exactly one verified owner.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertDomainJson, domainName, enableDomains, isVerified } from '../lib/domains.js';
import { useFrontend } from '../lib/frontend.js';

const w = {};
const ctx = useFrontend({
  async seed(c) {
    await enableDomains(c.raw);
    w.admin = await c.clerk.users.createUser({ emailAddress: ['root@enroll-admin.example.com'] });
    w.adminBrowser = c.browser();
    await w.adminBrowser.signIn(w.admin.id);
  },
});

let counter = 0;
const next = () => ++counter;
async function ok(promise) {
  const res = await promise;
  assert.equal(res.status, 200, `expected 200, got ${res.status}: ${res.text}`);
  return res;
}
const newOrg = () => ctx.clerk.organizations.createOrganization({
  name: `Enrolling ${next()}`, createdBy: w.admin.id, maxAllowedMemberships: 0,
});
const newUser = email => ctx.clerk.users.createUser({ emailAddress: [email] });
async function signedIn(user) {
  const browser = ctx.browser();
  await browser.signIn(user.id);
  return browser;
}
const createDomain = async (org, json) => {
  const res = await ctx.raw('POST', `/v1/organizations/${org.id}/domains`, { json });
  assert.equal(res.status, 200, res.text);
  return assertDomainJson(res.json);
};
const verify = async (org, d) => {
  const res = await ctx.raw('POST', `/v1/organizations/${org.id}/domains/${d.id}/verify_ownership`);
  assert.equal(res.status, 200, res.text);
  return res.json;
};
const readDomain = async (org, d) =>
  (await ctx.raw('GET', `/v1/organizations/${org.id}/domains?limit=100`)).json.data.find(x => x.id === d.id);
const counts = async (org, d) => {
  const x = await readDomain(org, d);
  return [x.total_pending_invitations, x.total_pending_suggestions];
};
// The user's invitations (/v1/me) to `org`, by status.
async function myInvitations(browser, org, status = 'pending') {
  const res = await ok(browser.get('/v1/me/organization_invitations', { query: { status, limit: 100, offset: 0 } }));
  return res.json.response.data.filter(i => (i.public_organization_data?.id ?? i.organization_id) === org.id);
}
async function mySuggestions(browser, org, status = 'pending') {
  const res = await ok(browser.get('/v1/me/organization_suggestions', { query: { status, limit: 100, offset: 0 } }));
  return res.json.response.data.filter(s => s.public_organization_data?.id === org.id);
}
// Every invitation of `org` in the Backend API's organization invitation lists, which leave out
// "any invitations created as a result of an Organization Domain" (the contract's words for
// GET …/invitations and …/invitations/pending; it says nothing of the instance-wide or the
// per-user list, which this file leaves alone).
async function bapiInvitations(org) {
  const found = [];
  for (const path of [`/v1/organizations/${org.id}/invitations?limit=100`,
    `/v1/organizations/${org.id}/invitations?status=pending&limit=100`,
    `/v1/organizations/${org.id}/invitations/pending?limit=100`]) {
    const res = await ctx.raw('GET', path);
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    found.push(...res.json.data.map(i => [path, i.email_address]));
  }
  const sdk = await ctx.clerk.organizations.getOrganizationInvitationList({ organizationId: org.id, status: ['pending'] });
  found.push(...sdk.data.map(i => ['sdk', i.emailAddress]));
  return found;
}
const emailOf = u => u.emailAddresses[0].emailAddress;
const memberIds = async org =>
  (await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id, limit: 100 })).data
    .map(m => m.publicUserData.userId).sort();
// Users whose addresses only look like `name`'s.
const lookalikes = name => [`evil-${name}`, `${name}.evil.org`, `sub.${name}`, `x${name}`].map(host => `near-${next()}@${host}`);

describe('automatic_invitation', () => {
  const x = {};
  test('setup: users at the domain, look-alikes, and a member, before the domain is verified', async () => {
    x.org = await newOrg();
    x.name = domainName('enroll-inv');
    x.a1 = await newUser(`a1-${next()}@${x.name}`);
    x.a2 = await newUser(`a2-${next()}@${x.name}`);
    x.near = [];
    for (const email of lookalikes(x.name)) x.near.push(await newUser(email));
    x.member = await newUser(`member-${next()}@${x.name}`);
    await ctx.clerk.organizations.createOrganizationMembership({ organizationId: x.org.id, userId: x.member.id, role: 'org:member' });
    x.domain = await createDomain(x.org, { name: x.name, enrollment_mode: 'automatic_invitation', verified: false });
    assert.deepEqual(await counts(x.org, x.domain), [0, 0], 'unverified: nobody enrolled yet');
  });

  test('verified: a pending invitation for each user at the domain, the default role; none for look-alikes or members', async () => {
    const v = await verify(x.org, x.domain);
    assert.ok(isVerified(v));
    assert.equal(v.total_pending_invitations, 2, JSON.stringify(v));
    assert.deepEqual(await counts(x.org, x.domain), [2, 0]);
    for (const u of [x.a1, x.a2]) {
      const b = await signedIn(u);
      const invs = await myInvitations(b, x.org);
      assert.equal(invs.length, 1, `${emailOf(u)}: ${JSON.stringify(invs)}`);
      assert.equal(invs[0].status, 'pending');
      assert.equal(invs[0].role, 'org:member');
      assert.equal(invs[0].email_address, emailOf(u));
      assert.equal(invs[0].public_organization_data.id, x.org.id);
      u.browser = b;
      u.invitation = invs[0];
    }
    for (const u of [...x.near, x.member]) {
      const b = await signedIn(u);
      assert.deepEqual(await myInvitations(b, x.org), [], `${emailOf(u)} was enrolled`);
      assert.deepEqual(await mySuggestions(b, x.org), [], `${emailOf(u)} got a suggestion`);
    }
  });

  test('absent from the organization’s Backend API invitation lists', async () => {
    assert.deepEqual(await bapiInvitations(x.org), []);
  });

  test('a user created afterwards with an address there is invited too; a look-alike is not', async () => {
    x.a3 = await newUser(`a3-${next()}@${x.name}`);
    const lateNear = await newUser(`late-${next()}@sub.${x.name}`);
    assert.deepEqual(await counts(x.org, x.domain), [3, 0]);
    const invs = await myInvitations(await signedIn(x.a3), x.org);
    assert.equal(invs.length, 1, JSON.stringify(invs));
    assert.deepEqual(await myInvitations(await signedIn(lateNear), x.org), []);
  });

  test('accepted from /v1/me: a member with the default role; the count drops', async () => {
    const res = await ok(x.a1.browser.post(`/v1/me/organization_invitations/${x.a1.invitation.id}/accept`, {}));
    assert.equal(res.json.response.status, 'accepted');
    const memberships = await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: x.org.id, limit: 100 });
    const mine = memberships.data.find(m => m.publicUserData.userId === x.a1.id);
    assert.ok(mine, 'a member after accepting');
    assert.equal(mine.role, 'org:member');
    assert.deepEqual(await counts(x.org, x.domain), [2, 0]);
    assert.deepEqual(await myInvitations(x.a1.browser, x.org), []);
  });

  test('the role comes from domains_default_role', async () => {
    const perms = await ctx.clerk.organizationPermissions.getOrganizationPermissionList({ limit: 500 });
    const read = perms.data.find(p => p.key === 'org:sys_memberships:read');
    const role = await ctx.clerk.organizationRoles.createOrganizationRole({ name: 'Domain joiner', key: 'org:domain_joiner', permissions: [read.id] });
    const res = await ctx.raw('PATCH', '/v1/instance/organization_settings', { json: { domains_default_role_id: role.id } });
    assert.equal(res.status, 200, res.text);
    try {
      const org = await newOrg();
      const name = domainName('enroll-role');
      const u = await newUser(`r-${next()}@${name}`);
      await createDomain(org, { name, enrollment_mode: 'automatic_invitation' });
      const invs = await myInvitations(await signedIn(u), org);
      assert.deepEqual(invs.map(i => i.role), ['org:domain_joiner']);
    } finally {
      const member = (await ctx.clerk.organizationRoles.getOrganizationRoleList({ query: 'org:member', limit: 10 })).data
        .find(r => r.key === 'org:member');
      await ctx.raw('PATCH', '/v1/instance/organization_settings', { json: { domains_default_role_id: member.id } });
    }
  });
});

describe('automatic_suggestion and manual_invitation', () => {
  test('automatic_suggestion: a pending suggestion each (no invitation), new users too; look-alikes and members none', async () => {
    const org = await newOrg();
    const name = domainName('enroll-sug');
    const s1 = await newUser(`s1-${next()}@${name}`);
    const near = [];
    for (const email of lookalikes(name)) near.push(await newUser(email));
    const member = await newUser(`m-${next()}@${name}`);
    await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: member.id, role: 'org:member' });
    const d = await createDomain(org, { name, enrollment_mode: 'automatic_suggestion', verified: false });
    assert.deepEqual(await counts(org, d), [0, 0]);
    await verify(org, d);
    assert.deepEqual(await counts(org, d), [0, 1]);
    const b1 = await signedIn(s1);
    const sugg = await mySuggestions(b1, org);
    assert.equal(sugg.length, 1, JSON.stringify(sugg));
    assert.equal(sugg[0].status, 'pending');
    assert.deepEqual(await myInvitations(b1, org), []);
    for (const u of [...near, member]) assert.deepEqual(await mySuggestions(await signedIn(u), org), [], emailOf(u));
    const s2 = await newUser(`s2-${next()}@${name}`);
    assert.deepEqual(await counts(org, d), [0, 2]);
    assert.equal((await mySuggestions(await signedIn(s2), org)).length, 1);
    assert.deepEqual(await bapiInvitations(org), []);
  });

  test('manual_invitation: nothing, at verification or for new users', async () => {
    const org = await newOrg();
    const name = domainName('enroll-man');
    const u = await newUser(`u-${next()}@${name}`);
    const d = await createDomain(org, { name, enrollment_mode: 'manual_invitation', verified: false });
    await verify(org, d);
    const later = await newUser(`later-${next()}@${name}`);
    assert.deepEqual(await counts(org, d), [0, 0]);
    for (const user of [u, later]) {
      const b = await signedIn(user);
      assert.deepEqual(await myInvitations(b, org), []);
      assert.deepEqual(await mySuggestions(b, org), []);
    }
  });

  test('an unverified automatic domain enrolls nobody, now or later', async () => {
    const org = await newOrg();
    const name = domainName('enroll-cold');
    const u = await newUser(`u-${next()}@${name}`);
    const d = await createDomain(org, { name, enrollment_mode: 'automatic_invitation', verified: false });
    await newUser(`v-${next()}@${name}`);
    assert.deepEqual(await counts(org, d), [0, 0]);
    assert.deepEqual(await myInvitations(await signedIn(u), org), []);
  });
});

describe('changes of mode, a full organization', () => {
  test('a change to an automatic mode enrolls the users already there (README: at a change to an automatic mode)', async () => {
    const org = await newOrg();
    const name = domainName('enroll-switch');
    const u = await newUser(`u-${next()}@${name}`);
    const d = await createDomain(org, { name, enrollment_mode: 'manual_invitation' });
    assert.deepEqual(await counts(org, d), [0, 0]);
    const res = await ctx.raw('PATCH', `/v1/organizations/${org.id}/domains/${d.id}`, { json: { enrollment_mode: 'automatic_invitation' } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(await counts(org, d), [1, 0]);
    const b = await signedIn(u);
    assert.equal((await myInvitations(b, org)).length, 1);
    await ok(w.adminBrowser.post(`/v1/organizations/${org.id}/domains/${d.id}/update_enrollment_mode`,
      { enrollment_mode: 'automatic_suggestion', delete_pending: true }));
    assert.deepEqual(await counts(org, d), [0, 1]);
    assert.deepEqual(await myInvitations(b, org), []);
    assert.equal((await mySuggestions(b, org)).length, 1);
  });

  test('a full organization: no enrollment invitation (README: skipped when the organization is full)', async () => {
    const org = await ctx.clerk.organizations.createOrganization({ name: `Full ${next()}`, createdBy: w.admin.id, maxAllowedMemberships: 1 });
    const name = domainName('enroll-full');
    const u = await newUser(`u-${next()}@${name}`);
    const d = await createDomain(org, { name, enrollment_mode: 'automatic_invitation' });
    assert.deepEqual(await counts(org, d), [0, 0]);
    assert.deepEqual(await bapiInvitations(org), [], 'no invitation of any kind');
    assert.deepEqual(await myInvitations(await signedIn(u), org), []);
    assert.deepEqual(await memberIds(org), [w.admin.id]);
  });
});

describe('delete_pending', () => {
  const update = (org, d, fields) =>
    ok(w.adminBrowser.post(`/v1/organizations/${org.id}/domains/${d.id}/update_enrollment_mode`, fields));

  test('invitations: kept with delete_pending=false, removed with true (gone from /v1/me)', async () => {
    const org = await newOrg();
    const name = domainName('enroll-dp');
    const users = [await newUser(`p1-${next()}@${name}`), await newUser(`p2-${next()}@${name}`)];
    const d = await createDomain(org, { name, enrollment_mode: 'automatic_invitation' });
    assert.deepEqual(await counts(org, d), [2, 0]);
    await update(org, d, { enrollment_mode: 'automatic_invitation', delete_pending: false });
    assert.deepEqual(await counts(org, d), [2, 0]);
    const res = await update(org, d, { enrollment_mode: 'manual_invitation', delete_pending: true });
    assert.equal(res.json.response.total_pending_invitations, 0);
    assert.deepEqual(await counts(org, d), [0, 0]);
    for (const u of users) assert.deepEqual(await myInvitations(await signedIn(u), org), [], emailOf(u));
    // Manual now: a new user gets nothing.
    const late = await newUser(`p3-${next()}@${name}`);
    assert.deepEqual(await counts(org, d), [0, 0]);
    assert.deepEqual(await myInvitations(await signedIn(late), org), []);
  });

  test('suggestions: removed with delete_pending=true; an accepted one stays accepted', async () => {
    const org = await newOrg();
    const name = domainName('enroll-dps');
    const keep = await newUser(`k-${next()}@${name}`);
    const drop = await newUser(`d-${next()}@${name}`);
    const d = await createDomain(org, { name, enrollment_mode: 'automatic_suggestion' });
    assert.deepEqual(await counts(org, d), [0, 2]);
    const kb = await signedIn(keep);
    const [s] = await mySuggestions(kb, org);
    await ok(kb.post(`/v1/me/organization_suggestions/${s.id}/accept`, {}));
    assert.deepEqual(await counts(org, d), [0, 1]);
    await update(org, d, { enrollment_mode: 'manual_invitation', delete_pending: true });
    assert.deepEqual(await counts(org, d), [0, 0]);
    assert.deepEqual(await mySuggestions(await signedIn(drop), org), []);
    assert.deepEqual((await mySuggestions(kb, org, 'accepted')).map(x => x.id), [s.id]);
  });

  test('an accepted invitation is not undone by delete_pending', async () => {
    const org = await newOrg();
    const name = domainName('enroll-dpa');
    const u = await newUser(`a-${next()}@${name}`);
    const d = await createDomain(org, { name, enrollment_mode: 'automatic_invitation' });
    const b = await signedIn(u);
    const [inv] = await myInvitations(b, org);
    await ok(b.post(`/v1/me/organization_invitations/${inv.id}/accept`, {}));
    await update(org, d, { enrollment_mode: 'manual_invitation', delete_pending: true });
    assert.ok((await memberIds(org)).includes(u.id));
  });
});

describe('race: two organizations verifying one name', () => {
  const owners = async name => {
    const res = await ctx.raw('GET', `/v1/organization_domains?domains=${name}&verified=true`);
    assert.equal(res.status, 200, res.text);
    return res.json;
  };
  const outcome = (results, label) => {
    const won = results.filter(r => r.status === 200);
    const lost = results.filter(r => r.status !== 200);
    assert.equal(won.length, 1, `${label}: exactly one wins: ${results.map(r => `${r.status} ${r.text}`).join(' | ')}`);
    for (const r of lost) {
      assert.equal(r.status, 422, `${label}: ${r.text}`);
      assert.equal(r.json.errors[0].code, 'organization_domain_already_exists', `${label}: ${r.text}`);
    }
    return won[0];
  };

  test('verify_ownership at once, 10 rounds: one verified owner each time', async () => {
    const [a, b] = [await newOrg(), await newOrg()];
    for (let round = 0; round < 10; round++) {
      const name = domainName('race-verify');
      const da = await createDomain(a, { name, enrollment_mode: 'automatic_invitation', verified: false });
      const db = await createDomain(b, { name, enrollment_mode: 'automatic_invitation', verified: false });
      const results = await Promise.all([[a, da], [b, db]].map(([org, d]) =>
        ctx.raw('POST', `/v1/organizations/${org.id}/domains/${d.id}/verify_ownership`)));
      const winner = outcome(results, `round ${round}`);
      const list = await owners(name);
      assert.equal(list.total_count, 1, `round ${round}: ${JSON.stringify(list)}`);
      assert.equal(list.data[0].organization_id, winner.json.organization_id);
      const loser = winner.json.organization_id === a.id ? [b, db] : [a, da];
      assert.equal(isVerified(await readDomain(...loser)), false);
    }
  });

  test('create verified:true at once, 10 rounds: one created verified each time', async () => {
    const [a, b] = [await newOrg(), await newOrg()];
    for (let round = 0; round < 10; round++) {
      const name = domainName('race-create');
      const results = await Promise.all([a, b].map(org =>
        ctx.raw('POST', `/v1/organizations/${org.id}/domains`, { json: { name, enrollment_mode: 'manual_invitation', verified: true } })));
      const winner = outcome(results, `round ${round}`);
      const list = await owners(name);
      assert.equal(list.total_count, 1, `round ${round}: ${JSON.stringify(list)}`);
      assert.equal(list.data[0].id, winner.json.id);
      const all = await ctx.raw('GET', `/v1/organization_domains?domains=${name}`);
      assert.equal(all.json.total_count, 1, `the loser left no domain: ${all.text}`);
    }
  });

  test('enrollment from the race: the users at the name are invited once, by the winner', async () => {
    const [a, b] = [await newOrg(), await newOrg()];
    const name = domainName('race-enroll');
    const u = await newUser(`u-${next()}@${name}`);
    const da = await createDomain(a, { name, enrollment_mode: 'automatic_invitation', verified: false });
    const db = await createDomain(b, { name, enrollment_mode: 'automatic_invitation', verified: false });
    const results = await Promise.all([[a, da], [b, db]].map(([org, d]) =>
      ctx.raw('POST', `/v1/organizations/${org.id}/domains/${d.id}/verify_ownership`)));
    const winner = outcome(results, 'enroll');
    const browser = await signedIn(u);
    const res = await ok(browser.get('/v1/me/organization_invitations', { query: { status: 'pending', limit: 100, offset: 0 } }));
    const orgs = res.json.response.data.map(i => i.public_organization_data.id).filter(id => id === a.id || id === b.id);
    assert.deepEqual(orgs, [winner.json.organization_id]);
  });
});
