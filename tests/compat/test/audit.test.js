// The audit log (issue 20): every change made through the SDK, the Frontend API or orgd's own
// extensions is an entry of GET /v1/audit_logs saying who (the secret key's id, the session's
// user), what (action, resource, organization), when, from where (IP, user agent, request id) and
// the object before and after, with private metadata only as its hash. Refused changes leave no
// entry; the list filters and pages by cursor; only the secret key reads it. Every response is
// checked against contract/orgd-extensions.yml (lib/contract.js).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { useFrontend } from '../lib/frontend.js';
import { databaseUrl } from '../lib/orgd.js';
import { assertClerkError, assertSdkError, raw } from '../lib/suite.js';

const w = {};
const ctx = useFrontend({
  async seed(c) {
    w.admin = await c.clerk.users.createUser({ emailAddress: ['audit-admin@audit.example.com'], firstName: 'Ada' });
    w.browser = c.browser();
    await w.browser.signIn(w.admin.id);
  },
});
const SDK_USER_AGENT = '@clerk/backend@' +
  JSON.parse(readFileSync(new URL('../node_modules/@clerk/backend/package.json', import.meta.url), 'utf8')).version;

let counter = 0;
const next = () => ++counter;
const newUser = () => ctx.clerk.users.createUser({ emailAddress: [`audit${next()}@audit.example.com`] });
const newOrg = (fields = {}) =>
  ctx.clerk.organizations.createOrganization({ name: `Audit Org ${next()}`, maxAllowedMemberships: 0, ...fields });
const sleep = ms => new Promise(r => setTimeout(r, ms));
// A time (ms) strictly after every change before the call and before every change after it.
async function mark() {
  await sleep(3);
  const t = Date.now();
  await sleep(3);
  return t;
}
const hashOf = value => 'sha256:' + createHash('sha256').update(JSON.stringify(value)).digest('hex');

