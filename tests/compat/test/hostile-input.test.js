// Hostile and careless input at the API (issue 12, items 2, 9 and 10): numbers JSON cannot hold,
// integers written as decimals, control characters in names, and metadata strings with control
// characters through the documented SQLite backup. Every refused request changes nothing (read
// back), and every answer is JSON.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { newDataDir, removeDataDir, startOrgd, storeKind } from '../lib/orgd.js';
import { assertClerkError, raw, useOrgd } from '../lib/suite.js';

let org; // the organization every refused change is aimed at
let user; // a user, member of `org`
let role; // a custom role
let permission; // a custom permission
const ctx = useOrgd({
  seed: async ctx => {
    org = (await ctx.raw('POST', '/v1/organizations', {
      json: { name: 'Target', slug: 'target', public_metadata: { v: 1 }, private_metadata: { p: 1 } },
    })).json;
    user = (await ctx.raw('POST', '/v1/users', {
      json: { email_address: ['target@acme.com'], first_name: 'Tara', public_metadata: { u: 1 } },
    })).json;
    const m = await ctx.raw('POST', `/v1/organizations/${org.id}/memberships`, {
      json: { user_id: user.id, role: 'org:admin', public_metadata: { m: 1 } },
    });
    assert.equal(m.status, 200, m.text);
    permission = (await ctx.raw('POST', '/v1/organization_permissions', {
      json: { name: 'Read widgets', key: 'org:widgets:read', description: 'Reads widgets' },
    })).json;
    role = (await ctx.raw('POST', '/v1/organization_roles', {
      json: { name: 'Widget reader', key: 'org:widget_reader', description: 'Reads widgets' },
    })).json;
    assert.ok(org.id && user.id && permission.id && role.id, 'seed failed');
  },
});

// Everything a refused request could have touched.
async function snapshot() {
  const parts = {};
  for (const [name, path] of [
    ['organizations', '/v1/organizations?limit=500'],
    ['users', '/v1/users?limit=500'],
    ['memberships', `/v1/organizations/${org.id}/memberships?limit=500`],
    ['roles', '/v1/organization_roles?limit=500'],
    ['permissions', '/v1/organization_permissions?limit=500'],
    ['settings', '/v1/instance/organization_settings'],
  ]) {
    const res = await ctx.raw('GET', path);
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    parts[name] = res.json;
  }
  return parts;
}

// Runs `request`, checks the error, and checks that nothing stored changed.
async function refused(request, status, code, paramName) {
  const before = await snapshot();
  const res = await request();
  assertClerkError(res, status, code, paramName);
  assert.deepEqual(await snapshot(), before, 'a refused request changed stored data');
  return res;
}

// A raw JSON body, for what JSON.stringify cannot write (1e400).
const send = (method, path, body) => () =>
  ctx.raw(method, path, { body, headers: { 'content-type': 'application/json' } });

describe('numbers beyond a double (item 2)', () => {
  const huge = ['1e400', '-1e400', '9'.repeat(400), '-' + '9'.repeat(400), '1E+400'];
  // [method, path, extra JSON members before the metadata field, metadata fields]
  const targets = () => [
    ['POST', '/v1/organizations', '"name":"Poisoned",', ['public_metadata', 'private_metadata']],
    ['PATCH', `/v1/organizations/${org.id}`, '', ['public_metadata', 'private_metadata']],
    ['PATCH', `/v1/organizations/${org.id}/metadata`, '', ['public_metadata', 'private_metadata']],
    ['PUT', `/v1/organizations/${org.id}/metadata`, '', ['public_metadata', 'private_metadata']],
    ['POST', '/v1/users', '"email_address":["poison@acme.com"],',
      ['public_metadata', 'private_metadata', 'unsafe_metadata']],
    ['PATCH', `/v1/users/${user.id}`, '', ['public_metadata', 'private_metadata', 'unsafe_metadata']],
    ['PATCH', `/v1/users/${user.id}/metadata`, '', ['public_metadata', 'private_metadata', 'unsafe_metadata']],
    ['PUT', `/v1/users/${user.id}/metadata`, '', ['public_metadata', 'private_metadata', 'unsafe_metadata']],
    ['PATCH', `/v1/organizations/${org.id}/memberships/${user.id}/metadata`, '',
      ['public_metadata', 'private_metadata']],
  ];

  test('every metadata field on every write refuses them with 422 form_param_value_invalid', async () => {
    for (const [method, path, extra, fields] of targets()) {
      for (const field of fields) {
        for (const n of huge) {
          const body = `{${extra}"${field}":{"ok":1,"deep":[{"n":${n}}]}}`;
          const res = await refused(send(method, path, body), 422, 'form_param_value_invalid', field);
          assert.doesNotMatch(res.text, /Infinity|NaN/);
        }
      }
    }
  });

  test('a new membership refuses them too', async () => {
    const other = (await ctx.raw('POST', '/v1/users', { json: { email_address: ['other@acme.com'] } })).json;
    for (const field of ['public_metadata', 'private_metadata']) {
      const body = `{"user_id":"${other.id}","role":"org:member","${field}":{"n":1e400}}`;
      await refused(send('POST', `/v1/organizations/${org.id}/memberships`, body), 422,
        'form_param_value_invalid', field);
    }
    await ctx.raw('DELETE', `/v1/users/${other.id}`);
  });

  test('the largest finite double and numbers in strings are fine, and every read still answers', async () => {
    const res = await send('PATCH', `/v1/organizations/${org.id}/metadata`,
      '{"public_metadata":{"max":1.7976931348623157e308,"s":"1e400","t":"Infinity"}}')();
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.public_metadata.max, 1.7976931348623157e308);
    assert.equal(res.json.public_metadata.s, '1e400');
    for (const path of [`/v1/organizations/${org.id}`, '/v1/organizations', `/v1/users/${user.id}`]) {
      const read = await ctx.raw('GET', path);
      assert.equal(read.status, 200, `${path}: ${read.text}`);
      assert.ok(read.json !== undefined, `${path} answered non-JSON: ${read.text}`);
    }
    const undo = await ctx.raw('PUT', `/v1/organizations/${org.id}/metadata`, { json: { public_metadata: { v: 1 } } });
    assert.equal(undo.status, 200, undo.text);
  });
});

