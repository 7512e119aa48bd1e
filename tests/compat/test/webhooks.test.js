// Webhooks (issue 18) through the real SDK: endpoints managed on the Backend API extension
// (/v1/webhook_endpoints), every event type produced by an SDK action and received by a receiver
// that verifies it with `verifyWebhook` from @clerk/backend/webhooks and checks its body against
// Clerk's webhook contract (contract/webhooks-organizations.yml); the envelope, retries on the
// shortened schedule, per-organization ordering, refused writes, secret rotation, the event feed
// (/v1/events) and repair (retry, recover). A kill -9 during a burst is webhooks-crash.test.js; two
// nodes on PostgreSQL are test-postgres/webhooks.test.js.
//
// orgd runs with --webhook-allow-private (the receivers are on 127.0.0.1) and
// --webhook-retry-schedule 0s,1s,1s: attempt 1 immediate, 2 at +0 s, 3 at +1 s, 4 at +1 s (each
// delay jittered to 80–120 %), then failed. Each test makes its own receiver and endpoint and
// deletes the endpoint after, so tests see only their own deliveries.
import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { registerFrontendOrigin } from '../lib/contract.js';
import { newDataDir, removeDataDir, startOrgd } from '../lib/orgd.js';
import { assertClerkError, assertSdkError, raw, useOrgd } from '../lib/suite.js';
import {
  assertReceiverClean, checkEvent, createEndpoint, deleteEndpoint, ENVELOPE_KEYS, feedEnd, feedEndAfter, feedUntil,
  messagesOf, newWebhookSecret, readFeed, sleep, startReceiver, waitFor,
} from '../lib/webhooks.js';

const WEBHOOK_ARGS = ['--webhook-allow-private', '--webhook-retry-schedule', '0s,1s,1s'];
const ctx = useOrgd({ args: [...WEBHOOK_ARGS, '--frontend-url', 'https://clerk.webhooks.example.test'] });
const SDK_USER_AGENT = '@clerk/backend@' +
  JSON.parse(readFileSync(new URL('../node_modules/@clerk/backend/package.json', import.meta.url), 'utf8')).version;
const MISSING_ENDPOINT = 'whe_' + '0'.repeat(27);
const MISSING_MESSAGE = 'msg_' + '0'.repeat(27);

let counter = 0;
const next = () => ++counter;
const email = tag => `${tag}${next()}@webhooks.example.com`;
const newUser = (fields = {}) => ctx.clerk.users.createUser({ emailAddress: [email('user')], ...fields });
const newOrg = (fields = {}) =>
  ctx.clerk.organizations.createOrganization({ name: `Hooks Org ${next()}`, maxAllowedMemberships: 0, ...fields });

// A receiver and an endpoint pointing at it, removed when the test ends.
async function hook(t, receiverOptions = {}, endpointFields = {}) {
  const receiver = await startReceiver(receiverOptions);
  const endpoint = await createEndpoint(ctx.orgd, receiver, endpointFields);
  t.after(async () => {
    await raw(ctx.orgd, 'DELETE', `/v1/webhook_endpoints/${endpoint.id}`).catch(() => {});
    await receiver.close();
  });
  return { receiver, endpoint };
}
const find = (receiver, type, id) => receiver.delivered.find(d => d.type === type && d.data?.id === id);
async function arrives(receiver, type, id, timeout = 10_000) {
  return waitFor(() => find(receiver, type, id), {
    timeout,
    what: () => `${type} for ${id}; got ${receiver.deliveries.map(d => `${d.type}:${d.data?.id}:${d.status}`).join(', ') || 'nothing'}` +
      (receiver.rejected.length ? `; refused by verifyWebhook: ${JSON.stringify(receiver.rejected.slice(0, 2))}` : ''),
  });
}
const endpointPath = endpoint => `/v1/webhook_endpoints/${endpoint.id ?? endpoint}`;
const signatures = delivery => delivery.signature.split(' ').filter(Boolean);
const isSecret = secret => {
  assert.match(secret, /^whsec_[A-Za-z0-9+/]+={0,2}$/);
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  assert.ok(key.length >= 16, `a ${key.length}-byte key`);
  assert.equal(key.toString('base64'), secret.slice('whsec_'.length), 'standard base64 with padding');
};

