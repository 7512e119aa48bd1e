// What the SDK cannot send: bad keys, bad bodies, bad parameters. Every case gets Clerk's status
// and error code, and changes nothing (checked by reading back).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertClerkError, useOrgd } from '../lib/suite.js';

let target; // an organization every refused change is aimed at
const ctx = useOrgd({
  seed: async ctx => {
    target = (await ctx.raw('POST', '/v1/organizations', {
      json: { name: 'Target', slug: 'target', public_metadata: { v: 1 } },
    })).json;
  },
});

async function snapshot() {
  const list = await ctx.raw('GET', '/v1/organizations?limit=500');
  assert.equal(list.status, 200);
  return list.json;
}

// Runs `request`, checks the error, and checks that the stored organizations did not change.
async function refused(request, status, code, paramName) {
  const before = await snapshot();
  const res = await request();
  assertClerkError(res, status, code, paramName);
  assert.deepEqual(await snapshot(), before, 'a refused request changed stored data');
  return res;
}

describe('authentication', () => {
  const create = headers => () =>
    ctx.raw('POST', '/v1/organizations', { json: { name: 'Nope' }, headers, auth: false });
  test('no Authorization header is 401 authentication_invalid', () =>
    refused(create({}), 401, 'authentication_invalid'));
  test('a non-Bearer scheme is 401 authorization_header_format_invalid', () =>
    refused(create({ authorization: 'Basic dXNlcjpwYXNz' }), 401, 'authorization_header_format_invalid'));
  test('a wrong key is 401 clerk_key_invalid', async () => {
    await refused(create({ authorization: 'Bearer sk_test_' + 'x'.repeat(40) }), 401, 'clerk_key_invalid');
    const almost = ctx.orgd.secretKey.slice(0, -1) + (ctx.orgd.secretKey.endsWith('a') ? 'b' : 'a');
    await refused(create({ authorization: `Bearer ${almost}` }), 401, 'clerk_key_invalid');
    await refused(create({ authorization: `Bearer ${ctx.orgd.secretKey}x` }), 401, 'clerk_key_invalid');
  });
  test('reads need the key too', async () => {
    const res = await ctx.raw('GET', `/v1/organizations/${target.id}`, { auth: false });
    assertClerkError(res, 401, 'authentication_invalid');
  });
});

