// Verified domains through the Backend API (BEHAVIOR.md §2.4, §2.13, §3.4): create (verified by
// default; name validation; common providers; the per-organization quota; a name another
// organization has verified, or this one already has; domains off; a mode not enabled), the
// organization's list with its filters, update (mode, verified), delete, verify_ownership
// (idempotent), the instance-wide GET /v1/organization_domains with every filter and order_by, and
// exact total_pending_invitations / total_pending_suggestions. Through @clerk/backend where
// 3.25.0 has the method (createOrganizationDomain, getOrganizationDomainList,
// updateOrganizationDomain, deleteOrganizationDomain: raw JSON back, no deserializer for
// organization_domain), raw HTTP otherwise. Every response is checked against the contract.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALL_MODES, assertDomainJson, domainName, enableDomains, isVerified } from '../lib/domains.js';
import { assertClerkError, assertSdkError, useOrgd } from '../lib/suite.js';

const ctx = useOrgd({ seed: c => enableDomains(c.raw) });

let counter = 0;
const next = () => ++counter;
const sleep = ms => new Promise(r => setTimeout(r, ms));
const newOrg = (name = `Domain Org ${next()}`) => ctx.clerk.organizations.createOrganization({ name, maxAllowedMemberships: 0 });
const create = (org, json) => ctx.raw('POST', `/v1/organizations/${org.id}/domains`, { json });
async function created(org, json) {
  const res = await create(org, json);
  assert.equal(res.status, 200, `create ${JSON.stringify(json)}: ${res.text}`);
  return assertDomainJson(res.json);
}
async function listOf(org, query = '') {
  const res = await ctx.raw('GET', `/v1/organizations/${org.id}/domains${query ? `?${query}` : ''}`);
  assert.equal(res.status, 200, res.text);
  return res.json;
}
const namesOf = list => list.data.map(d => d.name);
const readDomain = async (org, id) => (await listOf(org, 'limit=100')).data.find(d => d.id === id);
const verifyOwnership = (org, d) => ctx.raw('POST', `/v1/organizations/${org.id}/domains/${d.id}/verify_ownership`);
const all = async query => {
  const res = await ctx.raw('GET', `/v1/organization_domains?${query}`);
  assert.equal(res.status, 200, `GET /v1/organization_domains?${query}: ${res.text}`);
  return res.json;
};
const settings = json => ctx.raw('PATCH', '/v1/instance/organization_settings', { json });

