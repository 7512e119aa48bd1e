// The contract checker itself: the vendored contract matches the reference, and the checker
// refuses what breaks it (so a passing suite means something).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { checkResponse, contractPath, findOperation } from '../lib/contract.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const referenceDir = join(repoRoot, '..', 'shared', 'reference', 'clerk-openapi');
const vendoredDir = dirname(contractPath);

// The Backend API contract (checked against in every suite), the Frontend API one (vendored for
// the Frontend API work) and the webhook one (lib/webhooks.js checks every delivery against it)
// must be the reference's copies.
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