describe('request bodies', () => {
  const post = (body, headers = { 'content-type': 'application/json' }) => () =>
    ctx.raw('POST', '/v1/organizations', { body, headers });
  test('malformed JSON is 400 request_body_invalid', async () => {
    await refused(post('{"name": "x"'), 400, 'request_body_invalid');
    await refused(post('{"name": "x"} trailing'), 400, 'request_body_invalid');
    await refused(post('\xff\xfe'), 400, 'request_body_invalid');
  });
  test('a body that is not an object is 400 request_body_invalid', async () => {
    await refused(post('[{"name":"x"}]'), 400, 'request_body_invalid');
    await refused(post('"x"'), 400, 'request_body_invalid');
  });
  test('another content type is 415 unsupported_content_type', () =>
    refused(post('name=x', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_content_type'));
  test('a body over 1 MiB is 413 request_body_too_large', async () => {
    const huge = JSON.stringify({ name: 'Huge', public_metadata: { pad: 'x'.repeat(1024 * 1024) } });
    await refused(post(huge), 413, 'request_body_too_large');
  });
  test('an unknown field is 422 form_param_unknown', () =>
    refused(post(JSON.stringify({ name: 'X', colour: 'red' })), 422, 'form_param_unknown', 'colour'));
  test('wrong JSON types are 422 form_param_value_invalid', async () => {
    for (const [body, param] of [
      [{ name: 123 }, 'name'],
      [{ name: 'X', slug: ['a'] }, 'slug'],
      [{ name: 'X', max_allowed_memberships: '5' }, 'max_allowed_memberships'],
      [{ name: 'X', max_allowed_memberships: 2.5 }, 'max_allowed_memberships'],
      [{ name: 'X', public_metadata: 'plan=pro' }, 'public_metadata'],
      [{ name: 'X', private_metadata: [1] }, 'private_metadata'],
      [{ name: 'X', created_by: 42 }, 'created_by'],
    ]) {
      await refused(post(JSON.stringify(body)), 422, 'form_param_value_invalid', param);
    }
  });
});

describe('createOrganization parameters', () => {
  const create = json => () => ctx.raw('POST', '/v1/organizations', { json });
  test('name is required, at most 256 characters, without URLs or HTML', async () => {
    await refused(create({}), 422, 'form_param_missing', 'name');
    await refused(create({ name: '   ' }), 422, 'form_param_missing', 'name');
    await refused(create({ name: 'x'.repeat(257) }), 422, 'form_param_max_length_exceeded', 'name');
    await refused(create({ name: 'Visit https://evil.example' }), 422, 'form_param_value_invalid', 'name');
    await refused(create({ name: '<script>alert(1)</script>' }), 422, 'form_param_value_invalid', 'name');
  });
  test('slug must be lowercase alphanumerics and dashes', async () => {
    for (const slug of ['Upper', 'with space', 'under_score', 'dot.ted', 'ünï', '']) {
      await refused(create({ name: 'X', slug }), 422, 'form_param_format_invalid', 'slug');
    }
  });
  test('a taken slug is 422 form_identifier_exists', () =>
    refused(create({ name: 'Other', slug: 'target' }), 422, 'form_identifier_exists', 'slug'));
  test('created_by must look like a user ID and name an existing user', async () => {
    await refused(create({ name: 'X', created_by: 'bob' }), 422, 'form_param_format_invalid', 'created_by');
    await refused(create({ name: 'X', created_by: 'user_0000000000000000000000000000' }), 400,
      'organization_creator_not_found');
  });
  test('max_allowed_memberships must not be negative', () =>
    refused(create({ name: 'X', max_allowed_memberships: -1 }), 422, 'form_param_value_invalid', 'max_allowed_memberships'));
  test('created_at must be RFC 3339', async () => {
    for (const created_at of ['yesterday', '2024-13-01T00:00:00Z', '2024-01-01']) {
      await refused(create({ name: 'X', created_at }), 422, 'form_param_invalid_time', 'created_at');
    }
  });
  test('metadata over 8 KB is 422 form_param_exceeds_allowed_size', async () => {
    await refused(create({ name: 'X', public_metadata: { pad: 'x'.repeat(8200) } }), 422,
      'form_param_exceeds_allowed_size', 'public_metadata');
    await refused(create({ name: 'X', private_metadata: { pad: 'x'.repeat(8200) } }), 422,
      'form_param_exceeds_allowed_size', 'private_metadata');
  });
});

describe('updates', () => {
  const path = () => `/v1/organizations/${target.id}`;
  test('bad values on PATCH are refused and change nothing', async () => {
    await refused(() => ctx.raw('PATCH', path(), { json: { name: '' } }), 422, 'form_param_missing', 'name');
    await refused(() => ctx.raw('PATCH', path(), { json: { slug: 'Bad Slug' } }), 422, 'form_param_format_invalid', 'slug');
    await refused(() => ctx.raw('PATCH', path(), { json: { admin_delete_enabled: 'yes' } }), 422,
      'form_param_value_invalid', 'admin_delete_enabled');
    await refused(() => ctx.raw('PATCH', path(), { json: { max_allowed_memberships: -3 } }), 422,
      'form_param_value_invalid', 'max_allowed_memberships');
    await refused(() => ctx.raw('PATCH', path(), { json: { name: 'Fine', nickname: 'x' } }), 422,
      'form_param_unknown', 'nickname');
  });
  test('metadata on PATCH is refused from API version 2026-05-12 and replaces before it', async () => {
    await refused(
      () => ctx.raw('PATCH', path(), { json: { public_metadata: { v: 2 } }, headers: { 'clerk-api-version': '2026-05-12' } }),
      422, 'form_param_unknown', 'public_metadata');
    const old = await ctx.raw('PATCH', path(), {
      json: { public_metadata: { v: 2 } },
      headers: { 'clerk-api-version': '2025-11-10' },
    });
    assert.equal(old.status, 200);
    assert.deepEqual(old.json.public_metadata, { v: 2 });
    const restored = await ctx.raw('PUT', `${path()}/metadata`, { json: { public_metadata: { v: 1 } } });
    assert.deepEqual(restored.json.public_metadata, { v: 1 });
  });
  test('metadata endpoints refuse bad values and an oversize result', async () => {
    await refused(() => ctx.raw('PATCH', `${path()}/metadata`, { json: { public_metadata: 'x' } }), 422,
      'form_param_value_invalid', 'public_metadata');
    await refused(() => ctx.raw('PUT', `${path()}/metadata`, { json: { private_metadata: { p: 'x'.repeat(9000) } } }), 422,
      'form_param_exceeds_allowed_size', 'private_metadata');
    await refused(() => ctx.raw('PATCH', `${path()}/metadata`, { json: { unsafe_metadata: {} } }), 422,
      'form_param_unknown', 'unsafe_metadata');
  });
  test('unknown organizations are 404 resource_not_found on every route', async () => {
    const missing = '/v1/organizations/org_0000000000000000000000000000';
    for (const [method, suffix, json] of [
      ['GET', '', undefined], ['PATCH', '', { name: 'X' }], ['DELETE', '', undefined],
      ['PATCH', '/metadata', { public_metadata: {} }], ['PUT', '/metadata', { public_metadata: {} }],
      ['DELETE', '/logo', undefined],
    ]) {
      await refused(() => ctx.raw(method, missing + suffix, { json }), 404, 'resource_not_found');
    }
  });
});

describe('list parameters', () => {
  const list = query => () => ctx.raw('GET', `/v1/organizations?${query}`);
  test('limit outside 1–500 and bad offsets are 422', async () => {
    for (const [query, param] of [
      ['limit=0', 'limit'], ['limit=501', 'limit'], ['limit=abc', 'limit'], ['limit=-5', 'limit'],
      ['offset=-1', 'offset'], ['offset=x', 'offset'],
    ]) {
      await refused(list(query), 422, 'form_param_value_invalid', param);
    }
    assert.equal((await ctx.raw('GET', '/v1/organizations?limit=500')).status, 200);
    assert.equal((await ctx.raw('GET', '/v1/organizations?limit=1')).status, 200);
  });
  test('an unknown order_by is 422', () => refused(list('order_by=slug'), 422, 'form_param_value_invalid', 'order_by'));
  test('more than 100 organization_id values are refused', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `organization_id=org_${String(i).padStart(27, '0')}`).join('&');
    await refused(list(ids), 422, 'form_param_array_size_exceeded', 'organization_id');
  });
  test('more than 100 user_id values are refused', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `user_id=user_${String(i).padStart(27, '0')}`).join('&');
    await refused(list(ids), 422, 'form_param_array_size_exceeded', 'user_id');
  });
});

describe('API versions', () => {
  test('an unknown Clerk-API-Version is 400 api_version_invalid', async () => {
    const res = await ctx.raw('GET', '/v1/organizations', { headers: { 'clerk-api-version': '2019-01-01' } });
    assertClerkError(res, 400, 'api_version_invalid');
  });
  test('the SDK version 2026-05-12 is accepted in the header or the query', async () => {
    assert.equal((await ctx.raw('GET', '/v1/organizations', { headers: { 'clerk-api-version': '2026-05-12' } })).status, 200);
    assert.equal((await ctx.raw('GET', '/v1/organizations?__clerk_api_version=2026-05-12')).status, 200);
  });
});
