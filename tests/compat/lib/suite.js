// What every test file shares: one orgd per file (started in before(), stopped with SIGTERM in
// after(), which must end it with exit code 0), the real SDK client pointed at it, a raw HTTP
// helper for what the SDK cannot send, and the contract check on every response.
import assert from 'node:assert/strict';
import { after, afterEach, before } from 'node:test';
import { installContractCheck, violations } from './contract.js';
import { startOrgd } from './orgd.js';

installContractCheck();
// The SDK binds fetch when it is first loaded, so it is imported after the check is installed.
const { createClerkClient } = await import('@clerk/backend');

export function clerkFor(orgd, secretKey = orgd.secretKey) {
  return createClerkClient({ secretKey, apiUrl: orgd.url });
}

// A raw request to orgd. `json` is serialized with Content-Type: application/json; `body` is sent
// as is. Resolves with { status, headers, text, json }.
export async function raw(orgd, method, path, { json, body, headers = {}, auth = true } = {}) {
  const h = new Headers(headers);
  if (auth && !h.has('authorization')) h.set('authorization', `Bearer ${orgd.secretKey}`);
  if (json !== undefined) {
    h.set('content-type', 'application/json');
    body = JSON.stringify(json);
  }
  const res = await fetch(orgd.url + path, { method, headers: h, body });
  const text = await res.text();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: parsed };
}

// Asserts a Clerk error envelope with this status and code (and param_name when given).
export function assertClerkError(res, status, code, paramName) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${res.text}`);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.equal(res.json.errors.length, 1, res.text);
  const [error] = res.json.errors;
  assert.equal(error.code, code, res.text);
  assert.ok(error.message.length > 0);
  assert.ok(error.long_message.length > 0);
  assert.equal(typeof res.json.clerk_trace_id, 'string');
  if (paramName !== undefined) assert.equal(error.meta?.param_name, paramName, res.text);
}

// Asserts that an SDK call failed with a ClerkAPIResponseError of this status and code.
export async function assertSdkError(promise, status, code) {
  await assert.rejects(promise, err => {
    assert.equal(err.status, status, `expected ${status}, got ${err.status}: ${JSON.stringify(err.errors)}`);
    assert.equal(err.errors?.[0]?.code, code, JSON.stringify(err.errors));
    return true;
  });
}

// The keys a live organization may carry: the contract's Organization schema.
export const ORGANIZATION_KEYS = new Set([
  'object', 'id', 'name', 'slug', 'image_url', 'has_image', 'members_count',
  'missing_member_with_elevated_permissions', 'pending_invitations_count', 'max_allowed_memberships',
  'admin_delete_enabled', 'public_metadata', 'private_metadata', 'created_by', 'created_at',
  'updated_at', 'last_active_at', 'role_set_key',
]);

export function assertOrganizationJson(org) {
  for (const key of Object.keys(org)) {
    assert.ok(ORGANIZATION_KEYS.has(key) || key === 'logo_url', `unexpected key ${key} in ${JSON.stringify(org)}`);
  }
  assert.equal(org.object, 'organization');
  assert.match(org.id, /^org_[0-9A-Za-z]{27}$/);
  assert.ok(!('deleted' in org), 'a live organization has no deleted key');
}

// Starts one orgd for the calling test file. The returned object is filled in before() runs;
// `seed(ctx)`, when given, runs right after start (top-level before() hooks of one file are not
// ordered reliably on Node 20, so a file seeds data through this instead of its own hook).
export function useOrgd({ seed, ...options } = {}) {
  const ctx = {};
  before(async () => {
    ctx.orgd = await startOrgd(options);
    ctx.clerk = clerkFor(ctx.orgd);
    ctx.raw = (method, path, opts) => raw(ctx.orgd, method, path, opts);
    if (seed) await seed(ctx);
  });
  afterEach(() => {
    const found = violations.splice(0);
    assert.deepEqual(found, [], 'responses that break the OpenAPI contract');
  });
  after(async () => {
    const { code, signal, stderr } = await ctx.orgd.stop('SIGTERM');
    assert.equal(signal, null, `orgd died of ${signal}:\n${stderr}`);
    assert.equal(code, 0, `orgd exited with ${code} after SIGTERM:\n${stderr}`);
  });
  return ctx;
}
