// The contract checker itself: the vendored contract matches the reference, and the checker
// refuses what breaks it (so a passing suite means something).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import {
  checkFrontendResponse, checkResponse, contractPath, findFrontendOperation, findOperation, frontendMethod,
} from '../lib/contract.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const referenceDir = join(repoRoot, '..', 'shared', 'reference', 'clerk-openapi');
const vendoredDir = dirname(contractPath);

// The Backend API contract (checked against in every suite), the Frontend API one (every answer
// of orgd's Frontend API is checked against it, lib/contract.js checkFrontendResponse) and the
// webhook one (lib/webhooks.js checks every delivery against it) must be the reference's copies.
for (const name of ['bapi-organizations.yml', 'fapi-organizations.yml', 'webhooks-organizations.yml']) {
  test(`the vendored ${name} is the reference contract`, t => {
    const reference = join(referenceDir, name);
    if (!existsSync(reference)) {
      t.skip(`no reference checkout at ${reference}`);
      return;
    }
    assert.equal(readFileSync(join(vendoredDir, name), 'utf8'), readFileSync(reference, 'utf8'),
      `tests/compat/contract/${name} differs from the reference: copy it again`);
  });
}

const org = {
  object: 'organization', id: 'org_2g7np7Hrk0SN6kj5EDMLDaKNL0S', name: 'Acme', slug: 'acme',
  image_url: 'http://127.0.0.1/images/x', has_image: false, max_allowed_memberships: 5,
  admin_delete_enabled: true, public_metadata: {}, private_metadata: {}, created_at: 1, updated_at: 1,
};
const check = (method, pathname, status, body, contentType = 'application/json') =>
  checkResponse({ method, pathname, status, contentType, body: JSON.stringify(body) });

test('routes resolve to the contract operations', () => {
  assert.equal(findOperation('GET', '/v1/organizations').op.operationId, 'ListOrganizations');
  assert.equal(findOperation('GET', '/v1/organizations/acme').op.operationId, 'GetOrganization');
  assert.equal(findOperation('PUT', '/v1/organizations/org_1/logo').op.operationId, 'UploadOrganizationLogo');
  assert.equal(findOperation('GET', '/v1/organizations/org_1/logo'), null);
});

test('conforming responses pass', () => {
  assert.deepEqual(check('POST', '/v1/organizations', 200, org), []);
  assert.deepEqual(check('GET', '/v1/organizations', 200, { data: [org], total_count: 1 }), []);
  assert.deepEqual(check('DELETE', '/v1/organizations/x', 200, { object: 'organization', id: 'x', slug: 'acme', deleted: true }), []);
  assert.deepEqual(check('GET', '/v1/organizations/x', 404, {
    errors: [{ message: 'not found', long_message: 'Not found.', code: 'resource_not_found', meta: {} }],
    clerk_trace_id: 'req_1',
  }), []);
});

test('violations are reported', () => {
  assert.equal(check('POST', '/v1/organizations', 200, { ...org, name: 7 }).length > 0, true);
  assert.equal(check('POST', '/v1/organizations', 200, { ...org, has_image: undefined }).length > 0, true);
  assert.equal(check('GET', '/v1/organizations', 200, { data: [org] }).length > 0, true);
  assert.equal(check('GET', '/v1/organizations', 200, { data: [], total_count: 0 }, 'application/json; charset=utf-8').length > 0, true);
  assert.equal(check('GET', '/v1/organizations/x', 404, { errors: [{ message: 'x' }] }).length > 0, true);
  assert.equal(check('GET', '/v1/organizations/x', 404, { error: 'x' }).length > 0, true);
  assert.equal(check('GET', '/v1/unknown', 200, {}).length > 0, true);
  assert.equal(check('POST', '/v1/organizations', 201, org).length > 0, true);
});

// orgd's own routes are checked against contract/orgd-extensions.yml.
const endpoint = {
  object: 'webhook_endpoint', id: 'whe_2g7np7Hrk0SN6kj5EDMLDaKNL0S', url: 'https://hooks.example.com/clerk', description: null,
  events: [], disabled: false, disabled_reason: null, static: false, created_at: 1, updated_at: 1,
};
const message = {
  object: 'webhook_message', id: 'msg_2g7np7Hrk0SN6kj5EDMLDaKNL0S', endpoint_id: endpoint.id, event_id: 'evt_1',
  event_type: 'organization.created', status: 'pending', attempts: 1, last_response_code: 500, last_error: null,
  next_attempt_at: 2, delivered_at: null, created_at: 1, updated_at: 1,
};
const event = {
  object: 'event', id: 'evt_1', cursor: '1', type: 'organization.created', data: org, timestamp: 1716883200000,
  instance_id: 'ins_2g7np7Hrk0SN6kj5EDMLDaKNL0S', event_attributes: { http_request: { client_ip: '127.0.0.1', user_agent: 'x' } },
};