describe('create', () => {
  test('through the SDK: verified by default, the organization, mode and counts', async () => {
    const org = await newOrg();
    const name = domainName('sdk');
    const before = Date.now();
    const d = assertDomainJson(await ctx.clerk.organizations.createOrganizationDomain({
      organizationId: org.id, name, enrollmentMode: 'manual_invitation',
    }), { name, organizationId: org.id, mode: 'manual_invitation' });
    assert.ok(isVerified(d), `created verified by default: ${JSON.stringify(d)}`);
    assert.equal(d.total_pending_invitations, 0);
    assert.equal(d.total_pending_suggestions, 0);
    assert.equal(d.affiliation_email_address, null);
    assert.ok(d.created_at >= before - 1000 && d.created_at <= Date.now() + 1000);
    if (d.public_organization_data) assert.equal(d.public_organization_data.id, org.id);
    const list = await ctx.clerk.organizations.getOrganizationDomainList({ organizationId: org.id });
    assert.equal(list.totalCount, 1);
    assert.deepEqual(list.data.map(x => [x.id, x.name, isVerified(x)]), [[d.id, name, true]]);
  });

  test('verified: false makes an unverified domain; no enrollment_mode is manual_invitation', async () => {
    const org = await newOrg();
    const name = domainName('unverified');
    const d = await created(org, { name, enrollment_mode: 'automatic_invitation', verified: false });
    assert.equal(isVerified(d), false, JSON.stringify(d));
    assert.equal(d.enrollment_mode, 'automatic_invitation');
    const plain = await created(org, { name: domainName('nomode') });
    assert.equal(plain.enrollment_mode, 'manual_invitation');
    assert.ok(isVerified(plain));
    assert.equal((await readDomain(org, d.id)).name, name);
  });

  test('the name is lowercased', async () => {
    const org = await newOrg();
    const name = domainName('upper');
    const d = await created(org, { name: name.toUpperCase(), enrollment_mode: 'manual_invitation' });
    assert.equal(d.name, name);
  });

  test('bad names: 422 form_param_format_invalid (name); no name: form_param_missing; nothing created', async () => {
    const org = await newOrg();
    for (const name of ['acme', 'not a domain.com', '-acme.com', 'acme-.com', 'acme..com', '.acme.com', 'acme.com.',
      'http://acme.com', 'acme.com/path', 'user@acme.com', 'acme_x.com', `${'a'.repeat(64)}.com`,
      `${'abcdefghi.'.repeat(26)}com`, 'ac me.com', 'acme.com:443', '*.acme.com']) {
      assertClerkError(await create(org, { name, enrollment_mode: 'manual_invitation' }), 422, 'form_param_format_invalid', 'name');
    }
    assertClerkError(await create(org, { enrollment_mode: 'manual_invitation' }), 422, 'form_param_missing', 'name');
    const empty = await create(org, { name: '', enrollment_mode: 'manual_invitation' });
    assert.equal(empty.status, 422, empty.text);
    assert.ok(['form_param_missing', 'form_param_format_invalid'].includes(empty.json.errors[0].code), empty.text);
    assert.equal((await listOf(org)).total_count, 0);
  });

  test('common email providers: 422 organization_domain_common', async () => {
    const org = await newOrg();
    for (const name of ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'GMAIL.COM']) {
      assertClerkError(await create(org, { name, enrollment_mode: 'manual_invitation' }), 422, 'organization_domain_common');
      assertClerkError(await create(org, { name, enrollment_mode: 'manual_invitation', verified: false }), 422,
        'organization_domain_common');
    }
    assert.equal((await listOf(org)).total_count, 0);
  });

  test('a bad enrollment_mode: 422 form_param_value_invalid; an unknown organization: 404', async () => {
    const org = await newOrg();
    assertClerkError(await create(org, { name: domainName('mode'), enrollment_mode: 'magic' }), 422, 'form_param_value_invalid',
      'enrollment_mode');
    assertClerkError(await ctx.raw('POST', '/v1/organizations/org_0000000000000000000000000000/domains', {
      json: { name: domainName('orphan'), enrollment_mode: 'manual_invitation' },
    }), 404, 'resource_not_found');
    assert.equal((await listOf(org)).total_count, 0);
  });

  test('the quota: 10 per organization, then 403 organization_domain_quota_exceeded', async () => {
    const org = await newOrg();
    for (let i = 0; i < 10; i++) await created(org, { name: domainName('quota'), enrollment_mode: 'manual_invitation', verified: i % 2 === 0 });
    assertClerkError(await create(org, { name: domainName('quota'), enrollment_mode: 'manual_invitation' }), 403,
      'organization_domain_quota_exceeded');
    assertClerkError(await create(org, { name: domainName('quota'), enrollment_mode: 'manual_invitation', verified: false }), 403,
      'organization_domain_quota_exceeded');
    assert.equal((await listOf(org)).total_count, 10);
    // A delete frees a place.
    const [first] = (await listOf(org)).data;
    await ctx.clerk.organizations.deleteOrganizationDomain({ organizationId: org.id, domainId: first.id });
    await created(org, { name: domainName('quota'), enrollment_mode: 'manual_invitation' });
    assert.equal((await listOf(org)).total_count, 10);
  });

  test('max_allowed_domains from the instance settings', async () => {
    const org = await newOrg();
    assert.equal((await settings({ max_allowed_domains: 2 })).status, 200);
    try {
      await created(org, { name: domainName('small'), enrollment_mode: 'manual_invitation' });
      await created(org, { name: domainName('small'), enrollment_mode: 'manual_invitation' });
      assertClerkError(await create(org, { name: domainName('small'), enrollment_mode: 'manual_invitation' }), 403,
        'organization_domain_quota_exceeded');
    } finally {
      await settings({ max_allowed_domains: 10 });
    }
    assert.equal((await listOf(org)).total_count, 2);
  });

  test('a name another organization has verified: 422 organization_domain_already_exists', async () => {
    const [a, b] = [await newOrg(), await newOrg()];
    const name = domainName('taken');
    await created(a, { name, enrollment_mode: 'manual_invitation' });
    assertClerkError(await create(b, { name, enrollment_mode: 'manual_invitation' }), 422, 'organization_domain_already_exists');
    assertClerkError(await create(b, { name: name.toUpperCase(), enrollment_mode: 'automatic_invitation' }), 422,
      'organization_domain_already_exists');
    await assertSdkError(ctx.clerk.organizations.createOrganizationDomain({ organizationId: b.id, name, enrollmentMode: 'manual_invitation' }),
      422, 'organization_domain_already_exists');
    assert.equal((await listOf(b)).total_count, 0);
    const owners = await all(`domains=${name}`);
    assert.deepEqual(owners.data.map(d => d.organization_id), [a.id]);
  });

  for (const [how, call] of [
    ['verify_ownership', (org, d) => verifyOwnership(org, d)],
    ['PATCH verified: true', (org, d) => ctx.raw('PATCH', `/v1/organizations/${org.id}/domains/${d.id}`, { json: { verified: true } })],
  ]) {
    test(`a name another organization holds unverified is free to verify; then theirs cannot be verified (${how})`, async () => {
      const [a, b] = [await newOrg(), await newOrg()];
      const name = domainName('open');
      const mine = await created(a, { name, enrollment_mode: 'manual_invitation', verified: false });
      const theirs = await created(b, { name, enrollment_mode: 'manual_invitation' });
      assert.ok(isVerified(theirs));
      const before = await readDomain(a, mine.id);
      assertClerkError(await call(a, mine), 422, 'organization_domain_already_exists');
      assert.deepEqual(await readDomain(a, mine.id), before);
      const verified = await all(`domains=${name}&verified=true`);
      assert.deepEqual(verified.data.map(d => d.organization_id), [b.id]);
    });
  }

  test('the same name twice in one organization: 422 organization_domain_already_exists_same_organization', async () => {
    const org = await newOrg();
    const name = domainName('twice');
    await created(org, { name, enrollment_mode: 'manual_invitation', verified: false });
    for (const verified of [false, true]) {
      assertClerkError(await create(org, { name, enrollment_mode: 'manual_invitation', verified }), 422,
        'organization_domain_already_exists_same_organization');
    }
    const other = domainName('twice');
    await created(org, { name: other, enrollment_mode: 'manual_invitation' });
    assertClerkError(await create(org, { name: other, enrollment_mode: 'manual_invitation' }), 422,
      'organization_domain_already_exists_same_organization');
    assert.equal((await listOf(org)).total_count, 2);
  });

  test('domains off: 403 organization_domains_not_enabled; a mode not enabled: 403 organization_domain_enrollment_mode_not_enabled', async () => {
    const org = await newOrg();
    const kept = await created(org, { name: domainName('kept'), enrollment_mode: 'manual_invitation' });
    try {
      assert.equal((await settings({ domains_enabled: false })).status, 200);
      assertClerkError(await create(org, { name: domainName('off'), enrollment_mode: 'manual_invitation' }), 403,
        'organization_domains_not_enabled');
      await assertSdkError(ctx.clerk.organizations.createOrganizationDomain({
        organizationId: org.id, name: domainName('off'), enrollmentMode: 'manual_invitation',
      }), 403, 'organization_domains_not_enabled');

      assert.equal((await settings({ domains_enabled: true, domains_enrollment_modes: ['manual_invitation', 'automatic_invitation'] })).status, 200);
      assertClerkError(await create(org, { name: domainName('nomode'), enrollment_mode: 'automatic_suggestion' }), 403,
        'organization_domain_enrollment_mode_not_enabled');
      assertClerkError(await ctx.raw('PATCH', `/v1/organizations/${org.id}/domains/${kept.id}`, {
        json: { enrollment_mode: 'automatic_suggestion' },
      }), 403, 'organization_domain_enrollment_mode_not_enabled');
      assert.equal((await readDomain(org, kept.id)).enrollment_mode, 'manual_invitation');
      // An enabled one still works.
      const ok = await created(org, { name: domainName('yesmode'), enrollment_mode: 'automatic_invitation' });
      assert.equal(ok.enrollment_mode, 'automatic_invitation');
    } finally {
      await enableDomains(ctx.raw, ALL_MODES);
    }
    assert.deepEqual(namesOf(await listOf(org, 'limit=100')).length, 2);
  });
});