describe('webhook endpoints: the Backend API extension', () => {
  test('create shows the secret once; get, list, patch and delete', async () => {
    const receiver = await startReceiver();
    try {
      const before = Date.now();
      const res = await ctx.raw('POST', '/v1/webhook_endpoints', {
        json: { url: receiver.url, description: 'Sync to the app', events: ['organization.created', 'organization.deleted'] },
      });
      assert.equal(res.status, 200, res.text);
      const created = res.json;
      assert.match(created.id, /^whe_[0-9A-Za-z]+$/);
      assert.notEqual(created.id, 'whe_static');
      assert.equal(created.object, 'webhook_endpoint');
      assert.equal(created.url, receiver.url);
      assert.equal(created.description, 'Sync to the app');
      assert.deepEqual([...created.events].sort(), ['organization.created', 'organization.deleted']);
      assert.equal(created.disabled, false);
      assert.equal(created.disabled_reason, null);
      assert.equal(created.static, false);
      isSecret(created.secret);
      for (const key of ['created_at', 'updated_at']) {
        assert.ok(created[key] >= before - 1000 && created[key] <= Date.now() + 1000, `${key} ${created[key]} is ms now`);
      }
      const { secret, ...shown } = created;
      // Never again: not on GET, not in the list.
      const got = await ctx.raw('GET', endpointPath(created));
      assert.equal(got.status, 200, got.text);
      assert.deepEqual(got.json, shown);
      assert.ok(!got.text.includes(secret));
      const list = await ctx.raw('GET', '/v1/webhook_endpoints');
      assert.equal(list.status, 200, list.text);
      assert.deepEqual(list.json.data.find(e => e.id === created.id), shown);
      assert.equal(list.json.total_count, list.json.data.length);
      assert.ok(!list.text.includes(secret), 'the list shows no secret');
      assert.ok(list.json.data.every(e => !('secret' in e)));
      // Each endpoint has its own ID and secret.
      const second = await ctx.raw('POST', '/v1/webhook_endpoints', { json: { url: receiver.url } });
      assert.equal(second.status, 200, second.text);
      assert.notEqual(second.json.id, created.id);
      assert.notEqual(second.json.secret, secret);
      assert.deepEqual(second.json.events, [], 'no filter: every event');
      assert.equal(second.json.disabled, false);
      // PATCH: filter, description, disabled, url.
      const patched = await ctx.raw('PATCH', endpointPath(created), {
        json: { events: ['organization.updated'], description: 'Paused', disabled: true },
      });
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual(patched.json.events, ['organization.updated']);
      assert.equal(patched.json.description, 'Paused');
      assert.equal(patched.json.disabled, true);
      assert.equal(patched.json.url, receiver.url);
      assert.equal(patched.json.created_at, created.created_at);
      assert.ok(patched.json.updated_at >= created.updated_at);
      assert.ok(!('secret' in patched.json));
      assert.deepEqual((await ctx.raw('GET', endpointPath(created))).json, patched.json);
      const all = await ctx.raw('PATCH', endpointPath(created), { json: { events: [], disabled: false, url: receiver.url + '?v=2' } });
      assert.equal(all.status, 200, all.text);
      assert.deepEqual(all.json.events, []);
      assert.equal(all.json.disabled, false);
      assert.equal(all.json.url, receiver.url + '?v=2');
      assert.equal(all.json.description, 'Paused', 'fields not sent are kept');
      // DELETE, then it is gone everywhere.
      const deleted = await ctx.raw('DELETE', endpointPath(created));
      assert.equal(deleted.status, 200, deleted.text);
      assert.deepEqual(deleted.json, { object: 'webhook_endpoint', id: created.id, deleted: true });
      for (const [method, suffix, json] of [
        ['GET', ''], ['PATCH', '', { description: 'x' }], ['DELETE', ''], ['POST', '/rotate_secret'], ['GET', '/messages'],
        ['POST', `/messages/${MISSING_MESSAGE}/retry`], ['POST', `/recover?since=${Date.now()}`],
      ]) {
        assertClerkError(await ctx.raw(method, endpointPath(created) + suffix, { json }), 404, 'resource_not_found');
      }
      assert.ok(!(await ctx.raw('GET', '/v1/webhook_endpoints')).json.data.some(e => e.id === created.id));
      await deleteEndpoint(ctx.orgd, second.json);
    } finally {
      await receiver.close();
    }
  });

  test('refusals: a missing or malformed URL, a non-http scheme, an unknown event type; nothing changes', async () => {
    const receiver = await startReceiver();
    try {
      const kept = await createEndpoint(ctx.orgd, receiver, { events: ['user.created'] });
      const before = (await ctx.raw('GET', '/v1/webhook_endpoints')).json;
      const refused = [
        [{}, 'form_param_missing', 'url'],
        [{ url: '' }, null, 'url'],
        [{ url: 'ftp://hooks.example.com/clerk' }, 'form_param_format_invalid', 'url'],
        [{ url: 'file:///etc/passwd' }, 'form_param_format_invalid', 'url'],
        [{ url: 'javascript:alert(1)' }, 'form_param_format_invalid', 'url'],
        [{ url: 'http://' }, 'form_param_format_invalid', 'url'],
        [{ url: 'http:///no-host' }, 'form_param_format_invalid', 'url'],
        [{ url: 'hooks.example.com/clerk' }, 'form_param_format_invalid', 'url'],
        [{ url: 'https://hooks.example.com/clerk', events: ['organization.exploded'] }, 'form_param_value_invalid', 'events'],
        [{ url: 'https://hooks.example.com/clerk', events: ['organization.created', 'email.created'] }, 'form_param_value_invalid', 'events'],
      ];
      for (const [json, code, param] of refused) {
        const res = await ctx.raw('POST', '/v1/webhook_endpoints', { json });
        if (code) assertClerkError(res, 422, code, param);
        else assert.equal(res.status, 422, `${JSON.stringify(json)}: ${res.text}`);
        assert.ok(!res.text.includes('whsec_'), 'no secret in a refusal');
      }
      for (const [json, code, param] of [
        [{ url: 'ftp://hooks.example.com/clerk' }, 'form_param_format_invalid', 'url'],
        [{ events: ['organization.exploded'] }, 'form_param_value_invalid', 'events'],
      ]) {
        assertClerkError(await ctx.raw('PATCH', endpointPath(kept), { json }), 422, code, param);
      }
      assert.deepEqual((await ctx.raw('GET', '/v1/webhook_endpoints')).json, before, 'refused writes change nothing');
      assertClerkError(await ctx.raw('GET', endpointPath(MISSING_ENDPOINT)), 404, 'resource_not_found');
      // A Backend API route: the secret key is required.
      for (const [method, path] of [['GET', '/v1/webhook_endpoints'], ['POST', '/v1/webhook_endpoints'], ['GET', '/v1/events'],
        ['GET', endpointPath(kept)], ['POST', endpointPath(kept) + '/rotate_secret']]) {
        const res = await ctx.raw(method, path, { auth: false, json: method === 'POST' ? { url: receiver.url } : undefined });
        assertClerkError(res, 401, 'authentication_invalid');
      }
      await deleteEndpoint(ctx.orgd, kept);
    } finally {
      await receiver.close();
    }
  });

  test('without --webhook-allow-private, loopback, private and link-local targets are refused (no SSRF)', async () => {
    const strict = await startOrgd();
    try {
      const ok = await raw(strict, 'POST', '/v1/webhook_endpoints', { json: { url: 'https://hooks.example.com/clerk' } });
      assert.equal(ok.status, 200, `a public URL is accepted: ${ok.text}`);
      const before = (await raw(strict, 'GET', '/v1/webhook_endpoints')).json;
      const accepted = [];
      for (const url of [
        'http://127.0.0.1/hook', 'http://127.1.2.3:8080/hook', 'https://127.0.0.1:443/hook',
        'http://169.254.169.254/latest/meta-data/', 'http://[::1]/hook', 'http://[::1]:3000/hook',
        'http://localhost/hook', 'http://LOCALHOST:3000/hook', 'http://localhost./hook',
        'http://10.0.0.5/hook', 'http://172.16.0.1/hook', 'http://192.168.1.10/hook', 'http://0.0.0.0/hook',
        'http://[::ffff:127.0.0.1]/hook', 'http://[fe80::1]/hook', 'http://[fd00::1]/hook',
      ]) {
        const res = await raw(strict, 'POST', '/v1/webhook_endpoints', { json: { url } });
        if (res.status === 200) accepted.push(url);
        else assertClerkError(res, 422, 'form_param_format_invalid', 'url');
      }
      const patched = await raw(strict, 'PATCH', `/v1/webhook_endpoints/${ok.json.id}`, { json: { url: 'http://127.0.0.1/x' } });
      if (patched.status === 200) accepted.push('PATCH http://127.0.0.1/x');
      else assertClerkError(patched, 422, 'form_param_format_invalid', 'url');
      assert.deepEqual(accepted, [], 'private targets accepted without --webhook-allow-private');
      assert.deepEqual((await raw(strict, 'GET', '/v1/webhook_endpoints')).json, before, 'refused writes change nothing');
    } finally {
      const { code } = await strict.stop('SIGTERM');
      assert.equal(code, 0);
      removeDataDir(strict.dataDir);
    }
  });

  test('without --webhook-allow-private, other spellings of 127.0.0.1 are refused too, and nothing reaches them', async () => {
    // The WHATWG URL parser (new URL(…).hostname) and the resolver (inet_aton) read each of these
    // hosts as the literal 127.0.0.1, so they are loopback literals as much as 127.0.0.1 is.
    const receiver = await startReceiver();
    const port = new URL(receiver.url).port;
    const strict = await startOrgd();
    try {
      const accepted = [];
      for (const host of ['2130706433', '0x7f000001', '127.1', '0177.0.0.1']) {
        assert.equal(new URL(`http://${host}/`).hostname, '127.0.0.1');
        const url = `http://${host}:${port}/webhooks`;
        const res = await raw(strict, 'POST', '/v1/webhook_endpoints', { json: { url } });
        if (res.status === 200) {
          accepted.push(url);
          receiver.secrets.push(res.json.secret);
        } else {
          assertClerkError(res, 422, 'form_param_format_invalid', 'url');
        }
      }
      // A host name is not refused when the endpoint is made (no lookup then), but one the resolver
      // maps to 127.0.0.1 must not be reached either: the address is checked when connecting. Here
      // the machine's own name, when it resolves to loopback.
      const name = hostname();
      const addresses = await lookup(name, { all: true }).catch(() => []);
      if (addresses.length > 0 && addresses.every(a => a.address.startsWith('127.') || a.address === '::1')) {
        const res = await raw(strict, 'POST', '/v1/webhook_endpoints', { json: { url: `http://${name}:${port}/webhooks` } });
        if (res.status === 200) receiver.secrets.push(res.json.secret);
        else assertClerkError(res, 422, 'form_param_format_invalid', 'url');
      }
      // Whatever was accepted, no delivery may reach the loopback receiver.
      const org = await raw(strict, 'POST', '/v1/organizations', { json: { name: 'Not for loopback' } });
      assert.equal(org.status, 200, org.text);
      await sleep(1000);
      assert.deepEqual(receiver.deliveries, [], 'a delivery reached a loopback address');
      assert.deepEqual(receiver.rejected, []);
      assert.deepEqual(accepted, [], 'loopback spelled otherwise accepted without --webhook-allow-private');
    } finally {
      await strict.stop('SIGTERM');
      await receiver.close();
      removeDataDir(strict.dataDir);
    }
  });

  test('orgd refuses to start with bad webhook settings', async () => {
    const dataDir = newDataDir();
    try {
      const file = (name, text) => {
        writeFileSync(join(dataDir, name), text, { mode: 0o600 });
        return join(dataDir, name);
      };
      const good = file('good', newWebhookSecret() + '\n');
      const notSecret = file('not-secret', 'hunter2\n');
      const short = file('short', 'whsec_' + Buffer.alloc(8, 7).toString('base64') + '\n');
      const notBase64 = file('not-base64', 'whsec_!!!!not*base64!!!!!!!!!!!!\n');
      const target = 'https://hooks.example.com/clerk';
      for (const args of [
        ['--webhook-endpoint', target],
        ['--webhook-endpoint', target, '--webhook-secret-file', join(dataDir, 'missing')],
        ['--webhook-endpoint', target, '--webhook-secret-file', notSecret],
        ['--webhook-endpoint', target, '--webhook-secret-file', short],
        ['--webhook-endpoint', target, '--webhook-secret-file', notBase64],
        ['--webhook-endpoint', 'ftp://hooks.example.com/clerk', '--webhook-secret-file', good],
        ['--webhook-retry-schedule', ''],
        ['--webhook-retry-schedule', 'soon'],
        ['--webhook-retry-schedule', '5s,-1s'],
        ['--webhook-workers', '0'],
      ]) {
        const err = await startOrgd({ dataDir, args }).then(async started => {
          await started.stop('SIGKILL');
          return null;
        }, e => e);
        assert.ok(err, `orgd started with ${args.join(' ')}`);
        // Refused with a message and an exit code: not a crash, not a hang.
        assert.match(err.message, /exited \(code [1-9]\d*, signal null\)/, `${args.join(' ')}: ${err.message.slice(0, 400)}`);
      }
    } finally {
      removeDataDir(dataDir);
    }
  });

  test('a static endpoint from --webhook-endpoint and --webhook-secret-file', async () => {
    const dataDir = newDataDir();
    const secret = newWebhookSecret();
    const secretFile = join(dataDir, 'webhook-secret');
    writeFileSync(secretFile, secret + '\n', { mode: 0o600 });
    const receiver = await startReceiver({ secrets: [secret] });
    const node = await startOrgd({
      dataDir, args: [...WEBHOOK_ARGS, '--webhook-endpoint', receiver.url, '--webhook-secret-file', secretFile],
    });
    try {
      const list = await raw(node, 'GET', '/v1/webhook_endpoints');
      assert.equal(list.status, 200, list.text);
      const listed = list.json.data.find(e => e.id === 'whe_static');
      assert.ok(listed, `whe_static listed: ${list.text}`);
      assert.equal(listed.static, true);
      assert.equal(listed.url, receiver.url);
      assert.deepEqual(listed.events, []);
      assert.ok(!list.text.includes(secret), 'the static secret is never shown');
      const org = await raw(node, 'POST', '/v1/organizations', { json: { name: 'Static Co' } });
      assert.equal(org.status, 200, org.text);
      const got = await arrives(receiver, 'organization.created', org.json.id);
      assert.deepEqual(got.verifiedWith, [secret]);
      assertReceiverClean(receiver);
    } finally {
      await node.stop('SIGTERM');
      await receiver.close();
      removeDataDir(dataDir);
    }
  });
});