test('orgd extension routes resolve to orgd-extensions.yml', () => {
  assert.equal(findOperation('GET', '/v1/webhook_endpoints').op.operationId, 'ListWebhookEndpoints');
  assert.equal(findOperation('POST', '/v1/webhook_endpoints/whe_1/rotate_secret').op.operationId, 'RotateWebhookEndpointSecret');
  assert.equal(findOperation('POST', '/v1/webhook_endpoints/whe_1/messages/msg_1/retry').op.operationId, 'RetryWebhookMessage');
  assert.equal(findOperation('GET', '/v1/events').op.operationId, 'ListEvents');
});

test('orgd extension responses are checked: conforming ones pass, others are violations', () => {
  assert.deepEqual(check('POST', '/v1/webhook_endpoints', 200, { ...endpoint, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }), []);
  assert.deepEqual(check('GET', '/v1/webhook_endpoints/whe_1', 200, endpoint), []);
  assert.deepEqual(check('GET', '/v1/webhook_endpoints', 200, { data: [endpoint], total_count: 1 }), []);
  assert.deepEqual(check('DELETE', '/v1/webhook_endpoints/whe_1', 200, { object: 'webhook_endpoint', id: 'whe_1', deleted: true }), []);
  assert.deepEqual(check('GET', '/v1/webhook_endpoints/whe_1/messages', 200, { data: [message], total_count: 1 }), []);
  assert.deepEqual(check('POST', '/v1/webhook_endpoints/whe_1/recover', 200,
    { object: 'webhook_recovery', endpoint_id: 'whe_1', since: 1, messages_queued: 0 }), []);
  assert.deepEqual(check('GET', '/v1/events', 200, { data: [event], next_cursor: '1' }), []);
  // The secret is shown on create and rotate only.
  assert.equal(check('GET', '/v1/webhook_endpoints/whe_1', 200, { ...endpoint, secret: 'whsec_AAAA' }).length > 0, true);
  assert.equal(check('GET', '/v1/webhook_endpoints', 200, { data: [{ ...endpoint, secret: 'whsec_AAAA' }], total_count: 1 }).length > 0, true);
  assert.equal(check('POST', '/v1/webhook_endpoints', 200, endpoint).length > 0, true);
  assert.equal(check('GET', '/v1/webhook_endpoints/whe_1/messages', 200, { data: [{ ...message, status: 'lost' }], total_count: 1 }).length > 0, true);
  assert.equal(check('GET', '/v1/events', 200, { data: [{ ...event, cursor: 1 }], next_cursor: '1' }).length > 0, true);
  assert.equal(check('GET', '/v1/events', 200, { data: [event] }).length > 0, true);
  assert.equal(check('GET', '/v1/webhook_endpoints/whe_1/unknown', 200, {}).length > 0, true);
});

// The Frontend API check (lib/contract.js checkFrontendResponse) against fapi-organizations.yml.
const fapiOrg = {
  object: 'organization', id: 'org_2g7np7Hrk0SN6kj5EDMLDaKNL0S', name: 'Acme', slug: 'acme', image_url: 'http://127.0.0.1/images/x',
  has_image: false, max_allowed_memberships: 5, admin_delete_enabled: true, public_metadata: {}, created_at: 1, updated_at: 1,
};
const fapiClient = {
  object: 'client', id: 'client_2g7np7Hrk0SN6kj5EDMLDaKNL0S', sessions: [], sign_in: null, sign_up: null, last_active_session_id: null,
  last_authentication_strategy: null, cookie_expires_at: null, captcha_bypass: false, created_at: 1, updated_at: 1,
};
const fcheck = (method, pathname, status, body, contentType = 'application/json') =>
  checkFrontendResponse({ method, pathname, status, contentType, body: typeof body === 'string' ? body : JSON.stringify(body) });

test('Frontend API routes resolve to fapi-organizations.yml operations; _method names the method', () => {
  assert.equal(findFrontendOperation('GET', '/v1/organizations/org_1').op.operationId, 'getOrganization');
  assert.equal(findFrontendOperation('PATCH', '/v1/organizations/org_1').op.operationId, 'updateOrganization');
  assert.equal(findFrontendOperation('POST', '/v1/organizations/org_1/invitations/bulk').op.operationId, 'bulkCreateOrganizationInvitations');
  assert.equal(findFrontendOperation('POST', '/v1/client/sessions/sess_1/touch').op.operationId, 'touchSession');
  assert.equal(findFrontendOperation('DELETE', '/v1/client/sessions').op.operationId, 'removeClientSessionsAndRetainCookie');
  assert.equal(findFrontendOperation('GET', '/v1/organizations/org_1/logo'), null);
  assert.equal(frontendMethod('POST', '?_method=PATCH&x=1'), 'PATCH');
  assert.equal(frontendMethod('POST', '?x=1'), 'POST');
  assert.equal(frontendMethod('GET', ''), 'GET');
});