// One page of the audit log, failing with the whole answer unless it is a 200.
async function auditPage(query = {}) {
  const params = new URLSearchParams(query);
  const res = await raw(ctx.orgd, 'GET', `/v1/audit_logs?${params}`);
  assert.equal(res.status, 200, res.text);
  return res;
}
// Every entry matching `query`, newest first, through the cursor.
async function auditAll(query = {}) {
  const out = [];
  let cursor;
  for (let i = 0; i < 100; i++) {
    const { json } = await auditPage({ ...query, limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(...json.data);
    if (json.next_cursor === null) return out;
    cursor = json.next_cursor;
  }
  throw new Error('the audit log did not end within 100 pages');
}

describe('who changed what', () => {
  test('an organization’s life through the SDK, newest first, with before and after', async () => {
    const since = Date.now() - 1;
    const org = await newOrg({ name: 'Audit Acme', privateMetadata: { tier: 'secret-tier-audit' } });
    const user = await newUser();
    await ctx.clerk.organizations.updateOrganization(org.id, { name: 'Audit Acme 2' });
    await ctx.clerk.organizations.updateOrganizationMetadata(org.id, { privateMetadata: { token: 'hunter2-audit' } });
    const m = await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: user.id, role: 'org:member' });
    await ctx.clerk.organizations.updateOrganizationMembership({ organizationId: org.id, userId: user.id, role: 'org:admin' });
    await ctx.clerk.organizations.deleteOrganizationMembership({ organizationId: org.id, userId: user.id });

    const { json, text } = await auditPage({ organization_id: org.id, limit: 100 });
    assert.deepEqual(json.data.map(e => e.action), [
      'organizationMembership.deleted', 'organizationMembership.updated', 'organizationMembership.created',
      'organization.updated', 'organization.updated', 'organization.created',
    ]);
    assert.equal(json.next_cursor, null);
    for (const e of json.data) {
      assert.match(e.id, /^aud_[0-9A-Za-z]{27}$/);
      assert.equal(e.object, 'audit_log_entry');
      assert.equal(e.organization_id, org.id);
      assert.equal(e.actor.type, 'secret_key');
      assert.match(e.actor.id, /^key_[0-9a-f]{8}$/);
      assert.equal(e.ip_address, '127.0.0.1');
      assert.equal(e.user_agent, SDK_USER_AGENT);
      assert.match(e.request_id, /\S/);
      assert.ok(e.created_at >= since && e.created_at <= Date.now(), String(e.created_at));
    }
    // Private metadata never in the clear, only its hash.
    assert.ok(!text.includes('hunter2-audit') && !text.includes('secret-tier-audit'), text);
    const [removed, promoted, added, metadata, renamed, created] = json.data;
    assert.equal(created.resource_type, 'organization');
    assert.equal(created.resource_id, org.id);
    assert.equal(created.before, null);
    assert.equal(created.after.name, 'Audit Acme');
    assert.equal(created.after.private_metadata, hashOf({ tier: 'secret-tier-audit' }));
    assert.equal(renamed.before.name, 'Audit Acme');
    assert.equal(renamed.after.name, 'Audit Acme 2');
    assert.equal(metadata.before.private_metadata, hashOf({ tier: 'secret-tier-audit' }));
    assert.equal(metadata.after.private_metadata, hashOf({ tier: 'secret-tier-audit', token: 'hunter2-audit' }));
    assert.equal(added.resource_type, 'organization_membership');
    assert.equal(added.resource_id, m.id);
    assert.equal(added.before, null);
    assert.equal(added.after.role, 'org:member');
    assert.equal(promoted.before.role, 'org:member');
    assert.equal(promoted.after.role, 'org:admin');
    // "Who removed this member, and when?"
    assert.equal(removed.resource_id, m.id);
    assert.equal(removed.before.public_user_data.user_id, user.id);
    assert.equal(removed.before.role, 'org:admin');
    assert.equal(removed.after, null);
    // Each entry names the request that made it: its trace ID is the one an error would carry.
    assert.equal(new Set(json.data.map(e => e.request_id)).size, json.data.length);
  });

  test('a change through the Frontend API names the session’s user; the deletion keeps the object', async () => {
    const res = await w.browser.post('/v1/organizations', { name: `Audit Wire ${next()}` });
    assert.equal(res.status, 200, res.text);
    const org = res.json.response;
    const renamed = await w.browser.patch(`/v1/organizations/${org.id}`, { name: 'Renamed by Ada' });
    assert.equal(renamed.status, 200, renamed.text);
    await ctx.clerk.organizations.deleteOrganization(org.id);
    const entries = await auditAll({ organization_id: org.id });
    assert.deepEqual(entries.map(e => [e.action, e.actor.type]), [
      ['organization.deleted', 'secret_key'],
      ['organization.updated', 'session'],
      ['organizationMembership.created', 'session'],
      ['organization.created', 'session'],
    ]);
    for (const e of entries.slice(1)) assert.equal(e.actor.id, w.admin.id);
    assert.equal(entries[1].after.name, 'Renamed by Ada');
    assert.equal(entries[0].before.name, 'Renamed by Ada');
    assert.equal(entries[0].before.id, org.id);
    assert.equal(entries[0].after, null);
  });

  test('users, settings and webhook endpoints are audited too, never with a secret', async () => {
    const since = await mark();
    const user = await newUser();
    await ctx.clerk.users.updateUserMetadata(user.id, { privateMetadata: { ssn: 'ssn-audit-123' } });
    await ctx.clerk.users.deleteUser(user.id);
    const settings = await raw(ctx.orgd, 'PATCH', '/v1/instance/organization_settings', { json: { max_allowed_memberships: 7 } });
    assert.equal(settings.status, 200, settings.text);
    const endpoint = await raw(ctx.orgd, 'POST', '/v1/webhook_endpoints', {
      // Disabled: nothing is ever sent to this (unresolvable) host.
      json: { url: 'https://hooks.audit.example.com/in', disabled: true },
    });
    assert.equal(endpoint.status, 200, endpoint.text);
    const rotated = await raw(ctx.orgd, 'POST', `/v1/webhook_endpoints/${endpoint.json.id}/rotate_secret`);
    assert.equal(rotated.status, 200, rotated.text);
    assert.equal((await raw(ctx.orgd, 'DELETE', `/v1/webhook_endpoints/${endpoint.json.id}`)).status, 200);

    const ofUser = await auditAll({ resource: user.id });
    assert.deepEqual(ofUser.map(e => e.action), ['user.deleted', 'user.updated', 'user.created']);
    assert.equal(ofUser[0].before.id, user.id);
    assert.equal(ofUser[1].after.private_metadata, hashOf({ ssn: 'ssn-audit-123' }));
    assert.equal(ofUser[1].organization_id, null);

    const [changed] = await auditAll({ action: 'organization_settings.updated', created_at_after: since });
    assert.equal(changed.resource_type, 'organization_settings');
    assert.equal(changed.after.max_allowed_memberships, 7);
    assert.notEqual(changed.before, null);

    const hooks = await auditAll({ resource: endpoint.json.id });
    assert.deepEqual(hooks.map(e => e.action),
      ['webhook_endpoint.deleted', 'webhook_endpoint.secret_rotated', 'webhook_endpoint.created']);
    assert.equal(hooks[2].after.url, 'https://hooks.audit.example.com/in');
    const text = JSON.stringify(await auditAll({ created_at_after: since }));
    assert.ok(!text.includes('whsec_'), 'no webhook secret in the audit log');
    assert.ok(!text.includes('ssn-audit-123'), 'no private metadata in the audit log');
    assert.ok(!text.includes(ctx.orgd.secretKey), 'no secret key in the audit log');
  });

  test('sign-in tokens and session-token keys are audited, never with a token or a key', async () => {
    const since = await mark();
    const user = await newUser();
    const kept = await ctx.clerk.signInTokens.createSignInToken({ userId: user.id, expiresInSeconds: 600 });
    await ctx.clerk.signInTokens.revokeSignInToken(kept.id);
    const browser = ctx.browser();
    await browser.signIn(user.id);  // a second token, redeemed at the Frontend API
    const tokens = (await auditAll({ resource_type: 'sign_in_token', created_at_after: since }))
      .filter(e => e.after.user_id === user.id);
    assert.deepEqual(tokens.map(e => [e.action, e.after.status]), [
      ['sign_in_token.accepted', 'accepted'], ['sign_in_token.created', 'pending'],
      ['sign_in_token.revoked', 'revoked'], ['sign_in_token.created', 'pending'],
    ]);
    assert.equal(tokens[0].before.status, 'pending');
    assert.equal(tokens[0].after.session_id, browser.sessionId);
    assert.equal(tokens[0].actor.type, 'anonymous');
    assert.equal(tokens[1].actor.type, 'secret_key');
    assert.equal(tokens[3].resource_id, kept.id);

    const rotated = await new Promise(resolve => execFile(process.env.ORGD_BIN,
      ['keys', 'rotate', '--database', databaseUrl(ctx.orgd.dataDir)], { encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ error, stdout, stderr })));
    assert.ifError(rotated.error);
    const kid = /(ins_\S+) is current/.exec(rotated.stdout)[1];
    const keys = await auditAll({ resource_type: 'signing_key', created_at_after: since });
    assert.deepEqual(keys.map(e => e.action), ['signing_key.created', 'signing_key.retired']);
    assert.equal(keys[0].resource_id, kid);
    assert.deepEqual([keys[0].actor.type, keys[0].actor.id], ['system', 'orgd keys rotate']);
    assert.equal(keys[1].before.retired_at, null);
    assert.equal(typeof keys[1].after.retired_at, 'number');
    const [first] = (await auditAll({ resource: keys[1].resource_id }))
      .filter(e => e.action === 'signing_key.created');
    assert.deepEqual([first.actor.type, first.actor.id], ['system', 'first start']);
    const text = JSON.stringify([...tokens, ...keys]);
    assert.ok(!text.includes(kept.token), 'a sign-in token in the audit log');
    assert.ok(!/PRIVATE KEY|token_hash/.test(text), 'a key or a token hash in the audit log');
  });

  test('a refused change leaves no entry', async () => {
    const org = await newOrg({ slug: `audit-taken-${next()}` });
    const since = await mark();
    await assertSdkError(newOrg({ slug: org.slug }), 422, 'form_identifier_exists');
    await assertSdkError(ctx.clerk.organizations.updateOrganization(org.id, { maxAllowedMemberships: -1 }), 422,
      'form_param_value_invalid');
    const user = await newUser();
    // A member removing another without the permission: 403 through the Frontend API.
    await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: w.admin.id, role: 'org:member' });
    await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: user.id, role: 'org:member' });
    const after = await mark();
    const refused = await w.browser.delete(`/v1/organizations/${org.id}/memberships/${user.id}`);
    assert.equal(refused.status, 403, refused.text);
    const entries = await auditAll({ organization_id: org.id, created_at_after: since });
    assert.deepEqual(entries.map(e => e.action), ['organizationMembership.created', 'organizationMembership.created']);
    assert.deepEqual(await auditAll({ organization_id: org.id, created_at_after: after }), []);
  });
});