describe('events: every type in scope, produced through the SDK', () => {
  test('each arrives verified by verifyWebhook, in Clerk’s envelope, its data valid for its type, in stream order', { timeout: 30_000 }, async t => {
    const { receiver } = await hook(t);
    const clerk = ctx.clerk;
    const expected = [];
    const expect = (type, id) => expected.push([type, id]);

    const owner = await newUser({ firstName: 'Olive', lastName: 'Owner' });
    expect('user.created', owner.id);
    const member = await newUser({ firstName: 'Max' });
    expect('user.created', member.id);
    await clerk.users.updateUser(owner.id, { lastName: 'Hooked' });
    expect('user.updated', owner.id);

    const org = await newOrg({ createdBy: owner.id, privateMetadata: { tier: 'secret' } });
    expect('organization.created', org.id);
    await clerk.organizations.updateOrganization(org.id, { name: 'Hooks Renamed' });
    expect('organization.updated', org.id);
    await clerk.organizations.updateOrganizationMetadata(org.id, { publicMetadata: { plan: 'pro' } });
    expect('organization.updated', org.id);

    const membership = await clerk.organizations.createOrganizationMembership({
      organizationId: org.id, userId: member.id, role: 'org:member',
    });
    expect('organizationMembership.created', membership.id);
    await clerk.organizations.updateOrganizationMembership({ organizationId: org.id, userId: member.id, role: 'org:admin' });
    expect('organizationMembership.updated', membership.id);
    await clerk.organizations.deleteOrganizationMembership({ organizationId: org.id, userId: member.id });
    expect('organizationMembership.deleted', membership.id);

    const invitation = await clerk.organizations.createOrganizationInvitation({
      organizationId: org.id, emailAddress: email('guest'), role: 'org:member', inviterUserId: owner.id,
    });
    expect('organizationInvitation.created', invitation.id);
    await clerk.organizations.revokeOrganizationInvitation({ organizationId: org.id, invitationId: invitation.id, requestingUserId: owner.id });
    expect('organizationInvitation.revoked', invitation.id);

    const permission = await clerk.organizationPermissions.createOrganizationPermission({
      name: 'Fire hooks', key: `org:hooks${next()}:fire`, description: 'May fire hooks',
    });
    expect('permission.created', permission.id);
    await clerk.organizationPermissions.updateOrganizationPermission({ permissionId: permission.id, name: 'Fire all hooks' });
    expect('permission.updated', permission.id);
    const role = await clerk.organizationRoles.createOrganizationRole({
      name: 'Hook operator', key: `org:hook_operator${next()}`, description: 'Operates hooks', permissions: [permission.id],
    });
    expect('role.created', role.id);
    await clerk.organizationRoles.updateOrganizationRole({ organizationRoleId: role.id, name: 'Hook admin' });
    expect('role.updated', role.id);
    await clerk.organizationRoles.deleteOrganizationRole(role.id);
    expect('role.deleted', role.id);
    await clerk.organizationPermissions.deleteOrganizationPermission(permission.id);
    expect('permission.deleted', permission.id);

    const revoked = await clerk.sessions.createSession({ userId: member.id });
    expect('session.created', revoked.id);
    await clerk.sessions.revokeSession(revoked.id);
    expect('session.revoked', revoked.id);
    const ended = await clerk.sessions.createSession({ userId: member.id });
    expect('session.created', ended.id);
    await clerk.users.deleteUser(member.id);
    expect('session.ended', ended.id);
    expect('user.deleted', member.id);

    const beforeOrgDelete = await feedEndAfter(ctx.orgd, 'user.deleted', member.id);
    await clerk.organizations.deleteOrganization(org.id);
    expect('organization.deleted', org.id);

    const missing = () => expected.filter(([type, id]) => !find(receiver, type, id));
    await waitFor(() => missing().length === 0, {
      timeout: 15_000,
      what: () => `every event; missing ${JSON.stringify(missing())}; got ` +
        receiver.deliveries.map(d => `${d.type}:${d.data?.id}:${d.status}`).join(', ') +
        (receiver.rejected.length ? `; refused by verifyWebhook: ${receiver.rejected[0].error}` : ''),
    });
    assertReceiverClean(receiver);

    const got = (type, id, nth = 0) => receiver.delivered.filter(d => d.type === type && d.data?.id === id)[nth];
    // What verifyWebhook returned is what was sent.
    for (const d of receiver.delivered) {
      assert.equal(d.event.object, 'event');
      assert.equal(d.event.type, d.envelope.type);
      assert.deepEqual(d.event.data, d.envelope.data);
      assert.deepEqual(d.event.event_attributes, d.envelope.event_attributes);
      assert.match(d.svixId, /^msg_[0-9A-Za-z]+$/);
      assert.match(d.timestamp, /^\d+$/, 'svix-timestamp: integer seconds');
      assert.ok(Math.abs(Number(d.timestamp) - d.receivedAt / 1000) < 60, `svix-timestamp ${d.timestamp} is now, in seconds`);
      assert.match(d.contentType, /^application\/json\b/);
      assert.equal(signatures(d).length, 1, d.signature);
      assert.match(signatures(d)[0], /^v1,[A-Za-z0-9+/]+={0,2}$/);
      assert.deepEqual(Object.keys(d.envelope).filter(k => !ENVELOPE_KEYS.includes(k)), []);
    }
    // One instance; one message per event.
    assert.equal(new Set(receiver.delivered.map(d => d.envelope.instance_id)).size, 1, 'instance_id is the same on every event');
    const ids = receiver.delivered.map(d => d.svixId);
    assert.equal(new Set(ids).size, ids.length, 'each event is its own message, delivered once');

    // Payloads.
    assert.equal(got('user.updated', owner.id).data.last_name, 'Hooked');
    assert.equal(got('user.created', owner.id).data.first_name, 'Olive');
    const orgCreated = got('organization.created', org.id).data;
    assert.equal(orgCreated.name, org.name);
    assert.equal(orgCreated.slug, org.slug);
    assert.deepEqual(orgCreated.private_metadata, { tier: 'secret' }, 'organization events carry private_metadata');
    assert.equal(orgCreated.created_by, owner.id);
    assert.equal(got('organization.updated', org.id, 0).data.name, 'Hooks Renamed');
    assert.deepEqual(got('organization.updated', org.id, 1).data.public_metadata, { plan: 'pro' });
    assert.deepEqual(got('organization.deleted', org.id).data, { object: 'organization', id: org.id, slug: org.slug, deleted: true });
    const mCreated = got('organizationMembership.created', membership.id).data;
    assert.equal(mCreated.role, 'org:member');
    assert.equal(mCreated.organization.id, org.id);
    assert.equal(mCreated.public_user_data.user_id, member.id);
    assert.equal(got('organizationMembership.updated', membership.id).data.role, 'org:admin');
    const mDeleted = got('organizationMembership.deleted', membership.id).data;
    assert.equal(mDeleted.object, 'organization_membership', 'the full membership, also on delete');
    assert.equal(mDeleted.organization.id, org.id);
    assert.equal(mDeleted.public_user_data.user_id, member.id);
    const iCreated = got('organizationInvitation.created', invitation.id).data;
    assert.equal(iCreated.status, 'pending');
    assert.equal(iCreated.email_address, invitation.emailAddress);
    assert.equal(iCreated.organization_id, org.id);
    assert.equal(iCreated.public_organization_data?.id, org.id, 'invitation events carry public_organization_data');
    assert.equal(got('organizationInvitation.revoked', invitation.id).data.status, 'revoked');
    assert.equal(got('permission.created', permission.id).data.key, permission.key);
    assert.equal(got('permission.updated', permission.id).data.name, 'Fire all hooks');
    assert.deepEqual(got('permission.deleted', permission.id).data, { object: 'permission', id: permission.id, deleted: true });
    assert.deepEqual(got('role.created', role.id).data.permissions.map(p => p.id), [permission.id]);
    assert.equal(got('role.updated', role.id).data.name, 'Hook admin');
    assert.deepEqual(got('role.deleted', role.id).data, { object: 'role', id: role.id, deleted: true });
    assert.deepEqual(got('user.deleted', member.id).data, { object: 'user', id: member.id, deleted: true });
    for (const [type, session, status] of [['session.created', revoked, 'active'], ['session.revoked', revoked, 'revoked'],
      ['session.created', ended, 'active'], ['session.ended', ended, 'ended']]) {
      const data = got(type, session.id).data;
      assert.equal(data.status, status, type);
      assert.equal(data.user_id, member.id);
      // Session + user; the SDK types it `UserJSON | null` ("if not available"): the session ended
      // because its user was deleted may carry null.
      if (type === 'session.ended' && data.user === null) continue;
      assert.equal(data.user?.id, member.id, `${type}: Session + user`);
    }

    // Per stream, in commit order.
    const position = (type, id, nth = 0) => receiver.delivered.indexOf(got(type, id, nth));
    const inOrder = (what, steps) => {
      const at = steps.map(s => position(...s));
      assert.deepEqual(at, [...at].sort((a, b) => a - b), `${what} in commit order: ${JSON.stringify(steps)} at ${at}`);
    };
    inOrder('the organization', [['organization.created', org.id], ['organization.updated', org.id, 0],
      ['organization.updated', org.id, 1], ['organizationMembership.created', membership.id],
      ['organizationMembership.updated', membership.id], ['organizationMembership.deleted', membership.id],
      ['organizationInvitation.created', invitation.id], ['organizationInvitation.revoked', invitation.id],
      ['organization.deleted', org.id]]);
    inOrder('the user', [['user.created', owner.id], ['user.updated', owner.id]]);
    inOrder('roles and permissions', [['permission.created', permission.id], ['permission.updated', permission.id],
      ['role.created', role.id], ['role.updated', role.id], ['role.deleted', role.id], ['permission.deleted', permission.id]]);
    inOrder('a session', [['session.created', revoked.id], ['session.revoked', revoked.id]]);
    inOrder('a session', [['session.created', ended.id], ['session.ended', ended.id]]);

    // Deleting an organization emits only organization.deleted (not one per membership).
    const { events: afterDelete } = await feedEndAfter(ctx.orgd, 'organization.deleted', org.id)
      .then(() => readFeed(ctx.orgd, { after: beforeOrgDelete }));
    const aboutOrg = afterDelete.filter(e => e.data.id === org.id || e.data.organization?.id === org.id ||
      e.data.organization_id === org.id);
    assert.deepEqual(aboutOrg.map(e => e.type), ['organization.deleted']);
  });

  test('organizationInvitation.accepted, then the membership it made, when the invitee signs in with the ticket', async t => {
    const { receiver } = await hook(t, {}, { events: ['organizationInvitation.accepted', 'organizationMembership.created'] });
    const owner = await newUser();
    const org = await newOrg({ createdBy: owner.id });
    const invitee = await newUser();
    const invitation = await ctx.clerk.organizations.createOrganizationInvitation({
      organizationId: org.id, emailAddress: invitee.emailAddresses[0].emailAddress, role: 'org:member',
      redirectUrl: 'https://app.webhooks.example.test/accept', notify: false,
    });
    const ticket = new URL(invitation.url).searchParams.get('__clerk_ticket');
    // A native client (no Origin, no allowed origin needed) signs in with the invitation's ticket;
    // the answer is checked against the Frontend API's contract.
    registerFrontendOrigin(ctx.orgd.frontendAddress);
    const res = await fetch(`${ctx.orgd.frontendAddress}/v1/client/sign_ins?_is_native=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ strategy: 'ticket', ticket }).toString(),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const accepted = await arrives(receiver, 'organizationInvitation.accepted', invitation.id);
    assert.equal(accepted.data.status, 'accepted');
    assert.equal(accepted.data.organization_id, org.id);
    const membership = await waitFor(() => receiver.delivered.find(d => d.type === 'organizationMembership.created' &&
      d.data?.public_user_data?.user_id === invitee.id), { what: () => 'organizationMembership.created of the invitee' });
    assert.equal(membership.data.organization.id, org.id);
    assert.ok(receiver.delivered.indexOf(accepted) < receiver.delivered.indexOf(membership), 'accepted, then the membership');
    assertReceiverClean(receiver);
  });
});

describe('the envelope', () => {
  test('event_attributes.http_request is the client IP and user agent of the request that made the change', async t => {
    const { receiver } = await hook(t, {}, { events: ['organization.created', 'organization.updated'] });
    const before = Date.now();
    const res = await ctx.raw('POST', '/v1/organizations', {
      json: { name: 'Envelope Co' },
      // orgd trusts no proxy header: the client is the socket's peer.
      headers: { 'user-agent': 'orgd-webhook-test/1.0 (envelope)', 'x-forwarded-for': '203.0.113.9' },
    });
    assert.equal(res.status, 200, res.text);
    const after = Date.now();
    const viaRaw = await arrives(receiver, 'organization.created', res.json.id);
    assert.deepEqual(viaRaw.envelope.event_attributes,
      { http_request: { client_ip: '127.0.0.1', user_agent: 'orgd-webhook-test/1.0 (envelope)' } });
    assert.equal(viaRaw.envelope.object, 'event');
    assert.equal(viaRaw.envelope.type, 'organization.created');
    assert.ok(viaRaw.envelope.timestamp >= before - 1000 && viaRaw.envelope.timestamp <= after + 1000,
      `timestamp ${viaRaw.envelope.timestamp} is the change's time in ms`);
    for (const key of ['object', 'id', 'name', 'slug', 'public_metadata', 'private_metadata', 'created_at', 'updated_at']) {
      assert.deepEqual(viaRaw.envelope.data[key], res.json[key], `data.${key} is the organization's, as the API answered it`);
    }
    await ctx.clerk.organizations.updateOrganization(res.json.id, { name: 'Envelope Co 2' });
    const viaSdk = await arrives(receiver, 'organization.updated', res.json.id);
    assert.deepEqual(viaSdk.envelope.event_attributes, { http_request: { client_ip: '127.0.0.1', user_agent: SDK_USER_AGENT } });
    assertReceiverClean(receiver);
  });
});

describe('filters and disabled endpoints', () => {
  test('an endpoint gets the types it asked for; a disabled one gets nothing; a PATCHed filter takes effect', async t => {
    const { receiver: everything } = await hook(t);
    const { receiver: deletions, endpoint: filtered } = await hook(t, {}, { events: ['organization.deleted'] });
    const { receiver: paused } = await hook(t, {}, { disabled: true });
    const org = await newOrg();
    await ctx.clerk.organizations.updateOrganization(org.id, { name: 'Filtered' });
    await ctx.clerk.organizations.deleteOrganization(org.id);
    await arrives(everything, 'organization.deleted', org.id);
    await arrives(deletions, 'organization.deleted', org.id);
    await sleep(300);
    assert.deepEqual(deletions.deliveries.map(d => d.type), ['organization.deleted']);
    assert.deepEqual(paused.deliveries, [], 'a disabled endpoint gets nothing');
    const patched = await ctx.raw('PATCH', endpointPath(filtered), { json: { events: ['organization.created'] } });
    assert.equal(patched.status, 200, patched.text);
    const second = await newOrg();
    await arrives(deletions, 'organization.created', second.id);
    for (const r of [everything, deletions, paused]) assertReceiverClean(r);
  });
});

describe('retries', () => {
  test('a receiver failing the first 3 attempts gets the event on the 4th, under one svix-id', { timeout: 20_000 }, async t => {
    const { receiver, endpoint } = await hook(t, { respond: ({ attempt }) => (attempt <= 3 ? 500 : 200) },
      { events: ['organization.created'] });
    const org = await newOrg();
    const ofOrg = () => receiver.deliveries.filter(d => d.data?.id === org.id);
    // Attempts 1 and 2 are immediate; the message then waits ~1 s, pending, with what it got.
    await waitFor(() => ofOrg().length >= 2, { what: () => `2 attempts, got ${ofOrg().length}` });
    const svixId = ofOrg()[0].svixId;
    const pending = await waitFor(async () => {
      const m = (await messagesOf(ctx.orgd, endpoint)).find(x => x.id === svixId);
      return m && m.attempts >= 2 && m;
    }, { what: 'the message to show its attempts' });
    assert.equal(pending.status, 'pending', JSON.stringify(pending));
    assert.equal(pending.last_response_code, 500);
    assert.equal(pending.event_type, 'organization.created');
    assert.equal(pending.endpoint_id, endpoint.id);
    assert.match(pending.event_id, /^evt_/);
    assert.ok(Number.isInteger(pending.next_attempt_at), `next_attempt_at while pending: ${JSON.stringify(pending)}`);
    assert.equal(pending.delivered_at, null);
    assert.ok((await messagesOf(ctx.orgd, endpoint, 'status=pending')).some(m => m.id === svixId));

    await waitFor(() => ofOrg().some(d => d.status === 200), {
      timeout: 10_000, what: () => `the 4th attempt; got ${ofOrg().map(d => d.status)}`,
    });
    const attempts = ofOrg();
    assert.deepEqual(attempts.map(d => d.status), [500, 500, 500, 200]);
    assert.deepEqual(attempts.map(d => d.svixId), Array(4).fill(svixId), 'the same svix-id on every attempt');
    assert.deepEqual(attempts.map(d => d.attempt), [1, 2, 3, 4]);
    // The schedule 0s,1s,1s (±20 %): 2nd right away, 3rd and 4th about a second apart.
    const gaps = attempts.slice(1).map((d, i) => d.receivedAt - attempts[i].receivedAt);
    assert.ok(gaps[0] < 600, `2nd attempt at +0 s, was +${gaps[0]} ms`);
    for (const gap of gaps.slice(1)) assert.ok(gap >= 700 && gap < 3000, `3rd/4th attempts about 1 s apart: ${gaps}`);
    const done = await waitFor(async () => {
      const m = (await messagesOf(ctx.orgd, endpoint)).find(x => x.id === svixId);
      return m?.status === 'delivered' && m;
    }, { what: 'the message to be delivered' });
    assert.equal(done.attempts, 4);
    assert.equal(done.last_response_code, 200);
    assert.ok(Number.isInteger(done.delivered_at) && done.delivered_at >= attempts[3].receivedAt - 1000);
    assert.equal(done.next_attempt_at ?? null, null);
    assertReceiverClean(receiver);
  });

  test('a receiver that always fails: failed after 4 attempts; retry sends it again; recover re-sends', { timeout: 20_000 }, async t => {
    let failing = true;
    const { receiver, endpoint } = await hook(t, { respond: () => (failing ? 503 : 200) }, { events: ['organization.created'] });
    const org = await newOrg();
    const ofOrg = () => receiver.deliveries.filter(d => d.data?.id === org.id);
    const failed = await waitFor(async () => {
      const m = (await messagesOf(ctx.orgd, endpoint, 'status=failed'))[0];
      return m && m;
    }, { timeout: 10_000, interval: 100, what: () => `the message to fail; attempts so far ${ofOrg().length}` });
    assert.equal(failed.attempts, 4);
    assert.equal(failed.last_response_code, 503);
    assert.equal(failed.next_attempt_at ?? null, null);
    assert.equal(failed.delivered_at, null);
    await sleep(200);
    assert.deepEqual(ofOrg().map(d => d.status), [503, 503, 503, 503], 'exactly 4 attempts');
    assert.equal(new Set(ofOrg().map(d => d.svixId)).size, 1);
    assert.equal(ofOrg()[0].svixId, failed.id, 'the message ID is the svix-id');
    assert.ok(!(await messagesOf(ctx.orgd, endpoint, 'status=delivered')).some(m => m.id === failed.id));
    assert.ok(!(await messagesOf(ctx.orgd, endpoint, 'status=pending')).some(m => m.id === failed.id));
    assertClerkError(await ctx.raw('GET', `${endpointPath(endpoint)}/messages?status=lost`), 422, 'form_param_value_invalid', 'status');

    // Retry by hand: pending again with attempts 0, then delivered on the next attempt.
    failing = false;
    const retried = await ctx.raw('POST', `${endpointPath(endpoint)}/messages/${failed.id}/retry`);
    assert.equal(retried.status, 200, retried.text);
    assert.equal(retried.json.id, failed.id);
    assert.equal(retried.json.status, 'pending');
    assert.equal(retried.json.attempts, 0);
    await waitFor(() => ofOrg().some(d => d.status === 200), { what: 'the retried message' });
    assert.deepEqual(ofOrg().map(d => d.svixId), Array(5).fill(failed.id));
    const delivered = await waitFor(async () => {
      const m = (await messagesOf(ctx.orgd, endpoint)).find(x => x.id === failed.id);
      return m?.status === 'delivered' && m;
    }, { what: 'delivered after the retry' });
    assert.equal(delivered.attempts, 1);
    assertClerkError(await ctx.raw('POST', `${endpointPath(endpoint)}/messages/${MISSING_MESSAGE}/retry`), 404, 'resource_not_found');
    assertReceiverClean(receiver);
  });

  test('recover?since= re-sends every event since then: the same svix-id where there was a message, a new one where not', { timeout: 20_000 }, async t => {
    const { receiver, endpoint } = await hook(t, {}, { events: ['organization.created'] });
    await sleep(5);
    const since = Date.now();
    const org = await newOrg();
    const first = await arrives(receiver, 'organization.created', org.id);
    // An endpoint created after the event never had it; recover sends it there too.
    const { receiver: late, endpoint: lateEndpoint } = await hook(t, {}, { events: ['organization.created'] });
    await sleep(200);
    assert.deepEqual(late.deliveries, []);

    const ms = await ctx.raw('POST', `${endpointPath(endpoint)}/recover?since=${since}`);
    assert.equal(ms.status, 200, ms.text);
    assert.equal(ms.json.object, 'webhook_recovery');
    assert.equal(ms.json.endpoint_id, endpoint.id);
    assert.equal(ms.json.messages_queued, 1);
    const ofOrg = () => receiver.delivered.filter(d => d.data?.id === org.id);
    await waitFor(() => ofOrg().length === 2, { what: 'the recovered event' });
    assert.equal(ofOrg()[1].svixId, first.svixId, 'the same message, sent again');
    assert.equal(ofOrg()[1].body, first.body, 'the same body');

    const rfc3339 = await ctx.raw('POST', `${endpointPath(lateEndpoint)}/recover?since=${new Date(since).toISOString()}`);
    assert.equal(rfc3339.status, 200, rfc3339.text);
    assert.equal(rfc3339.json.messages_queued, 1);
    const recovered = await arrives(late, 'organization.created', org.id);
    assert.deepEqual(recovered.envelope, first.envelope, 'the same event');
    assert.notEqual(recovered.svixId, first.svixId, 'a message of its own endpoint');

    const future = await ctx.raw('POST', `${endpointPath(endpoint)}/recover?since=${Date.now() + 60_000}`);
    assert.equal(future.status, 200, future.text);
    assert.equal(future.json.messages_queued, 0);
    for (const bad of ['?since=yesterday', '?since=', '', '?since=12abc']) {
      const res = await ctx.raw('POST', `${endpointPath(endpoint)}/recover${bad}`);
      assert.equal(res.status, 422, `since=${bad}: ${res.text}`);
      assert.equal(res.json.errors[0].meta?.param_name, 'since', res.text);
    }
    await sleep(200);
    assert.equal(ofOrg().length, 2, 'nothing more was sent');
    for (const r of [receiver, late]) assertReceiverClean(r);
  });
});

describe('ordering', () => {
  test('30 quick changes to one organization arrive in commit order while one is retried; another organization is not held up', { timeout: 20_000 }, async t => {
    let orgA;
    let failuresLeft = 2;
    const { receiver, endpoint } = await hook(t, {
      respond: ({ delivery }) => {
        if (delivery.data?.id === orgA?.id && delivery.data?.public_metadata?.n === 2 && failuresLeft > 0) {
          failuresLeft--;
          return 500;
        }
        return 200;
      },
    }, { events: ['organization.created', 'organization.updated'] });
    orgA = await newOrg({ publicMetadata: { n: 0 } });
    const orgB = await newOrg({ publicMetadata: { n: 0 } });
    for (let n = 1; n <= 30; n++) {
      await ctx.clerk.organizations.updateOrganizationMetadata(orgA.id, { publicMetadata: { n } });
      // B changes right after A's 2nd change, while A's is being retried.
      if (n >= 3 && n <= 7) await ctx.clerk.organizations.updateOrganizationMetadata(orgB.id, { publicMetadata: { n: n - 2 } });
    }
    const lastOf = (org, n) => () => receiver.delivered.some(d => d.data?.id === org.id && d.data.public_metadata?.n === n);
    await waitFor(lastOf(orgA, 30), { timeout: 15_000, what: () => `A's 30th change; A got ${receiver.deliveries.filter(d => d.data?.id === orgA.id).map(d => d.data.public_metadata.n)}` });
    await waitFor(lastOf(orgB, 5), { what: "B's 5th change" });
    const a = receiver.deliveries.filter(d => d.data?.id === orgA.id);
    assert.deepEqual(a.map(d => [d.data.public_metadata.n, d.status]),
      [[0, 200], [1, 200], [2, 500], [2, 500], [2, 200], ...Array.from({ length: 28 }, (_, i) => [i + 3, 200])],
      'A in commit order, nothing after its 2nd change sent before that one got through');
    assert.deepEqual(a.map(d => d.type), ['organization.created', ...Array(32).fill('organization.updated')]);
    const b = receiver.delivered.filter(d => d.data?.id === orgB.id);
    assert.deepEqual(b.map(d => d.data.public_metadata.n), [0, 1, 2, 3, 4, 5]);
    const aRetried = receiver.deliveries.indexOf(a[4]);
    for (const d of b) {
      assert.ok(receiver.deliveries.indexOf(d) < aRetried, `B's change ${d.data.public_metadata.n} waited for A's retry`);
    }
    // The messages: one per event, paged.
    const page = await ctx.raw('GET', `${endpointPath(endpoint)}/messages?limit=5&offset=0`);
    assert.equal(page.status, 200, page.text);
    assert.equal(page.json.data.length, 5);
    assert.equal(page.json.total_count, 37);
    const rest = await ctx.raw('GET', `${endpointPath(endpoint)}/messages?limit=500&offset=5`);
    assert.equal(rest.json.data.length, 32);
    assert.equal(new Set([...page.json.data, ...rest.json.data].map(m => m.id)).size, 37);
    // The feed has them in the same order.
    const { events } = await feedUntil(ctx.orgd, evs => evs.some(e => e.data.id === orgA.id && e.data.public_metadata?.n === 30));
    assert.deepEqual(events.filter(e => e.data.id === orgA.id).map(e => e.data.public_metadata.n),
      Array.from({ length: 31 }, (_, i) => i));
    assertReceiverClean(receiver);
  });
});

describe('failed messages and deleted endpoints', () => {
  test('a message that ends failed no longer holds its organization’s later events', { timeout: 20_000 }, async t => {
    let org;
    const { receiver, endpoint } = await hook(t, {
      respond: ({ delivery }) => (delivery.data?.id === org?.id && delivery.data.public_metadata?.n === 1 ? 500 : 200),
    }, { events: ['organization.created', 'organization.updated'] });
    org = await newOrg({ publicMetadata: { n: 0 } });
    for (let n = 1; n <= 3; n++) await ctx.clerk.organizations.updateOrganizationMetadata(org.id, { publicMetadata: { n } });
    await waitFor(() => receiver.delivered.some(d => d.data?.id === org.id && d.data.public_metadata.n === 3), {
      timeout: 10_000, what: () => `n=3 after n=1 failed; got ${receiver.deliveries.filter(d => d.data?.id === org.id).map(d => `${d.data.public_metadata.n}:${d.status}`)}`,
    });
    assert.deepEqual(receiver.deliveries.filter(d => d.data?.id === org.id).map(d => [d.data.public_metadata.n, d.status]),
      [[0, 200], [1, 500], [1, 500], [1, 500], [1, 500], [2, 200], [3, 200]]);
    const failed = await messagesOf(ctx.orgd, endpoint, 'status=failed');
    assert.equal(failed.length, 1);
    assertReceiverClean(receiver);
  });

  test('deleting an endpoint stops its deliveries, retries included', { timeout: 20_000 }, async t => {
    const { receiver, endpoint } = await hook(t, { respond: () => 500 }, { events: ['organization.created'] });
    const org = await newOrg();
    await waitFor(() => receiver.deliveries.some(d => d.data?.id === org.id), { what: 'the first attempt' });
    await deleteEndpoint(ctx.orgd, endpoint);
    const deletedAt = Date.now();
    await sleep(2000); // the 3rd and 4th attempts were due within it
    const late = receiver.deliveries.filter(d => d.receivedAt > deletedAt + 300);
    assert.deepEqual(late.map(d => `${d.svixId} attempt ${d.attempt}`), [], 'attempts after the endpoint was deleted');
    assertReceiverClean(receiver);
  });
});

describe('refused writes', () => {
  test('a write that is refused emits nothing: not delivered, not in the feed', async t => {
    const admin = await newUser();
    const member = await newUser();
    const org = await newOrg({ createdBy: admin.id, maxAllowedMemberships: 2 });
    await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: member.id, role: 'org:member' });
    const role = await ctx.clerk.organizationRoles.createOrganizationRole({ name: 'Held', key: `org:held${next()}`, permissions: [] });
    await ctx.clerk.organizationRoles.updateOrganizationRole({ organizationRoleId: role.id, name: 'Held role' });
    const holder = await newUser();
    const other = await newOrg();
    const held = await ctx.clerk.organizations.createOrganizationMembership({ organizationId: other.id, userId: holder.id, role: role.key });
    // Events are fanned out to endpoints as they take their place in the feed, just after the
    // commit: the setup's are placed before the endpoint exists.
    const cursor = await feedEndAfter(ctx.orgd, 'organizationMembership.created', held.id);
    const { receiver } = await hook(t);

    assertClerkError(await ctx.raw('POST', '/v1/organizations', { json: { name: 'Copycat', slug: org.slug } }),
      422, 'form_identifier_exists');
    await assertSdkError(ctx.clerk.organizations.deleteOrganizationMembership({ organizationId: org.id, userId: admin.id }),
      400, 'organization_minimum_permissions_needed');
    await assertSdkError(ctx.clerk.organizations.updateOrganizationMembership({ organizationId: org.id, userId: admin.id, role: 'org:member' }),
      400, 'organization_minimum_permissions_needed');
    await assertSdkError(ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: holder.id, role: 'org:member' }),
      403, 'organization_membership_quota_exceeded');
    await assertSdkError(ctx.clerk.organizationRoles.deleteOrganizationRole(role.id), 422, 'organization_role_assigned_members');
    assertClerkError(await ctx.raw('POST', '/v1/users', { json: { email_address: [holder.emailAddresses[0].emailAddress] } }),
      422, 'form_identifier_exists');

    await ctx.clerk.organizations.updateOrganization(org.id, { name: 'Sentinel' });
    await arrives(receiver, 'organization.updated', org.id);
    await sleep(100);
    assert.deepEqual(receiver.deliveries.map(d => `${d.type} ${d.data?.id}`), [`organization.updated ${org.id}`],
      'only the accepted write was delivered');
    await feedEndAfter(ctx.orgd, 'organization.updated', org.id);
    const { events } = await readFeed(ctx.orgd, { after: cursor });
    assert.deepEqual(events.map(e => `${e.type} ${e.data.id}`), [`organization.updated ${org.id}`],
      'only the accepted write is in the feed');
    assertReceiverClean(receiver);
  });
});