describe('integers written with a fraction or an exponent (item 9)', () => {
  const notIntegers = ['1e2', '3.0', '1E1', '2.5', '"5"'];

  test('max_allowed_memberships on create and update', async () => {
    for (const n of notIntegers) {
      await refused(send('POST', '/v1/organizations', `{"name":"Decimal","max_allowed_memberships":${n}}`), 422,
        'form_param_value_invalid', 'max_allowed_memberships');
      await refused(send('PATCH', `/v1/organizations/${org.id}`, `{"max_allowed_memberships":${n}}`), 422,
        'form_param_value_invalid', 'max_allowed_memberships');
    }
  });

  test("users' create_organizations_limit on create and update", async () => {
    for (const n of notIntegers) {
      await refused(send('POST', '/v1/users', `{"email_address":["dec@acme.com"],"create_organizations_limit":${n}}`),
        422, 'form_param_value_invalid', 'create_organizations_limit');
      await refused(send('PATCH', `/v1/users/${user.id}`, `{"create_organizations_limit":${n}}`), 422,
        'form_param_value_invalid', 'create_organizations_limit');
    }
  });

  test("the instance settings' limits", async () => {
    for (const field of ['max_allowed_memberships', 'max_allowed_roles', 'max_allowed_domains']) {
      for (const n of notIntegers) {
        await refused(send('PATCH', '/v1/instance/organization_settings', `{"${field}":${n}}`), 422,
          'form_param_value_invalid', field);
      }
    }
  });

  test('integer literals still work', async () => {
    const res = await send('PATCH', `/v1/organizations/${org.id}`, '{"max_allowed_memberships":100}')();
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.max_allowed_memberships, 100);
  });
});