describe('the organization’s list', () => {
  const w = {};
  test('setup: four domains, one per kind', async () => {
    w.org = await newOrg();
    w.other = await newOrg();
    w.d = [];
    for (const [mode, verified] of [['manual_invitation', true], ['automatic_invitation', false],
      ['automatic_suggestion', true], ['automatic_invitation', true]]) {
      w.d.push(await created(w.org, { name: domainName('list'), enrollment_mode: mode, verified }));
      await sleep(5);
    }
    await created(w.other, { name: domainName('list'), enrollment_mode: 'manual_invitation' });
  });

  test('newest first, total_count, limit and offset', async () => {
    const list = await listOf(w.org);
    assert.equal(list.total_count, 4);
    assert.deepEqual(list.data.map(d => d.id), w.d.map(d => d.id).reverse());
    const page = await listOf(w.org, 'limit=2&offset=1');
    assert.equal(page.total_count, 4);
    assert.deepEqual(page.data.map(d => d.id), [w.d[2].id, w.d[1].id]);
    const sdk = await ctx.clerk.organizations.getOrganizationDomainList({ organizationId: w.org.id, limit: 1, offset: 3 });
    assert.equal(sdk.totalCount, 4);
    assert.deepEqual(sdk.data.map(d => d.id), [w.d[0].id]);
    assert.deepEqual((await listOf(w.org, 'offset=10')).data, []);
  });

  test('verified=true|false', async () => {
    const yes = await listOf(w.org, 'verified=true');
    assert.deepEqual(yes.data.map(d => d.id).sort(), [w.d[0].id, w.d[2].id, w.d[3].id].sort());
    assert.equal(yes.total_count, 3);
    const no = await listOf(w.org, 'verified=false');
    assert.deepEqual(no.data.map(d => d.id), [w.d[1].id]);
    assert.equal(no.total_count, 1);
  });

  test('enrollment_mode: include, exclude (-mode), and both with verified', async () => {
    const inv = await listOf(w.org, 'enrollment_mode=automatic_invitation');
    assert.deepEqual(inv.data.map(d => d.id).sort(), [w.d[1].id, w.d[3].id].sort());
    assert.equal(inv.total_count, 2);
    const notManual = await listOf(w.org, 'enrollment_mode=-manual_invitation');
    assert.deepEqual(notManual.data.map(d => d.id).sort(), [w.d[1].id, w.d[2].id, w.d[3].id].sort());
    const both = await listOf(w.org, 'enrollment_mode=automatic_invitation&verified=true');
    assert.deepEqual(both.data.map(d => d.id), [w.d[3].id]);
    assert.equal(both.total_count, 1);
    assert.equal((await listOf(w.org, 'enrollment_mode=enterprise_sso')).total_count, 0);
  });

  test('bad parameters: 422', async () => {
    for (const query of ['limit=0', 'limit=501', 'offset=-1', 'limit=abc', 'verified=maybe']) {
      const res = await ctx.raw('GET', `/v1/organizations/${w.org.id}/domains?${query}`);
      assert.equal(res.status, 422, `${query}: ${res.text}`);
    }
  });
});

