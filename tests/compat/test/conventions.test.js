// Wire conventions of the Backend API the SDK depends on (BEHAVIOR.md §1), and the probes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClerkError, clerkFor, raw, useOrgd } from '../lib/suite.js';
import { stats } from '../lib/contract.js';
import { newSecretKey } from '../lib/orgd.js';

const rotated = [newSecretKey('test'), newSecretKey('live')];
const ctx = useOrgd({ secretKeys: rotated });

test('healthz answers without a key; readyz checks the database', async () => {
  const health = await fetch(ctx.orgd.url + '/healthz');
  assert.equal(health.status, 200);
  const ready = await fetch(ctx.orgd.url + '/readyz');
  assert.equal(ready.status, 200);
});

test('every configured key works, so keys can be rotated', async () => {
  for (const key of rotated) {
    const list = await clerkFor(ctx.orgd, key).organizations.getOrganizationList();
    assert.equal(list.totalCount, 0);
  }
});

test('responses are application/json exactly and carry a request ID that is also the trace ID', async () => {
  const ok = await ctx.raw('GET', '/v1/organizations');
  assert.equal(ok.headers.get('content-type'), 'application/json');
  const bad = await ctx.raw('GET', '/v1/organizations/org_0000000000000000000000000000');
  assert.equal(bad.headers.get('content-type'), 'application/json');
  assert.equal(bad.json.clerk_trace_id, bad.headers.get('x-request-id'));
});

test('Content-Type: application/json with an empty body means {} on any method', async () => {
  const created = await ctx.raw('POST', '/v1/organizations', { json: { name: 'Empty Body' } });
  const headers = { 'content-type': 'application/json' };
  for (const [method, path] of [
    ['GET', '/v1/organizations'],
    ['GET', `/v1/organizations/${created.json.id}`],
    ['PATCH', `/v1/organizations/${created.json.id}`],
    ['PATCH', `/v1/organizations/${created.json.id}/metadata`],
    ['DELETE', `/v1/organizations/${created.json.id}/logo`],
    ['DELETE', `/v1/organizations/${created.json.id}`],
  ]) {
    const res = await ctx.raw(method, path, { headers, body: method === 'GET' ? undefined : '' });
    assert.equal(res.status, 200, `${method} ${path}: ${res.text}`);
  }
  const empty = await ctx.raw('POST', '/v1/organizations', { headers, body: '' });
  assertClerkError(empty, 422, 'form_param_missing', 'name');
});

test('falsy query values are as good as absent', async () => {
  const res = await ctx.raw('GET', '/v1/organizations?include_members_count=false&query=');
  assert.equal(res.status, 200);
  assert.ok(res.json.data.every(o => !('members_count' in o)));
});

test('unknown routes are 404 and wrong methods 405, in the Clerk envelope', async () => {
  assertClerkError(await ctx.raw('GET', '/v1/nothing-here'), 404, 'resource_not_found');
  assertClerkError(await ctx.raw('GET', '/v2/organizations'), 404, 'resource_not_found');
  const wrong = await ctx.raw('PUT', '/v1/organizations');
  assertClerkError(wrong, 405, 'method_not_allowed');
  assert.match(wrong.headers.get('allow'), /GET/);
});

test('HEAD answers like GET without a body', async () => {
  const res = await fetch(ctx.orgd.url + '/v1/organizations', {
    method: 'HEAD',
    headers: { authorization: `Bearer ${ctx.orgd.secretKey}` },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.equal(await res.text(), '');
});

test('keep-alive: many requests share connections', async () => {
  const results = await Promise.all(Array.from({ length: 50 }, () => raw(ctx.orgd, 'GET', '/v1/organizations?limit=1')));
  assert.ok(results.every(r => r.status === 200));
});

test('the SDK’s own requests pass through the contract check', async () => {
  const before = stats.checked;
  await ctx.clerk.organizations.getOrganizationList();
  assert.equal(stats.checked, before + 1);
});