describe('control characters in names (item 10)', () => {
  // NUL, other C0 (tab and newline included), DEL, and C1 (U+0085, U+009F).
  const dirty = ['a\u0000b', 'a\u0001b', 'a\tb', 'a\nb', 'a\u001fb', 'a\u007fb', 'a\u0085b', 'a\u009fb'];

  test('organization names on create and update', async () => {
    for (const name of dirty) {
      await refused(() => ctx.raw('POST', '/v1/organizations', { json: { name } }), 422,
        'form_param_format_invalid', 'name');
      await refused(() => ctx.raw('PATCH', `/v1/organizations/${org.id}`, { json: { name } }), 422,
        'form_param_format_invalid', 'name');
    }
  });

  test("users' first_name, last_name and external_id on create and update; usernames", async () => {
    for (const value of dirty) {
      for (const field of ['first_name', 'last_name', 'external_id']) {
        await refused(() => ctx.raw('POST', '/v1/users', { json: { email_address: ['ctl@acme.com'], [field]: value } }),
          422, 'form_param_format_invalid', field);
        await refused(() => ctx.raw('PATCH', `/v1/users/${user.id}`, { json: { [field]: value } }), 422,
          'form_param_format_invalid', field);
      }
      // Usernames already allow only letters, digits, '_', '-' and '.' (their own error code).
      await refused(() => ctx.raw('POST', '/v1/users', { json: { username: `user${value}name` } }), 422,
        'form_username_invalid_character', 'username');
    }
  });

  test('role and permission names, descriptions and keys on create and update', async () => {
    for (const value of dirty) {
      for (const [path, key] of [['/v1/organization_roles', 'org:ctl'], ['/v1/organization_permissions', 'org:ctl:read']]) {
        await refused(() => ctx.raw('POST', path, { json: { name: value, key } }), 422, 'form_param_format_invalid', 'name');
        await refused(() => ctx.raw('POST', path, { json: { name: 'Fine', key, description: value } }), 422,
          'form_param_format_invalid', 'description');
        await refused(() => ctx.raw('POST', path, { json: { name: 'Fine', key: key + value } }), 422,
          'form_param_format_invalid', 'key');
      }
      for (const path of [`/v1/organization_roles/${role.id}`, `/v1/organization_permissions/${permission.id}`]) {
        await refused(() => ctx.raw('PATCH', path, { json: { name: value } }), 422, 'form_param_format_invalid', 'name');
        await refused(() => ctx.raw('PATCH', path, { json: { description: value } }), 422,
          'form_param_format_invalid', 'description');
      }
    }
  });

  test('names in other scripts, with symbols and emoji, are fine; surrounding whitespace is trimmed', async () => {
    const res = await ctx.raw('POST', '/v1/organizations', { json: { name: '\n Café ©\u00a0株式会社 🚀\t' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.name, 'Café ©\u00a0株式会社 🚀');
    assert.equal((await ctx.raw('DELETE', `/v1/organizations/${res.json.id}`)).status, 200);
  });
});

// Every C0 control, DEL, C1 controls, a line and paragraph separator, a BOM, and a key with a NUL.
const CONTROL_METADATA = {
  all_c0: Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join(''),
  nul: 'before\u0000after',
  del_c1: '\u007f\u0080\u0085\u009f',
  separators: '\u2028\u2029\ufeff',
  'key\u0000with\u0001controls': ['\u0000', { '\u0000': '\u0000' }],
};

describe('metadata keeps control characters (item 10)', () => {
  test('through the API, read back equal', async () => {
    const created = await ctx.raw('POST', '/v1/organizations', {
      json: { name: 'Controls', public_metadata: CONTROL_METADATA, private_metadata: { nul: '\u0000' } },
    });
    assert.equal(created.status, 200, created.text);
    assert.deepEqual(created.json.public_metadata, CONTROL_METADATA);
    const read = await ctx.raw('GET', `/v1/organizations/${created.json.id}`);
    assert.deepEqual(read.json.public_metadata, CONTROL_METADATA);
    assert.deepEqual(read.json.private_metadata, { nul: '\u0000' });
    assert.equal((await ctx.raw('DELETE', `/v1/organizations/${created.json.id}`)).status, 200);
  });
});

test('the documented SQLite backup keeps metadata with control characters intact', { skip: storeKind() !== 'sqlite' }, async () => {
  const dataDir = newDataDir();
  const restoreDir = newDataDir();
  try {
    const secretKeys = [ctx.orgd.secretKey];
    const live = await startOrgd({ dataDir, secretKeys });
    let created;
    let member;
    try {
      created = (await raw(live, 'POST', '/v1/organizations', {
        json: { name: 'Backed up', public_metadata: CONTROL_METADATA, private_metadata: { nul: 'a\u0000b' } },
      })).json;
      assert.deepEqual(created.public_metadata, CONTROL_METADATA);
      const u = (await raw(live, 'POST', '/v1/users', {
        json: { email_address: ['backup@acme.com'], unsafe_metadata: CONTROL_METADATA },
      })).json;
      member = (await raw(live, 'POST', `/v1/organizations/${created.id}/memberships`, {
        json: { user_id: u.id, role: 'org:member', public_metadata: CONTROL_METADATA },
      })).json;
      assert.deepEqual(member.public_metadata, CONTROL_METADATA);
      created = (await raw(live, 'GET', `/v1/organizations/${created.id}`)).json;
      // The stored text escapes the NUL: no raw NUL byte reaches the database.
      const db = join(dataDir, 'orgd.db');
      const nuls = execFileSync('sqlite3', [db,
        "SELECT count(*) FROM organizations WHERE instr(public_metadata, char(0)) > 0 OR instr(private_metadata, char(0)) > 0"],
      { encoding: 'utf8' });
      assert.equal(nuls.trim(), '0');
      // docs/DEPLOYING.md, "Backups (SQLite)", against the live database.
      const backup = join(restoreDir, 'backup.db');
      execFileSync('sqlite3', [db, `.backup '${backup}'`]);
      // Restore: the copy in place in an empty data directory, then start orgd on it.
      mkdirSync(restoreDir, { recursive: true });
      copyFileSync(backup, join(restoreDir, 'orgd.db'));
    } finally {
      const { code } = await live.stop('SIGTERM');
      assert.equal(code, 0);
    }
    const restored = await startOrgd({ dataDir: restoreDir, secretKeys });
    try {
      const org = await raw(restored, 'GET', `/v1/organizations/${created.id}`);
      assert.equal(org.status, 200, org.text);
      // image_url names the serving node's address, which differs between the two processes.
      const withoutHost = o => ({ ...o, image_url: new URL(o.image_url).pathname });
      assert.deepEqual(withoutHost(org.json), withoutHost(created));
      const members = await raw(restored, 'GET', `/v1/organizations/${created.id}/memberships`);
      assert.equal(members.status, 200, members.text);
      assert.deepEqual(members.json.data[0].public_metadata, CONTROL_METADATA);
      const u = await raw(restored, 'GET', `/v1/users/${member.public_user_data.user_id}`);
      assert.deepEqual(u.json.unsafe_metadata, CONTROL_METADATA);
    } finally {
      const { code } = await restored.stop('SIGTERM');
      assert.equal(code, 0);
    }
  } finally {
    removeDataDir(dataDir);
    removeDataDir(restoreDir);
  }
});