describe('update, delete, verify_ownership', () => {
  test('updateOrganizationDomain: the mode, then verified false and true', async () => {
    const org = await newOrg();
    const d = await created(org, { name: domainName('upd'), enrollment_mode: 'manual_invitation' });
    const moved = assertDomainJson(await ctx.clerk.organizations.updateOrganizationDomain({
      organizationId: org.id, domainId: d.id, enrollmentMode: 'automatic_suggestion',
    }), { name: d.name, mode: 'automatic_suggestion' });
    assert.ok(isVerified(moved));
    assert.ok(moved.updated_at >= d.updated_at);
    assert.equal((await readDomain(org, d.id)).enrollment_mode, 'automatic_suggestion');

    const off = await ctx.clerk.organizations.updateOrganizationDomain({ organizationId: org.id, domainId: d.id, verified: false });
    assert.equal(isVerified(off), false, JSON.stringify(off));
    assert.equal(isVerified(await readDomain(org, d.id)), false);
    assert.equal((await readDomain(org, d.id)).enrollment_mode, 'automatic_suggestion');

    const on = await ctx.clerk.organizations.updateOrganizationDomain({ organizationId: org.id, domainId: d.id, verified: true });
    assert.ok(isVerified(on), JSON.stringify(on));
    assert.ok(isVerified(await readDomain(org, d.id)));
  });

  test('update refusals: a bad mode (422), an unknown domain or one of another organization (404); nothing changed', async () => {
    const [org, other] = [await newOrg(), await newOrg()];
    const d = await created(org, { name: domainName('updx'), enrollment_mode: 'manual_invitation' });
    const before = await readDomain(org, d.id);
    assertClerkError(await ctx.raw('PATCH', `/v1/organizations/${org.id}/domains/${d.id}`, { json: { enrollment_mode: 'magic' } }),
      422, 'form_param_value_invalid', 'enrollment_mode');
    assertClerkError(await ctx.raw('PATCH', `/v1/organizations/${org.id}/domains/orgdmn_000000000000000000000000000`, {
      json: { enrollment_mode: 'automatic_invitation' },
    }), 404, 'resource_not_found');
    assertClerkError(await ctx.raw('PATCH', `/v1/organizations/${other.id}/domains/${d.id}`, {
      json: { enrollment_mode: 'automatic_invitation' },
    }), 404, 'resource_not_found');
    assertClerkError(await ctx.raw('DELETE', `/v1/organizations/${other.id}/domains/${d.id}`), 404, 'resource_not_found');
    assertClerkError(await ctx.raw('POST', `/v1/organizations/${other.id}/domains/${d.id}/verify_ownership`), 404, 'resource_not_found');
    assertClerkError(await ctx.raw('PATCH', `/v1/organizations/${org.id}/domains/${d.id}`, { json: { name: 'other.com' } }),
      422, 'form_param_unknown', 'name');
    assert.deepEqual(await readDomain(org, d.id), before);
  });

  test('deleteOrganizationDomain: a DeletedObject, gone from both lists, then 404', async () => {
    const org = await newOrg();
    const keep = await created(org, { name: domainName('keep'), enrollment_mode: 'manual_invitation' });
    const d = await created(org, { name: domainName('del'), enrollment_mode: 'manual_invitation', verified: false });
    const res = await ctx.raw('DELETE', `/v1/organizations/${org.id}/domains/${d.id}`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { object: 'organization_domain', id: d.id, deleted: true });
    assert.deepEqual((await listOf(org)).data.map(x => x.id), [keep.id]);
    assert.equal((await all(`domains=${d.name}`)).total_count, 0);
    assertClerkError(await ctx.raw('DELETE', `/v1/organizations/${org.id}/domains/${d.id}`), 404, 'resource_not_found');
    // Through the SDK, a verified one; its name is free for another organization then.
    const sdk = await ctx.clerk.organizations.deleteOrganizationDomain({ organizationId: org.id, domainId: keep.id });
    assert.equal(sdk.deleted, true);
    assert.equal(sdk.id, keep.id);
    assert.equal(sdk.object, 'organization_domain');
    assert.equal((await listOf(org)).total_count, 0);
    const other = await newOrg();
    assert.ok(isVerified(await created(other, { name: keep.name, enrollment_mode: 'manual_invitation' })));
  });

  test('deleting the organization deletes its domains and frees their names', async () => {
    const org = await newOrg();
    const d = await created(org, { name: domainName('orgdel'), enrollment_mode: 'manual_invitation' });
    await ctx.clerk.organizations.deleteOrganization(org.id);
    assert.equal((await all(`domains=${d.name}`)).total_count, 0);
    const other = await newOrg();
    assert.ok(isVerified(await created(other, { name: d.name, enrollment_mode: 'manual_invitation' })));
  });

  test('verify_ownership: manual_override, verified_at; idempotent', async () => {
    const org = await newOrg();
    const d = await created(org, { name: domainName('own'), enrollment_mode: 'manual_invitation', verified: false });
    const before = Date.now();
    const res = await verifyOwnership(org, d);
    assert.equal(res.status, 200, res.text);
    const v = assertDomainJson(res.json, { name: d.name });
    assert.equal(v.ownership_verification.status, 'verified', res.text);
    assert.equal(v.ownership_verification.strategy, 'manual_override', res.text);
    assert.equal(typeof v.ownership_verification.verified_at, 'number', res.text);
    assert.ok(v.ownership_verification.verified_at >= before - 1000, res.text);
    assert.ok(isVerified(await readDomain(org, d.id)));
    await sleep(10);
    const again = await verifyOwnership(org, d);
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.json.ownership_verification, v.ownership_verification, 'a second call changes nothing');
    assert.equal(again.json.updated_at, v.updated_at, 'a second call changes nothing');
    // A domain created verified: the call answers it verified too.
    const pre = await created(org, { name: domainName('own'), enrollment_mode: 'manual_invitation' });
    const pres = await verifyOwnership(org, pre);
    assert.equal(pres.status, 200, pres.text);
    assert.ok(isVerified(pres.json));
    assertClerkError(await ctx.raw('POST', `/v1/organizations/${org.id}/domains/orgdmn_000000000000000000000000000/verify_ownership`),
      404, 'resource_not_found');
  });
});