describe('secret rotation', () => {
  test('after rotate_secret both the new and, for 24 h, the old secret verify', async t => {
    const { receiver, endpoint } = await hook(t, {}, { events: ['organization.created'] });
    const oldSecret = endpoint.secret;
    const stranger = newWebhookSecret();
    receiver.secrets.push(stranger);
    const before = await newOrg();
    const one = await arrives(receiver, 'organization.created', before.id);
    assert.deepEqual(one.verifiedWith, [oldSecret]);
    assert.equal(signatures(one).length, 1);

    const res = await ctx.raw('POST', `${endpointPath(endpoint)}/rotate_secret`);
    assert.equal(res.status, 200, res.text);
    const newSecret = res.json.secret;
    isSecret(newSecret);
    assert.notEqual(newSecret, oldSecret);
    const { secret, updated_at: u1, ...same } = res.json;
    const { secret: s0, updated_at: u0, ...was } = endpoint;
    assert.deepEqual(same, was, 'only the secret changed');
    const got = await ctx.raw('GET', endpointPath(endpoint));
    assert.ok(!got.text.includes(newSecret) && !got.text.includes(oldSecret), 'GET shows no secret');

    receiver.secrets.push(newSecret);
    const after = await newOrg();
    const two = await arrives(receiver, 'organization.created', after.id);
    assert.equal(signatures(two).length, 2, `two signatures: ${two.signature}`);
    assert.ok(two.verifiedWith.includes(newSecret), 'a receiver knowing only the new secret verifies');
    assert.ok(two.verifiedWith.includes(oldSecret), 'a receiver still on the old secret verifies');
    assert.ok(!two.verifiedWith.includes(stranger), 'another secret does not');
    assertReceiverClean(receiver);
  });
});