test('conforming Frontend API answers pass', () => {
  assert.deepEqual(fcheck('POST', '/v1/organizations', 200, { response: fapiOrg, client: fapiClient }), []);
  assert.deepEqual(fcheck('GET', '/v1/organizations/org_1', 200, { response: fapiOrg, client: null }), []);
  assert.deepEqual(fcheck('GET', '/v1/client', 200, { response: null, client: null }), []);
  assert.deepEqual(fcheck('GET', '/v1/client', 200, { response: fapiClient, client: null }), []);
  assert.deepEqual(fcheck('POST', '/v1/client/sessions/sess_1/tokens', 200, { object: 'token', jwt: 'a.b.c' }), []);
  assert.deepEqual(fcheck('GET', '/v1/organizations/org_1/domains', 200, { response: { data: [], total_count: 0 }, client: null }), []);
  assert.deepEqual(fcheck('DELETE', '/v1/organizations/org_1', 200,
    { response: { object: 'organization', id: 'org_1', deleted: true }, client: fapiClient }), []);
  assert.deepEqual(fcheck('GET', '/v1/organizations/org_1', 404, {
    errors: [{ message: 'not found', long_message: 'Not found.', code: 'organization_not_found_or_unauthorized' }],
  }), []);
  assert.deepEqual(fcheck('OPTIONS', '/v1/organizations', 204, ''), []);
});

test('Frontend API violations are reported', () => {
  // A GET answers client: null (clerk-js would replace its state).
  assert.ok(fcheck('GET', '/v1/organizations/org_1', 200, { response: fapiOrg, client: fapiClient }).length > 0);
  // A mutation answers the client the contract requires.
  assert.ok(fcheck('PATCH', '/v1/organizations/org_1', 200, { response: fapiOrg, client: null }).length > 0);
  // private_metadata anywhere.
  assert.ok(fcheck('GET', '/v1/organizations/org_1', 200, { response: { ...fapiOrg, private_metadata: {} }, client: null })
    .some(p => /private_metadata/.test(p)));
  assert.ok(fcheck('GET', '/v1/organizations/org_1', 404, { errors: [{ message: 'x', long_message: 'x', code: 'x', meta: { private_metadata: 1 } }] })
    .some(p => /private_metadata/.test(p)));
  // Not the envelope, an extra key, a bad part, a bare list.
  assert.ok(fcheck('GET', '/v1/organizations/org_1', 200, fapiOrg).length > 0);
  assert.ok(fcheck('GET', '/v1/organizations/org_1', 200, { response: fapiOrg, client: null, meta: {} }).length > 0);
  assert.ok(fcheck('GET', '/v1/organizations/org_1', 200, { response: { ...fapiOrg, name: 7 }, client: null }).length > 0);
  assert.ok(fcheck('GET', '/v1/organizations/org_1/roles', 200, { response: [], client: null }).length > 0);
  // Content type, undocumented status, unknown path, error without errors[].
  assert.ok(fcheck('GET', '/v1/organizations/org_1', 200, { response: fapiOrg, client: null }, 'application/json; charset=utf-8').length > 0);
  assert.ok(fcheck('POST', '/v1/organizations', 201, { response: fapiOrg, client: fapiClient }).length > 0);
  assert.ok(fcheck('GET', '/v1/nowhere', 200, { response: null, client: null }).length > 0);
  assert.ok(fcheck('GET', '/v1/organizations/org_1', 404, { error: 'x' }).length > 0);
  assert.ok(fcheck('DELETE', '/v1/client', 204, '{}').length > 0);
});

test('DELETE …/logo may answer the Organization clerk-js builds from it, or the spec’s DeletedObject', () => {
  assert.deepEqual(fcheck('DELETE', '/v1/organizations/org_1/logo', 200, { response: fapiOrg, client: fapiClient }), []);
  assert.deepEqual(fcheck('DELETE', '/v1/organizations/org_1/logo', 200,
    { response: { object: 'organization', id: 'org_1', deleted: true }, client: fapiClient }), []);
  assert.ok(fcheck('DELETE', '/v1/organizations/org_1/logo', 200, { response: { ...fapiOrg, name: 7 }, client: fapiClient }).length > 0);
});