describe('GET /v1/organization_domains', () => {
  const w = {};
  const tag = `zlist${Math.random().toString(36).slice(2, 6)}`;
  const ids = list => list.data.map(d => d.id);
  const byName = ds => [...ds].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  test('setup: two organizations, four domains', async () => {
    w.x1 = await newOrg();
    w.x2 = await newOrg();
    // created in this order: gamma, alpha, delta, beta (so name and time orders differ)
    w.gamma = await created(w.x2, { name: `${tag}-gamma.com`, enrollment_mode: 'automatic_suggestion' });
    await sleep(5);
    w.alpha = await created(w.x1, { name: `${tag}-alpha.com`, enrollment_mode: 'manual_invitation' });
    await sleep(5);
    w.delta = await created(w.x2, { name: `${tag}-delta.com`, enrollment_mode: 'manual_invitation', verified: false });
    await sleep(5);
    w.beta = await created(w.x1, { name: `${tag}-beta.com`, enrollment_mode: 'automatic_invitation', verified: false });
    w.byTime = [w.gamma, w.alpha, w.delta, w.beta];
    w.all = byName(w.byTime);
  });

  test('query: partial name, case-insensitive; org_… an exact organization ID; default order newest first', async () => {
    const found = await all(`query=${tag}`);
    assert.equal(found.total_count, 4);
    assert.deepEqual(ids(found), w.byTime.map(d => d.id).reverse());
    assert.deepEqual(ids(await all(`query=${tag.toUpperCase()}-AL`)), [w.alpha.id]);
    assert.equal(ids(await all(`query=${tag.slice(1, 6)}`)).length, 4);
    const x2 = await all(`query=${w.x2.id}`);
    assert.deepEqual(ids(x2).sort(), [w.gamma.id, w.delta.id].sort());
    assert.equal(x2.total_count, 2);
    assert.equal((await all(`query=${tag}-nothing`)).total_count, 0);
  });

  test('an empty or whitespace query: 422', async () => {
    for (const q of ['query=', 'query=%20%20', 'query=%09']) {
      const res = await ctx.raw('GET', `/v1/organization_domains?${q}`);
      assert.equal(res.status, 422, `${q}: ${res.text}`);
    }
  });

  test('organization_id, verified, domains[]', async () => {
    const x1 = await all(`organization_id=${w.x1.id}`);
    assert.deepEqual(ids(x1).sort(), [w.alpha.id, w.beta.id].sort());
    assert.equal(x1.total_count, 2);
    assert.deepEqual(ids(await all(`organization_id=${w.x1.id}&verified=true`)), [w.alpha.id]);
    assert.deepEqual(ids(await all(`organization_id=${w.x1.id}&verified=false`)), [w.beta.id]);
    assert.deepEqual(ids(await all(`query=${tag}&verified=true`)).sort(), [w.alpha.id, w.gamma.id].sort());
    assert.deepEqual(ids(await all(`query=${tag}&verified=false`)).sort(), [w.beta.id, w.delta.id].sort());
    const two = await all(`domains=${w.alpha.name}&domains=${w.gamma.name}`);
    assert.deepEqual(ids(two).sort(), [w.alpha.id, w.gamma.id].sort());
    assert.equal(two.total_count, 2);
    assert.equal((await all(`domains=${tag}-alpha`)).total_count, 0, 'domains[] is exact, not partial');
    assert.equal((await all(`domains=${w.alpha.name}&organization_id=${w.x2.id}`)).total_count, 0);
  });

  test('organization_id of no organization: an empty page (a filter, not a lookup)', async () => {
    assert.equal((await all('organization_id=org_0000000000000000000000000000')).total_count, 0);
  });

  test('enrollment_mode: one, excluded, several (repeated keys), include AND exclude', async () => {
    const q = mode => all(`query=${tag}&enrollment_mode=${mode}`);
    assert.deepEqual(ids(await q('manual_invitation')).sort(), [w.alpha.id, w.delta.id].sort());
    assert.deepEqual(ids(await q('-manual_invitation')).sort(), [w.beta.id, w.gamma.id].sort());
    const repeated = await all(`query=${tag}&enrollment_mode=manual_invitation&enrollment_mode=automatic_suggestion`);
    assert.deepEqual(ids(repeated).sort(), [w.alpha.id, w.delta.id, w.gamma.id].sort());
    assert.equal(repeated.total_count, 3);
    assert.deepEqual(ids(await all(`query=${tag}&enrollment_mode=-manual_invitation&enrollment_mode=-automatic_invitation`)), [w.gamma.id]);
    assert.deepEqual(ids(await all(`query=${tag}&enrollment_mode=automatic_invitation&enrollment_mode=-automatic_invitation`)), []);
  });

  test('enrollment_mode as the contract sends an array (style form, explode false: comma-separated)', async () => {
    const q = mode => all(`query=${tag}&enrollment_mode=${mode}`);
    assert.deepEqual(ids(await q('automatic_invitation,automatic_suggestion')).sort(), [w.beta.id, w.gamma.id].sort());
    assert.deepEqual(ids(await q('-manual_invitation,-automatic_invitation')), [w.gamma.id]);
    assert.deepEqual(ids(await q('automatic_invitation,-automatic_invitation')), []);
    assert.deepEqual(ids(await q('manual_invitation,-automatic_suggestion')).sort(), [w.alpha.id, w.delta.id].sort());
  });

  test('order_by name, created_at, with +/-; limit and offset; bad values (and a mode outside the enum) 422', async () => {
    const order = async o => ids(await all(`query=${tag}&order_by=${encodeURIComponent(o)}`));
    const nameAsc = w.all.map(d => d.id);
    const timeAsc = w.byTime.map(d => d.id);
    assert.deepEqual(await order('name'), nameAsc);
    assert.deepEqual(await order('+name'), nameAsc);
    assert.deepEqual(await order('-name'), [...nameAsc].reverse());
    assert.deepEqual(await order('created_at'), timeAsc);
    assert.deepEqual(await order('+created_at'), timeAsc);
    assert.deepEqual(await order('-created_at'), [...timeAsc].reverse());
    const page = await all(`query=${tag}&order_by=name&limit=2&offset=1`);
    assert.equal(page.total_count, 4);
    assert.deepEqual(ids(page), nameAsc.slice(1, 3));
    assert.deepEqual(ids(await all(`query=${tag}&order_by=name&limit=10&offset=3`)), nameAsc.slice(3));
    for (const bad of ['order_by=bogus', 'order_by=-updated', 'limit=0', 'limit=501', 'offset=-1', 'enrollment_mode=magic']) {
      const res = await ctx.raw('GET', `/v1/organization_domains?${bad}`);
      assert.equal(res.status, 422, `${bad}: ${res.text}`);
    }
  });
});