describe('reading the log', () => {
  test('filters combine and the cursor pages through without gaps or repeats', async () => {
    const org = await newOrg();
    for (let i = 0; i < 7; i++) await ctx.clerk.organizations.updateOrganization(org.id, { name: `Paged ${i}` });
    const all = await auditAll({ organization_id: org.id });
    assert.equal(all.length, 8);
    const seen = [];
    let cursor;
    for (;;) {
      const { json } = await auditPage({ organization_id: org.id, limit: 3, ...(cursor ? { cursor } : {}) });
      assert.ok(json.data.length <= 3);
      seen.push(...json.data.map(e => e.id));
      if (json.next_cursor === null) break;
      assert.match(json.next_cursor, /^[0-9]+$/);
      cursor = json.next_cursor;
    }
    assert.deepEqual(seen, all.map(e => e.id));
    const updates = await auditAll({ organization_id: org.id, action: 'organization.updated', resource_type: 'organization' });
    assert.equal(updates.length, 7);
    assert.equal(updates[0].after.name, 'Paged 6');
    const middle = updates[3].created_at;
    const before = await auditAll({ organization_id: org.id, created_at_before: middle + 1, created_at_after: middle - 1 });
    assert.ok(before.length >= 1 && before.every(e => e.created_at === middle), JSON.stringify(before));
    const keyId = all[0].actor.id;
    assert.ok((await auditAll({ organization_id: org.id, actor: keyId })).length === 8);
    assert.deepEqual(await auditAll({ organization_id: org.id, actor: 'user_nobody' }), []);
  });

  test('bad parameters are Clerk errors; only the secret key reads the log', async () => {
    for (const [query, param] of [
      ['limit=0', 'limit'], ['limit=501', 'limit'], ['limit=x', 'limit'], ['cursor=abc', 'cursor'],
      ['cursor=-1', 'cursor'], ['created_at_before=yesterday', 'created_at_before'],
    ]) {
      assertClerkError(await raw(ctx.orgd, 'GET', `/v1/audit_logs?${query}`), 422, 'form_param_value_invalid', param);
    }
    assertClerkError(await raw(ctx.orgd, 'GET', '/v1/audit_logs', { auth: false }), 401, 'authentication_invalid');
    assertClerkError(await raw(ctx.orgd, 'GET', '/v1/audit_logs', { headers: { authorization: 'Bearer sk_test_wrong' } }),
      401, 'clerk_key_invalid');
    // Not a Frontend API route: a signed-in user cannot read it.
    const fapi = await w.browser.get('/v1/audit_logs');
    assert.equal(fapi.status, 404, fapi.text);
  });
});