describe('GET /v1/events', () => {
  test('the feed: every event in commit order with cursors; paging with next_cursor has no gap or repeat', { timeout: 20_000 }, async t => {
    const { receiver, endpoint } = await hook(t);
    await sleep(300); // whatever earlier tests committed has its place in the feed by now
    const start = await feedEnd(ctx.orgd);
    const org = await newOrg({ publicMetadata: { n: 0 } });
    const made = [['organization.created', org.id]];
    for (let n = 1; n <= 4; n++) {
      await ctx.clerk.organizations.updateOrganizationMetadata(org.id, { publicMetadata: { n } });
      made.push(['organization.updated', org.id]);
    }
    const user = await newUser();
    made.push(['user.created', user.id]);
    const m = await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: user.id, role: 'org:member' });
    made.push(['organizationMembership.created', m.id]);
    await feedEndAfter(ctx.orgd, 'organizationMembership.created', m.id);

    // Pages of 3 from where the test started: 3, 3, 1, then nothing.
    const pages = [];
    let cursor = start;
    for (let i = 0; i < 10; i++) {
      const res = await ctx.raw('GET', `/v1/events?after=${cursor}&limit=3`);
      assert.equal(res.status, 200, res.text);
      pages.push(res.json.data);
      if (res.json.data.length === 0) {
        assert.equal(typeof res.json.next_cursor, 'string', 'an empty page still says where to go on from');
        cursor = res.json.next_cursor;
        break;
      }
      assert.equal(res.json.next_cursor, res.json.data.at(-1).cursor, 'next_cursor is the last cursor of the page');
      cursor = res.json.next_cursor;
    }
    assert.deepEqual(pages.map(p => p.length), [3, 3, 1, 0]);
    const paged = pages.flat();
    assert.deepEqual(paged.map(e => [e.type, e.data.id]), made, 'exactly the changes, in commit order');
    assert.deepEqual(paged.filter(e => e.data.id === org.id).map(e => e.data.public_metadata.n), [0, 1, 2, 3, 4]);
    const cursors = paged.map(e => BigInt(e.cursor));
    for (let i = 1; i < cursors.length; i++) assert.ok(cursors[i] > cursors[i - 1], `cursors increase: ${cursors}`);
    assert.ok(cursors[0] > BigInt(start));
    assert.equal(new Set(paged.map(e => e.id)).size, paged.length);
    for (const e of paged) {
      assert.match(e.id, /^evt_[0-9A-Za-z]+$/);
      assert.deepEqual(checkEvent(e, { where: `feed ${e.cursor}` }), []);
    }
    // Going on from the empty page's cursor picks up exactly what comes next.
    await ctx.clerk.organizations.updateOrganization(org.id, { name: 'After the end' });
    const more = await feedUntil(ctx.orgd, evs => evs.length > 0, { after: cursor, what: 'the next change' });
    assert.deepEqual(more.events.map(e => [e.type, e.data.id, e.data.name]), [['organization.updated', org.id, 'After the end']]);

    // From the beginning (after defaults to 0): the whole feed, whatever the page size.
    const whole = await ctx.raw('GET', '/v1/events?limit=500');
    assert.equal(whole.status, 200, whole.text);
    const all = (await readFeed(ctx.orgd, { after: '0', limit: 500 })).events;
    const small = (await readFeed(ctx.orgd, { after: '0', limit: 7 })).events;
    assert.deepEqual(small, all, 'paging by 7 gives the same feed as by 500');
    assert.deepEqual(whole.json.data, all.slice(0, 500));
    assert.deepEqual((await ctx.raw('GET', '/v1/events?after=0&limit=500')).json.data, whole.json.data);
    for (let i = 1; i < all.length; i++) assert.ok(BigInt(all[i].cursor) > BigInt(all[i - 1].cursor));
    assert.equal(new Set(all.map(e => e.id)).size, all.length, 'no event twice');
    assert.equal(new Set(all.map(e => e.instance_id)).size, 1);
    const problems = all.flatMap(e => checkEvent(e, { where: `feed ${e.cursor}` }));
    assert.deepEqual(problems, [], 'every event in the feed is in Clerk’s contract');
    // Default page size 100.
    if (all.length > 100) assert.equal((await ctx.raw('GET', '/v1/events')).json.data.length, 100);

    // What was delivered is the feed's event: message.event_id → the same envelope.
    await waitFor(() => made.every(([type, id]) => find(receiver, type, id)), { what: 'the deliveries' });
    const messages = await messagesOf(ctx.orgd, endpoint);
    const byId = new Map(all.map(e => [e.id, e]));
    for (const d of receiver.delivered) {
      const message = messages.find(x => x.id === d.svixId);
      assert.ok(message, `a message for svix-id ${d.svixId}`);
      const { id, cursor: c, ...envelope } = byId.get(message.event_id) ?? {};
      assert.deepEqual(d.envelope, envelope, `delivery ${d.svixId} is feed event ${message.event_id}`);
      assert.equal(message.event_type, d.type);
    }

    for (const bad of ['limit=0', 'limit=501', 'limit=x', 'after=-1', 'after=abc']) {
      const res = await ctx.raw('GET', `/v1/events?${bad}`);
      assertClerkError(res, 422, 'form_param_value_invalid', bad.split('=')[0]);
    }
    assertReceiverClean(receiver);
  });
});