describe('pending counts', () => {
  const user = email => ctx.clerk.users.createUser({ emailAddress: [email] });
  test('total_pending_invitations and total_pending_suggestions are exact, in both lists', async () => {
    const org = await newOrg();
    const invName = domainName('cinv');
    const sugName = domainName('csug');
    for (let i = 0; i < 3; i++) await user(`inv${i}-${next()}@${invName}`);
    for (let i = 0; i < 2; i++) await user(`sug${i}-${next()}@${sugName}`);
    await user(`near-${next()}@sub.${invName}`);
    await user(`near-${next()}@x${invName}`);
    const inv = await created(org, { name: invName, enrollment_mode: 'automatic_invitation' });
    assert.equal(inv.total_pending_invitations, 3, JSON.stringify(inv));
    assert.equal(inv.total_pending_suggestions, 0);
    const sug = await created(org, { name: sugName, enrollment_mode: 'automatic_suggestion' });
    assert.equal(sug.total_pending_invitations, 0, JSON.stringify(sug));
    assert.equal(sug.total_pending_suggestions, 2);
    // A user created later counts at once.
    await user(`late-${next()}@${invName}`);
    await user(`late-${next()}@${sugName}`);
    const counts = list => Object.fromEntries(list.data.map(d => [d.name, [d.total_pending_invitations, d.total_pending_suggestions]]));
    assert.deepEqual(counts(await listOf(org)), { [invName]: [4, 0], [sugName]: [0, 3] });
    assert.deepEqual(counts(await all(`organization_id=${org.id}`)), { [invName]: [4, 0], [sugName]: [0, 3] });
    // Enrollment's invitations are not the Backend API's: the organization's invitation list is empty.
    const invitations = await ctx.clerk.organizations.getOrganizationInvitationList({ organizationId: org.id });
    assert.equal(invitations.totalCount, 0);
    // An unverified automatic domain enrolls nobody.
    const cold = await created(org, { name: domainName('cold'), enrollment_mode: 'automatic_invitation', verified: false });
    await user(`cold-${next()}@${cold.name}`);
    const read = await readDomain(org, cold.id);
    assert.deepEqual([read.total_pending_invitations, read.total_pending_suggestions], [0, 0]);
  });
});
