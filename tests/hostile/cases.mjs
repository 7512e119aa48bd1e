// The hostile corpus: for every route, a well-formed request (the "base", aimed at real seeded
// objects, that orgd would carry out) with exactly one thing made hostile. Every case is one orgd
// must refuse with a 4xx whatever the handler does, so the answer and the unchanged database can
// both be checked:
//   - transport: framing, header and request-line damage, oversize heads and bodies (any route);
//   - method: a method the path does not serve, or a bad `_method` (any route);
//   - path: a hostile value in place of one real path ID (routes with placeholders);
//   - auth / version: bad secret keys, bad API versions (Backend API routes that need the key);
//   - gate: bad cookies, sessions, native credentials (Frontend API routes that need a session),
//     bad Origins (every state-changing Frontend API request);
//   - query: values the route's own query readers must refuse (routes that read the query);
//   - body: broken, deep, mistyped, oversize, look-alike and badly encoded bodies, wrong content
//     types, bad multipart (routes whose handler reads a body; the field list is the handler's).
// The corpus is deterministic for a seed (`rng`): the same seed and the same seeded state give
// the same requests, in the same order, with the same names.
import { deflateSync } from 'node:zlib';
import { requestBytes } from './wire.mjs';

export const FAPI_API_VERSION = '2026-08-20';
export const JS_VERSION = '6.40.0';
export const BAPI_VERSION = '2026-05-12';
const MiB = 1024 * 1024;

// mulberry32: a small seeded PRNG, enough to pick variants and junk deterministically.
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: n => Math.floor(next() * n),
    pick: list => list[Math.floor(next() * list.length)],
    junk: (n, alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') =>
      Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
  };
}

const latin1 = s => Buffer.from(s, 'latin1');

// `s` with its first Latin letter after `from` that has a Cyrillic twin replaced by the twin (a
// random credential may lack any given letter; a digit gets the fullwidth digit instead).
const TWINS = { a: 'а', c: 'с', e: 'е', o: 'о', p: 'р', x: 'х', y: 'у', A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', K: 'К', M: 'М', O: 'О', P: 'Р', T: 'Т', X: 'Х' };
function cyrillicTwin(s, from = 0) {
  for (let i = from; i < s.length; i++) {
    if (TWINS[s[i]]) return s.slice(0, i) + TWINS[s[i]] + s.slice(i + 1);
    if (/[0-9]/.test(s[i])) return s.slice(0, i) + String.fromCodePoint(0xff10 + Number(s[i])) + s.slice(i + 1);
  }
  throw new Error(`no letter to replace in ${s}`);
}
const bytes = (...xs) => Buffer.concat(xs.map(x => (Buffer.isBuffer(x) ? x : Array.isArray(x) ? Buffer.from(x) : Buffer.from(x, 'utf8'))));

// ---------------------------------------------------------------------------------------------
// Hostile values.

// In place of a path ID. Percent-encoded as a raw path segment: orgd decodes each placeholder
// segment once. None decodes to a real ID (an encoded real ID is the same request, legitimately).
function hostileIds(real, r) {
  const mid = Math.floor(real.length / 2);
  const at = (s, i, ins) => s.slice(0, i) + ins + s.slice(i);
  return [
    ['dotdot', '..'], ['dot', '.'], ['enc-dotdot', '%2e%2e'], ['enc-dotdot-upper', '%2E%2E'],
    ['traversal', '..%2f..%2f..%2fetc%2fpasswd'], ['enc-traversal', '%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
    ['double-enc', '%252e%252e%252f%252e%252e%252f'], ['double-enc-slash', `..%252f${real}`],
    ['enc-slash', '%2f'], ['enc-slash-suffix', `${real}%2f..`], ['backslash', '..%5c..%5cwindows%5cwin.ini'],
    ['overlong-dot', '%c0%ae%c0%ae%c0%af'], ['sql-or', "'%20OR%201=1%20--"], ['sql-or-quote', "x'%20OR%20'1'='1"],
    ['sql-drop', '%27%3B%20DROP%20TABLE%20organizations%3B%20--'], ['sql-suffix', `${real}'%20OR%20'1'='1`],
    ['sql-semicolon', `${real}%3BDELETE%20FROM%20users`], ['sql-comment', `${real}--`], ['sql-union', "x'%20UNION%20SELECT%20*%20FROM%20signing_keys--"],
    ['nul-enc', '%00'], ['nul-suffix', `${real}%00`], ['newline-suffix', `${real}%0a`], ['crlf-inject', `${real}%0d%0aX-Injected:%201`],
    ['space-suffix', `${real}%20`], ['tab-suffix', `${real}%09`], ['quote-suffix', `${real}%22`], ['upper', real.toUpperCase()],
    ['lower', real.toLowerCase() === real ? real + 'x' : real.toLowerCase()], ['extra-char', `${real}x`], ['truncated', real.slice(0, -1)],
    ['prefix-only', real.slice(0, real.indexOf('_') + 1) || 'x_'], ['fake-well-formed', real.slice(0, real.indexOf('_') + 1) + r.junk(27)],
    ['long', 'a'.repeat(4000)], ['invalid-utf8-enc', '%ff%fe%fd'], ['lone-surrogate-enc', '%ed%a0%80'],
    ['cyrillic-o', '%D0%BE' + real.slice(1)], ['fullwidth', encodeURIComponent(real.replace(/[0-9A-Za-z]/g, c => String.fromCodePoint(c.codePointAt(0) + 0xfee0)))],
    ['zwj-inside', at(real, mid, '%E2%80%8D')], ['rtl-mark', `%E2%80%AE${real}`], ['bom', `%EF%BB%BF${real}`],
    ['percent-bad', '%zz'], ['percent-trunc', `${real}%2`], ['percent-lone', '%'], ['star', '*'], ['template', '%7Borganization_id%7D'],
    ['shell', '%24(id)'], ['html', '%3Cscript%3Ealert(1)%3C%2Fscript%3E'], ['null', 'null'], ['zero', '0'], ['negative', '-1'],
    ['huge-number', '1e400'], ['nan', 'NaN'], ['json', '%7B%22%24ne%22%3Anull%7D'],
  ];
}

// Raw bytes in a path segment that fetch could never send.
function rawPathSegments(real) {
  return [
    ['raw-invalid-utf8', bytes(real, [0xff, 0xfe])],
    ['raw-overlong', bytes([0xc0, 0xaf], real)],
    ['raw-surrogate', bytes([0xed, 0xa0, 0x80])],
    ['raw-cyrillic', bytes('о', real.slice(1))],
    ['raw-quote', bytes(`${real}'`)],
  ];
}

// Strings over every limit a string field could have, and strings no field may hold.
const HUGE_STRING = 'x'.repeat(300_000);
const LOOKALIKE_SLUGS = [
  ['cyrillic-a', 'аcme-hostile'], ['fullwidth', 'ａｃｍｅ'], ['zwj', 'acme\u200d-hostile'], ['zwsp', 'acme\u200bhostile'],
  ['rtl', '\u202eacme'], ['ltr-mark', 'acme\u200e'], ['combining', 'acme\u0301'], ['dotless-i', 'hostıle'], ['greek-o', 'acmeο'],
  ['upper', 'ACME-hostile'], ['nbsp', 'acme\u00a0hostile'], ['en-dash', 'acme–hostile'],
];
const LOOKALIKE_EMAILS = [
  ['cyrillic-local', 'аlice@hostile-acme.com'], ['cyrillic-domain', 'alice@hostile-аcme.com'],
  ['fullwidth-at', 'alice＠hostile-acme.com'], ['zwj', 'al\u200dice@hostile-acme.com'], ['zwsp', 'alice@\u200bhostile-acme.com'],
  ['rtl', 'alice\u202e@hostile-acme.com'], ['nul', 'alice\u0000@hostile-acme.com'], ['newline', 'alice@hostile-acme.com\nbcc@evil.com'],
  ['crlf', 'alice@hostile-acme.com\r\nBcc: evil@evil.com'], ['two-at', 'alice@@hostile-acme.com'], ['no-at', 'alice.hostile-acme.com'],
  ['comma-list', 'alice@hostile-acme.com,evil@evil.com'], ['angle', 'Alice <alice@hostile-acme.com>'], ['huge', `${'a'.repeat(300)}@hostile-acme.com`],
];
const LOOKALIKE_DOMAINS = [
  ['cyrillic', 'hostile-аcme.com'], ['fullwidth-dot', 'hostile-acme．com'], ['zwj', 'hostile\u200d-acme.com'],
  ['rtl', '\u202ehostile-acme.com'], ['nul', 'hostile-acme.com\u0000.evil.com'], ['slash', 'hostile-acme.com/evil'],
  ['at', 'evil.com@hostile-acme.com'], ['space', 'hostile acme.com'], ['huge', `${'a'.repeat(300)}.com`], ['ip', '127.0.0.1:80'],
];
const LOOKALIKE_KEYS = [
  ['cyrillic', 'org:аdmin'], ['fullwidth', 'org：admin'], ['zwj', 'org:ad\u200dmin'], ['rtl', 'org:\u202eadmin'], ['upper', 'ORG:ADMIN'],
];

// Wrong JSON values for a field of each BodyReader type: [name, raw JSON text].
const WRONG_TYPES = {
  String: [['number', '123'], ['true', 'true'], ['array', '["a"]'], ['object', '{"a":"b"}'], ['empty-array', '[]'], ['huge-number', '1e400'],
    ['nested-huge', '[1e400]']],
  Int: [['string', '"5"'], ['fraction', '1.5'], ['exponent', '1e2'], ['huge', '1e400'], ['neg-huge', '-1e400'], ['two-to-64', '18446744073709551616'],
    ['below-int64', '-9223372036854775809'], ['nan-string', '"NaN"'], ['infinity-string', '"Infinity"'], ['bool', 'true'], ['array', '[1]'],
    ['object', '{}'], ['hex-string', '"0x10"'], ['long-digits', '9'.repeat(400)]],
  Bool: [['string', '"true"'], ['one', '1'], ['zero', '0'], ['array', '[true]'], ['object', '{}'], ['yes', '"yes"'], ['huge', '1e400']],
  Value: [['string', '"plan=pro"'], ['number', '42'], ['array', '[1,2]'], ['true', 'true'], ['huge-nested', '{"a":[{"n":1e400}]}'],
    ['neg-huge', '{"n":-1e400}'], ['long-digits', `{"n":${'9'.repeat(400)}}`], ['oversize', `{"pad":"${'x'.repeat(9000)}"}`]],
  StringArray: [['number', '123'], ['array-of-numbers', '[1,2]'], ['nested', '[["a"]]'], ['object', '{"a":1}'], ['true', 'true'],
    ['too-many', JSON.stringify(Array.from({ length: 101 }, (_, i) => `x${i}`))], ['huge', '[1e400]']],
};

// Path values a placeholder legitimately takes although they look hostile: /images/default/{file}
// renders an avatar for any name shaped like an ID, and IDs are base62 (lowercase included).
const PATH_EXCEPTIONS = { file: ['lower'] };

// Query keys the source reader finds but the route does not read: RunList(…, with_filters=false)
// serves the instance-wide and per-user membership lists without the member filters.
const MEMBER_FILTERS = ['role', 'user_id', 'external_id', 'email_address', 'phone_number', 'username', 'created_at_before', 'created_at_after'];
const IGNORED_QUERY = {
  'BAPI GET /v1/organization_memberships': MEMBER_FILTERS,
  'BAPI GET /v1/users/{user_id}/organization_memberships': MEMBER_FILTERS,
  // RunList(…, instance=false): one organization's domains take no instance-wide filters.
  'BAPI GET /v1/organizations/{organization_id}/domains': ['organization_id', 'query', 'domains', 'order_by'],
};

// Broken JSON documents (the whole body).
function brokenJson(r) {
  const deep = n => '['.repeat(n) + ']'.repeat(n);
  return [
    ['truncated', '{"name":"x"'], ['trailing', '{"name":"x"} x'], ['two-docs', '{}{}'], ['single-quotes', "{'name':'x'}"],
    ['unquoted-key', '{name:"x"}'], ['trailing-comma', '{"name":"x",}'], ['comment', '{"name":"x"/*c*/}'], ['nan', '{"name":NaN}'],
    ['infinity', '{"n":Infinity}'], ['hex', '{"n":0x10}'], ['leading-zero', '{"n":012}'], ['plus', '{"n":+1}'],
    ['bare-string', '"x"'], ['bare-number', '42'], ['null', 'null'], ['true', 'true'], ['garbage', r.junk(64, '{}[]":,\\abc01')],
    ['bom', '\ufeff{"name":"x"}'], ['utf16', Buffer.from('{"name":"x"}', 'utf16le')], ['raw-invalid-utf8', bytes('{"name":"', [0xff, 0xfe], '"}')],
    ['raw-overlong', bytes('{"name":"', [0xc0, 0xaf], '"}')], ['raw-surrogate', bytes('{"name":"', [0xed, 0xa0, 0x80], '"}')],
    ['raw-truncated-utf8', bytes('{"name":"', [0xe2, 0x82], '"}')], ['lone-surrogate', '{"name":"\\ud800"}'], ['lone-low-surrogate', '{"name":"\\udc00x"}'],
    ['bad-escape', '{"name":"\\x41"}'], ['raw-control', '{"name":"a\u0001b"}'], ['raw-nul', bytes('{"name":"a', [0], 'b"}')],
    ['nul-after', bytes('{}', [0])], ['deep-array', deep(10_000)], ['deep-object', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)],
    ['deep-value', `{"name":${deep(10_000)}}`], ['deep-unclosed', '['.repeat(100_000)],
  ];
}

// A 1x1 PNG that claims to be 100,000 x 100,000 pixels (a decompression bomb by its header).
function bombPng() {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    let c = ~0;
    for (const b of body) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(~c >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1000))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// The base request of each route.

// The request line's path with the real IDs in (one ID per placeholder; `override` replaces one
// placeholder's raw segment, a string or Buffer).
function fillPath(route, ctx, override) {
  const parts = [];
  let last = 0;
  for (const m of route.path.matchAll(/\{(\w+)\}/g)) {
    parts.push(route.path.slice(last, m.index));
    if (override && override.param === m[1]) parts.push(override.value);
    else parts.push(ctx.idFor(route, m[1]));
    last = m.index + m[0].length;
  }
  parts.push(route.path.slice(last));
  return parts.some(Buffer.isBuffer) ? bytes(...parts) : parts.join('');
}

// What each route's base request carries: { json } or { form } or { multipart } or nothing.
// Bodies are valid (orgd would carry them out), so a case's one hostile part is what it tests.
// A route missing here (a new one) gets an empty body, still well-formed.
function baseBodies(ctx) {
  const { ids, webhookUrl } = ctx;
  const carol = ids.user_id[2];
  return {
    'BAPI POST /v1/organizations': { json: { name: 'Hostile New Org' } },
    'BAPI PATCH /v1/organizations/{organization_id}': { json: { name: 'Renamed By Hostile' } },
    'BAPI PATCH /v1/organizations/{organization_id}/metadata': { json: { public_metadata: { hostile: 1 } } },
    'BAPI PUT /v1/organizations/{organization_id}/metadata': { json: { public_metadata: { hostile: 1 } } },
    'BAPI PUT /v1/organizations/{organization_id}/logo': { multipart: true },
    'BAPI POST /v1/organizations/{organization_id}/memberships': { json: { user_id: carol, role: 'org:member' } },
    'BAPI PATCH /v1/organizations/{organization_id}/memberships/{user_id}': { json: { role: 'org:admin' } },
    'BAPI PATCH /v1/organizations/{organization_id}/memberships/{user_id}/metadata': { json: { public_metadata: { hostile: 1 } } },
    'BAPI POST /v1/organizations/{organization_id}/invitations': { json: { email_address: 'new-hostile@example.net', role: 'org:member' } },
    'BAPI POST /v1/organizations/{organization_id}/invitations/bulk': { jsonArray: [{ email_address: 'new-hostile@example.net', role: 'org:member' }] },
    'BAPI POST /v1/organizations/{organization_id}/invitations/{invitation_id}/revoke': { json: {} },
    'BAPI POST /v1/organizations/{organization_id}/domains': { json: { name: 'new-hostile.com', enrollment_mode: 'manual_invitation' } },
    'BAPI PATCH /v1/organizations/{organization_id}/domains/{domain_id}': { json: { enrollment_mode: 'automatic_invitation' } },
    'BAPI POST /v1/sessions': { json: { user_id: carol } },
    'BAPI POST /v1/sessions/{session_id}/revoke': { json: {} },
    'BAPI POST /v1/sessions/{session_id}/tokens': { json: {} },
    'BAPI POST /v1/sessions/{session_id}/tokens/{template_name}': { json: {} },
    'BAPI POST /v1/sign_in_tokens': { json: { user_id: carol } },
    'BAPI POST /v1/sign_in_tokens/{sign_in_token_id}/revoke': { json: {} },
    'BAPI POST /v1/users': { json: { email_address: ['new-hostile-user@example.net'] } },
    'BAPI PATCH /v1/users/{user_id}': { json: { first_name: 'Renamed' } },
    'BAPI PATCH /v1/users/{user_id}/metadata': { json: { public_metadata: { hostile: 1 } } },
    'BAPI PUT /v1/users/{user_id}/metadata': { json: { public_metadata: { hostile: 1 } } },
    'BAPI POST /v1/users/{user_id}/profile_image': { multipart: true },
    'BAPI POST /v1/organization_permissions': { json: { name: 'Hostile perm', key: 'org:hostile:perm' } },
    'BAPI PATCH /v1/organization_permissions/{permission_id}': { json: { name: 'Renamed perm' } },
    'BAPI POST /v1/organization_roles': { json: { name: 'Hostile role', key: 'org:hostile_role' } },
    'BAPI PATCH /v1/organization_roles/{organization_role_id}': { json: { name: 'Renamed role' } },
    'BAPI PATCH /v1/instance/organization_settings': { json: { max_allowed_memberships: 7 } },
    'BAPI POST /v1/webhook_endpoints': { json: { url: webhookUrl, description: 'second' } },
    'BAPI PATCH /v1/webhook_endpoints/{endpoint_id}': { json: { description: 'changed' } },
    'FAPI POST /v1/client/sign_ins': { form: { strategy: 'ticket', ticket: ctx.signInTicket } },
    'FAPI POST /v1/client/sign_ups': { form: { strategy: 'ticket', ticket: ctx.signUpTicket, first_name: 'Frank' } },
    'FAPI POST /v1/client/sessions/{session_id}/touch': { form: { active_organization_id: ids.organization_id[1], intent: 'select_org' } },
    'FAPI POST /v1/client/sessions/{session_id}/tokens': { form: { organization_id: ids.organization_id[0] } },
    'FAPI POST /v1/client/sessions/{session_id}/tokens/{template_name}': { form: { organization_id: ids.organization_id[0] } },
    'FAPI POST /v1/organizations': { form: { name: 'Hostile FAPI Org', slug: 'hostile-fapi-org' } },
    'FAPI PATCH /v1/organizations/{organization_id}': { form: { name: 'Renamed By Hostile' } },
    'FAPI PUT /v1/organizations/{organization_id}/logo': { multipart: true },
    'FAPI POST /v1/organizations/{organization_id}/memberships': { form: { user_id: carol, role: 'org:member' } },
    'FAPI PATCH /v1/organizations/{organization_id}/memberships/{user_id}': { form: { role: 'org:admin' } },
    'FAPI POST /v1/organizations/{organization_id}/invitations': { form: { email_address: 'new-hostile@example.net', role: 'org:member' } },
    'FAPI POST /v1/organizations/{organization_id}/invitations/bulk': { form: { email_address: ['bulk1@example.net', 'bulk2@example.net'], role: 'org:member' } },
    'FAPI POST /v1/organizations/{organization_id}/domains': { form: { name: 'new-hostile-fapi.com', enrollment_mode: 'manual_invitation' } },
    'FAPI POST /v1/organizations/{organization_id}/domains/bulk': { form: { names: ['bulk-hostile-1.com', 'bulk-hostile-2.com'], enrollment_mode: 'manual_invitation' } },
    'FAPI POST /v1/organizations/{organization_id}/domains/prepare_ownership_verification/bulk': { form: { organization_domain_ids: [ids.domain_id[0]] } },
    'FAPI POST /v1/organizations/{organization_id}/domains/attempt_ownership_verification/bulk': { form: { organization_domain_ids: [ids.domain_id[0]] } },
    'FAPI POST /v1/organizations/{organization_id}/domains/{domain_id}/update_enrollment_mode': { form: { enrollment_mode: 'automatic_invitation' } },
    'FAPI POST /v1/organizations/{organization_id}/domains/{domain_id}/prepare_affiliation_verification': { form: { affiliation_email_address: 'alice@hostile-acme.com' } },
    'FAPI POST /v1/organizations/{organization_id}/domains/{domain_id}/attempt_affiliation_verification': { form: { code: '123456' } },
  };
}

const CRLF = '\r\n';

// form-urlencoded as clerk-js writes it (arrays as repeated keys).
export function formEncode(fields) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p.toString();
}

function multipartBody(boundary, parts) {
  const chunks = [];
  for (const { name, filename, type, data } of parts) {
    chunks.push(`--${boundary}${CRLF}Content-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}${CRLF}`);
    if (type) chunks.push(`Content-Type: ${type}${CRLF}`);
    chunks.push(CRLF, data, CRLF);
  }
  chunks.push(`--${boundary}--${CRLF}`);
  return bytes(...chunks);
}

// The base request of `route`: { method, path, query: [[k, v]] (raw, encoded), headers: [[n, v]],
// body (Buffer|undefined), version, api }.
function baseRequest(route, ctx, bodies) {
  const base = bodies[route.key] ?? {};
  const req = { api: route.api, method: route.method, path: fillPath(route, ctx), query: [], headers: [], body: undefined, version: 'HTTP/1.1' };
  if (route.api === 'bapi') {
    req.headers.push(['Host', ctx.bapiHost], ['User-Agent', '@clerk/backend@3.25.0']);
    if (route.auth === 'required') req.headers.push(['Authorization', `Bearer ${ctx.secretKey}`], ['Clerk-API-Version', BAPI_VERSION]);
    if (route.key === 'BAPI POST /v1/webhook_endpoints/{endpoint_id}/recover') req.query.push(['since', String(ctx.seededAt)]);
  } else {
    req.headers.push(['Host', ctx.fapiHost], ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) hostile/1.0']);
    req.query.push(['__clerk_api_version', FAPI_API_VERSION], ['_clerk_js_version', JS_VERSION]);
    if (!route.path.startsWith('/v1/client')) req.query.push(['_clerk_session_id', ctx.browser.sessionId]);
    // clerk-js sends only GET and POST: the rest as POST ?_method=.
    if (route.method !== 'GET' && route.method !== 'POST') {
      req.query.push(['_method', route.method]);
      req.method = 'POST';
    }
    req.headers.push(['Origin', ctx.origin]);
    // Signing in and up are aimed at a client without a session, where the base would succeed.
    if (!ctx.anonymousRoutes.has(route.key)) req.headers.push(['Cookie', ctx.browserFor(route).cookie]);
  }
  if (base.json !== undefined || base.jsonArray !== undefined) {
    req.headers.push(['Content-Type', 'application/json']);
    req.body = Buffer.from(JSON.stringify(base.json ?? base.jsonArray));
  } else if (base.form !== undefined) {
    req.headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    req.body = Buffer.from(formEncode(base.form));
  } else if (base.multipart) {
    const boundary = '----hostileBoundary7MA4YWxkTrZu0gW';
    req.headers.push(['Content-Type', `multipart/form-data; boundary=${boundary}`]);
    req.body = multipartBody(boundary, [{ name: 'file', filename: 'logo.png', type: 'image/png', data: ctx.png }]);
  } else if (route.body === 'json' || route.body === 'json-array') {
    req.headers.push(['Content-Type', 'application/json']);
  } else if (route.body === 'form') {
    req.headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    req.body = Buffer.alloc(0);
  } else if (route.api === 'bapi' && route.method !== 'GET') {
    // The SDK sends Content-Type: application/json on every request.
    req.headers.push(['Content-Type', 'application/json']);
  }
  req.baseJson = base.json;
  req.baseArray = base.jsonArray;
  req.baseForm = base.form;
  return req;
}

export function serialize(req) {
  const q = req.query.map(([k, v]) => (v === null ? k : `${k}=${v}`)).join('&');
  const target = req.rawTarget ?? (q ? (Buffer.isBuffer(req.path) ? bytes(req.path, '?', q) : `${req.path}?${q}`) : req.path);
  return req.raw ?? requestBytes({ method: req.method, target, headers: req.headers, body: req.body, contentLength: req.contentLength ?? true, version: req.version });
}

const clone = req => ({ ...req, query: req.query.map(x => [...x]), headers: req.headers.map(x => [...x]) });
const withoutHeader = (req, name) => ({ ...clone(req), headers: req.headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase()) });
const setHeader = (req, name, value) => {
  const r = withoutHeader(req, name);
  const i = req.headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
  r.headers.splice(i < 0 ? r.headers.length : i, 0, [name, value]);
  return r;
};
const addHeader = (req, name, value) => ({ ...clone(req), headers: [...req.headers.map(x => [...x]), [name, value]] });
const withBody = (req, body, contentType) => {
  const r = contentType === undefined ? clone(req) : contentType === null ? withoutHeader(req, 'Content-Type') : setHeader(req, 'Content-Type', contentType);
  r.body = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return r;
};
const withQuery = (req, extra) => ({ ...clone(req), query: [...req.query.map(x => [...x]), ...extra] });
// `key` with these values in place of any the base has.
const setQuery = (req, key, values) => ({ ...clone(req), query: [...req.query.filter(([k]) => k !== key).map(x => [...x]), ...values.map(v => [key, v])] });

// The JSON object `base` with `field` set to the raw JSON text `raw` (a string or Buffer), first.
function jsonWith(base, field, raw) {
  const rest = Object.entries(base ?? {}).filter(([k]) => k !== field).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  return bytes('{', JSON.stringify(field), ':', raw, rest.length ? ',' : '', rest.join(','), '}');
}

// ---------------------------------------------------------------------------------------------
// The generator.

// Every case for `routes`. `ctx`: { secretKey, origin, browser: {cookie, clientCookie, sessionId},
// ids, idFor(route, param), bapiHost, fapiHost, png, webhookUrl, signInTicket, signUpTicket,
// seededAt, anonymousRoutes: Set of route keys sent without a cookie }.
// Each case: { name, route (key), api, cls, bytes, req }.
export function generateCases(routes, ctx, seed) {
  const r = rng(seed);
  const bodies = baseBodies(ctx);
  const cases = [];
  const methodsByPath = new Map();
  for (const route of routes) {
    const k = `${route.api} ${route.path}`;
    if (!methodsByPath.has(k)) methodsByPath.set(k, new Set());
    methodsByPath.get(k).add(route.method);
  }

  for (const route of routes) {
    const base = baseRequest(route, ctx, bodies);
    // The bytes are made when the case is sent (some are megabytes).
    const add = (cls, variant, req) => cases.push({ name: `${route.key} | ${cls}/${variant}`, route: route.key, api: route.api, cls, req });
    const bapiKeyed = route.api === 'bapi' && route.auth === 'required';
    const fapiSession = route.api === 'fapi' && route.auth === 'required';
    // A change on the Frontend API: the Origin and the cookie are what the gate checks.
    const stateChanging = route.method !== 'GET';
    // The header that carries the credential, to damage (a Frontend API GET of a public route
    // has none that matters; those get the framing cases only).
    const credential = bapiKeyed ? 'Authorization' : route.api === 'fapi' && stateChanging ? 'Origin' : null;
    // The Frontend API's POST on a path takes the largest body of the path's changes (a DELETE
    // of a logo is a POST where the logo's PUT is).
    const imageLimit = route.bodyLimit === 'image' || (route.api === 'fapi' && route.method !== 'GET' && routes.some(
      x => x.api === 'fapi' && x.path === route.path && x.method !== 'GET' && x.bodyLimit === 'image'));
    const limit = imageLimit ? 10 * MiB + 64 * 1024 : MiB;

    // --- transport: the head and the framing. Each is refused before any handler runs.
    add('transport', 'header-over-limit', addHeader(base, 'X-Hostile-Pad', 'p'.repeat(20_000)));
    add('transport', 'many-headers', { ...clone(base), headers: [...base.headers, ...Array.from({ length: 400 }, (_, i) => [`X-H${i}`, r.junk(40)])] });
    add('transport', 'target-over-limit', withQuery(base, [['pad', 'q'.repeat(20_000)]]));
    add('transport', 'nul-in-header', addHeader(base, 'X-Hostile', latin1('a\x00b')));
    add('transport', 'cr-in-header', addHeader(base, 'X-Hostile', latin1('a\rb')));
    add('transport', 'ctl-in-header', addHeader(base, 'X-Hostile', latin1('a\x01\x7fb')));
    add('transport', 'space-in-name', addHeader(base, 'X Hostile', 'v'));
    add('transport', 'space-before-colon', addHeader(base, 'X-Hostile ', 'v'));
    add('transport', 'high-byte-name', addHeader(base, latin1('X-\xffHostile'), 'v'));
    add('transport', 'no-colon', { ...clone(base), raw: latin1(serialize(base).toString('latin1').replace('\r\n', '\r\nNoColonHere\r\n')) });
    add('transport', 'bare-lf', { ...clone(base), raw: latin1(serialize(base).toString('latin1').replace(/\r\n/g, '\n')) });
    add('transport', 'http-2.0', { ...clone(base), version: 'HTTP/2.0' });
    add('transport', 'http-lowercase', { ...clone(base), version: 'http/1.1' });
    add('transport', 'no-version', { ...clone(base), raw: latin1(serialize(base).toString('latin1').replace(/ HTTP\/1\.1\r\n/, '\r\n')) });
    add('transport', 'space-in-target', { ...clone(base), rawTarget: bytes(base.path, ' x') });
    add('transport', 'bad-method-token', { ...clone(base), method: 'G(T' });
    add('transport', 'missing-host', withoutHeader(base, 'Host'));
    add('transport', 'two-hosts', addHeader(base, 'Host', 'evil.example'));
    add('transport', 'two-content-types', addHeader(addHeader(withoutHeader(base, 'Content-Type'), 'Content-Type', 'application/json'), 'Content-Type', 'text/plain'));
    add('transport', 'two-request-ids', addHeader(addHeader(base, 'X-Request-Id', 'req_a'), 'X-Request-Id', 'req_b'));
    add('transport', 'two-expects', addHeader(addHeader(base, 'Expect', '100-continue'), 'Expect', '100-continue'));
    const body = base.body ?? Buffer.from('{}');
    add('transport', 'two-content-lengths', { ...clone(base), body, contentLength: false, headers: [...base.headers, ['Content-Length', String(body.length)], ['Content-Length', String(body.length + 1)]] });
    add('transport', 'content-length-negative', { ...clone(base), body, contentLength: false, headers: [...base.headers, ['Content-Length', '-1']] });
    add('transport', 'content-length-plus', { ...clone(base), body, contentLength: false, headers: [...base.headers, ['Content-Length', `+${body.length}`]] });
    add('transport', 'content-length-float', { ...clone(base), body, contentLength: false, headers: [...base.headers, ['Content-Length', '1e400']] });
    add('transport', 'content-length-hex', { ...clone(base), body, contentLength: false, headers: [...base.headers, ['Content-Length', '0x10']] });
    add('transport', 'content-length-2^64', { ...clone(base), body, contentLength: false, headers: [...base.headers, ['Content-Length', '18446744073709551616']] });
    add('transport', 'content-length-over-limit', { ...clone(base), body: Buffer.from('{}'), contentLength: false, headers: [...base.headers, ['Content-Length', String(limit + 1)]] });
    const chunked = extra => ({ ...clone(base), contentLength: false, headers: [...base.headers, ['Transfer-Encoding', 'chunked']], body: Buffer.from(extra) });
    const chunkOf = b => `${b.length.toString(16)}\r\n${b.toString('latin1')}\r\n`;
    add('transport', 'te-and-cl', { ...chunked(`${chunkOf(body)}0\r\n\r\n`), headers: [...base.headers, ['Transfer-Encoding', 'chunked'], ['Content-Length', String(body.length)]] });
    // RFC 9112 §6.1: a transfer coding the server does not know is 501, the one 5xx allowed here.
    add('transport', 'te-gzip', { ...chunked(`${chunkOf(body)}0\r\n\r\n`), headers: [...base.headers, ['Transfer-Encoding', 'gzip']], allow: [501] });
    add('transport', 'te-chunked-not-last', { ...chunked(`${chunkOf(body)}0\r\n\r\n`), headers: [...base.headers, ['Transfer-Encoding', 'chunked, identity']] });
    add('transport', 'te-http-1.0', { ...chunked(`${chunkOf(body)}0\r\n\r\n`), version: 'HTTP/1.0' });
    add('transport', 'te-twice', { ...chunked(`${chunkOf(body)}0\r\n\r\n`), headers: [...base.headers, ['Transfer-Encoding', 'chunked'], ['Transfer-Encoding', 'chunked']] });
    add('transport', 'chunk-size-garbage', chunked('zz\r\nabc\r\n0\r\n\r\n'));
    add('transport', 'chunk-size-overflow', chunked('ffffffffffffffffffff\r\nabc\r\n0\r\n\r\n'));
    add('transport', 'chunk-size-negative', chunked('-5\r\nabcde\r\n0\r\n\r\n'));
    add('transport', 'chunk-bare-lf', chunked(`${body.length.toString(16)}\n${body.toString('latin1')}\n0\n\n`));
    add('transport', 'chunk-size-short', chunked(`1\r\n${body.toString('latin1')}\r\n0\r\n\r\n`));
    add('transport', 'chunk-trailer-over-limit', chunked(`${chunkOf(body)}0\r\nX-Trailer: ${'t'.repeat(20_000)}\r\n\r\n`));
    add('transport', 'chunk-ext-over-limit', chunked(`${body.length.toString(16)};${'e'.repeat(20_000)}\r\n${body.toString('latin1')}\r\n0\r\n\r\n`));
    add('transport', 'chunked-over-limit', chunked(`${(limit + 1).toString(16)}\r\n${'x'.repeat(Math.min(limit + 1, 64 * 1024))}`));
    if (route.body && route.body !== 'multipart') {
      const over = Buffer.alloc(MiB + 1, 'x');
      add('transport', 'body-over-limit', withBody(base, over));
      add('transport', 'chunked-body-over-limit', { ...chunked(''), body: Buffer.concat([Buffer.from(`${over.length.toString(16)}\r\n`), over, Buffer.from('\r\n0\r\n\r\n')]) });
    }
    if (credential) add('transport', `obs-fold-${credential.toLowerCase()}`, { ...clone(base), raw: latin1(serialize(base).toString('latin1').replace(new RegExp(`(${credential}: [^\\r]*)\\r\\n`), '$1\r\n X-Folded: yes\r\n')) });

    // --- method: one the path does not serve, and verbs that are not HTTP.
    const served = methodsByPath.get(`${route.api} ${route.path}`);
    for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      if (served.has(m)) continue;
      // The Frontend API takes POST on every path that has a change (as POST ?_method=).
      if (route.api === 'fapi' && m === 'POST' && [...served].some(x => x !== 'GET')) continue;
      add('method', `unserved-${m}`, { ...clone(base), method: m });
    }
    for (const m of ['get', 'FOO', 'TRACE', 'PROPFIND', 'CONNECT']) add('method', `verb-${m}`, { ...clone(base), method: m });
    if (route.api === 'fapi') {
      const changes = [...served].filter(x => x !== 'GET');
      if (changes.length > 0) {
        const q = base.query.filter(([k]) => k !== '_method');
        for (const m of ['GET', 'HEAD', 'OPTIONS', 'FOO', 'patch', ...['PUT', 'PATCH', 'DELETE'].filter(x => !served.has(x))]) {
          add('method', `_method-${m}`, { ...clone(base), method: 'POST', query: [...q, ['_method', m]] });
        }
        if (route.method !== 'GET' && route.method !== 'POST') {
          // Two conflicting _method values: orgd takes the first; the case sends the real one second.
          const other = ['PUT', 'PATCH', 'DELETE'].find(x => !served.has(x)) ?? 'FOO';
          add('method', '_method-conflicting', { ...clone(base), query: [...q, ['_method', other], ['_method', route.method]] });
          add('method', '_method-conflicting-served', { ...clone(base), query: [...q, ['_method', route.method], ['_method', route.method === 'DELETE' ? 'PATCH' : 'DELETE']] });
        }
        add('method', '_method-bad-escape', { ...clone(base), method: 'POST', query: [...q, ['_method', '%zz']] });
      }
    }

    // --- path: a hostile value in place of one real ID.
    for (const param of route.params) {
      const real = ctx.idFor(route, param);
      for (const [variant, value] of hostileIds(real, r)) {
        if (PATH_EXCEPTIONS[param]?.includes(variant)) continue;
        add('path', `${param}:${variant}`, { ...clone(base), path: fillPath(route, ctx, { param, value }) });
      }
      for (const [variant, value] of rawPathSegments(real)) add('path', `${param}:${variant}`, { ...clone(base), path: fillPath(route, ctx, { param, value }) });
    }

    // --- auth and version (Backend API).
    if (bapiKeyed) {
      const key = ctx.secretKey;
      const flip = key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a');
      const auths = [
        ['missing', null], ['empty', ''], ['bearer-only', 'Bearer'], ['bearer-space', 'Bearer '], ['basic', `Basic ${Buffer.from(`${key}:`).toString('base64')}`],
        ['token-scheme', `Token ${key}`], ['no-scheme', key], ['wrong-key', `Bearer sk_test_${r.junk(40)}`], ['last-char', `Bearer ${flip}`],
        ['extra-char', `Bearer ${key}x`], ['prefix', `Bearer ${key.slice(0, 20)}`], ['live-kind', `Bearer ${key.replace('sk_test_', 'sk_live_')}`],
        ['publishable', `Bearer ${ctx.publishableKey}`], ['twice-in-one', `Bearer ${key}, Bearer ${key}`], ['huge', `Bearer sk_test_${'A'.repeat(10_000)}`],
        ['sql', "Bearer ' OR 1=1 --"], ['cyrillic', `Bearer ${cyrillicTwin(key, 8)}`], ['fullwidth', `Bearer ${key.slice(0, 8)}${String.fromCodePoint(0xff21)}${key.slice(9)}`],
        ['zwj', `Bearer ${key.slice(0, 12)}\u200d${key.slice(12)}`], ['tab-scheme', `Bearer\t${key}`], ['raw-invalid-utf8', bytes('Bearer ', key, [0xff])],
        ['raw-nul', bytes('Bearer ', key, [0])], ['percent-encoded', `Bearer ${encodeURIComponent(key).replace(/_/g, '%5F')}`],
      ];
      for (const [variant, value] of auths) add('auth', variant, value === null ? withoutHeader(base, 'Authorization') : setHeader(base, 'Authorization', value));
      add('auth', 'two-headers-valid-first', addHeader(base, 'Authorization', 'Bearer wrong'));
      add('auth', 'two-headers-valid-second', { ...clone(base), headers: [['Authorization', 'Bearer wrong'], ...base.headers] });
      add('auth', 'key-in-query', withQuery(withoutHeader(base, 'Authorization'), [['api_key', key]]));
      add('auth', 'key-in-cookie', addHeader(withoutHeader(base, 'Authorization'), 'Cookie', `__session=${key}`));
      const versions = [
        ['unknown', '2019-01-01'], ['latest', 'latest'], ['suffix', '2026-05-12x'], ['bad-date', '2026-13-45'], ['v1', 'v1'],
        ['sql', "'; DROP TABLE organizations; --"], ['fullwidth', '２０２６-05-12'], ['zwj', '2026-05\u200d-12'], ['huge', '2'.repeat(8000)],
        ['list', '2026-05-12, 2025-11-10'], ['empty', ''], ['raw-invalid-utf8', bytes('2026-05-12', [0xff, 0xfe])],
      ];
      for (const [variant, value] of versions) add('version', `header-${variant}`, setHeader(base, 'Clerk-API-Version', value));
      add('version', 'two-headers', addHeader(base, 'Clerk-API-Version', '2025-11-10'));
      add('version', 'header-and-query', withQuery(base, [['__clerk_api_version', BAPI_VERSION]]));
      add('version', 'query-unknown', withQuery(withoutHeader(base, 'Clerk-API-Version'), [['__clerk_api_version', '2019-01-01']]));
      add('version', 'query-invalid-utf8', withQuery(withoutHeader(base, 'Clerk-API-Version'), [['__clerk_api_version', '%ff%fe']]));
      add('version', 'query-bad-escape', withQuery(withoutHeader(base, 'Clerk-API-Version'), [['__clerk_api_version', '%zz']]));
      add('version', 'query-nul', withQuery(withoutHeader(base, 'Clerk-API-Version'), [['__clerk_api_version', '2026-05-12%00']]));
    }

    // --- the Frontend API's gate.
    if (route.api === 'fapi') {
      // Every Frontend API route parses its query in the gate.
      add('gate', 'query-bad-escape', withQuery(base, [['x', '%zz']]));
      add('gate', 'query-truncated-escape', withQuery(base, [['x', '%4']]));
      add('gate', 'query-nul', withQuery(base, [['x', 'a%00b']]));
    }
    if (fapiSession) {
      const c = ctx.browserFor(route).clientCookie;
      const cookies = [
        ['missing', null], ['empty-value', '__client='], ['garbage', `__client=${r.junk(48)}`], ['truncated', c.slice(0, -4)], ['extra-char', `${c}x`],
        ['other-name', c.replace('__client=', '__client_x=')], ['uppercase-name', c.replace('__client=', '__CLIENT=')], ['quoted', c.replace('=', '="') + '"'],
        ['sql', "__client=' OR 1=1 --"], ['huge', `__client=${'c'.repeat(12_000)}`], ['only-semicolons', ';;;;;'], ['no-equals', '__client'],
        ['cyrillic', cyrillicTwin(c, '__client='.length)], ['garbage-first', `__client=${r.junk(48)}; ${c}`], ['raw-invalid-utf8', bytes(c, [0xff])],
      ];
      for (const [variant, value] of cookies) add('gate', `cookie-${variant}`, value === null ? withoutHeader(base, 'Cookie') : setHeader(base, 'Cookie', value));
      add('gate', 'cookie-two-headers', addHeader(base, 'Cookie', `__client=${r.junk(48)}`));
      const sid = base.query.filter(([k]) => k !== '_clerk_session_id');
      if (!route.path.startsWith('/v1/client')) {
        for (const [variant, value] of [['fake', `sess_${r.junk(27)}`], ['other-user', ctx.ids.session_id[1]], ['sql', "'%20OR%201=1--"], ['invalid-utf8', '%ff%fe'], ['huge', 's'.repeat(5000)]]) {
          add('gate', `session-id-${variant}`, { ...clone(base), query: [...sid, ['_clerk_session_id', value]] });
        }
        add('gate', 'session-id-conflicting', { ...clone(base), query: [...sid, ['_clerk_session_id', `sess_${r.junk(27)}`], ['_clerk_session_id', ctx.browser.sessionId]] });
      }
      const native = withQuery(withoutHeader(withoutHeader(base, 'Cookie'), 'Origin'), [['_is_native', '1']]);
      for (const [variant, value] of [['missing', null], ['garbage', `Bearer ${r.junk(48)}`], ['cookie-name', `Bearer ${c}`], ['huge', `Bearer ${'n'.repeat(12_000)}`]]) {
        add('gate', `native-${variant}`, value === null ? native : setHeader(native, 'Authorization', value));
      }
      add('gate', 'native-cookie-only', withQuery(withoutHeader(base, 'Origin'), [['_is_native', '1']]));
    }
    if (route.api === 'fapi' && stateChanging) {
      const o = new URL(ctx.origin);
      const origins = [
        ['missing', null], ['evil', 'http://evil.example'], ['null', 'null'], ['trailing-slash', `${ctx.origin}/`], ['with-path', `${ctx.origin}/app`],
        ['https', ctx.origin.replace('http:', 'https:')], ['other-port', `http://${o.hostname}:${Number(o.port) + 1}`], ['no-port', `http://${o.hostname}`],
        ['suffix-domain', `${ctx.origin}.evil.example`], ['userinfo', `http://evil@${o.host}`], ['uppercase', ctx.origin.toUpperCase()],
        ['localhost', `http://localhost:${o.port}`], ['ipv6', `http://[::1]:${o.port}`], ['fullwidth', `http://１２７.0.0.1:${o.port}`],
        ['huge', `http://${'o'.repeat(10_000)}.example`], ['list', `${ctx.origin} http://evil.example`], ['raw-invalid-utf8', bytes(ctx.origin, [0xff])],
        ['empty', ''],
      ];
      for (const [variant, value] of origins) add('gate', `origin-${variant}`, value === null ? withoutHeader(base, 'Origin') : setHeader(base, 'Origin', value));
      add('gate', 'origin-referer-only', addHeader(withoutHeader(base, 'Origin'), 'Referer', `${ctx.origin}/`));
      add('gate', 'origin-two-headers', addHeader(base, 'Origin', 'http://evil.example'));
      add('gate', 'origin-two-headers-evil-first', { ...clone(base), headers: [['Origin', 'http://evil.example'], ...base.headers] });
    }

    // --- query: values the route's readers must refuse.
    if (route.query) {
      add('query', 'bad-escape', withQuery(base, [['limit', '%zz']]));
      add('query', 'bad-escape-key', withQuery(base, [['%zz', '1']]));
      const kinds = route.queryKinds;
      const KIND_VALUES = {
        limit: ['abc', '0', '501', '-1', '-0', '1e400', '1.5', 'NaN', 'Infinity', '0x10', '%EF%BC%91%EF%BC%90', '10abc', '99999999999999999999', '', '%00', '1%00'],
        offset: ['-1', 'abc', '1e400', '1.5', 'NaN', '99999999999999999999999', '0x1', '%E2%80%8D1', ''],
        order_by: ["'%20OR%201=1%20--", 'name%3BDROP%20TABLE%20x', '-', '%2B', '--created_at', 'created_at,name', '%ff', 'created_at%00', 'CREATED_AT', '-%D0%B0created_at'],
        flag: ['yes', 'maybe', '2', '%ff', 'true%00', 'truex'],
        millis: ['abc', '1e400', '1.5', '99999999999999999999', 'yesterday', '0x10'],
        list: [],
      };
      const NAMED_VALUES = {
        since: ['abc', '-', '1e400', '99999999999999999999', ''],
        after: ['abc', '-1', '1e400', '1.5'],
        status: route.api === 'bapi' ? ['bogus', "'%20OR%201=1--", '%ff', 'PENDING', 'pending%00'] : [],
        enrollment_mode: route.api === 'bapi' ? ['bogus', '-bogus', 'manual_invitation%00'] : [],
        redirect_url: ['javascript:alert(1)', 'http%3A%2F%2Fevil.example%2F', '%2F%2Fevil.example', 'data:text/html,x', '%ff'],
      };
      for (const key of route.queryKeys) {
        if (IGNORED_QUERY[route.key]?.includes(key)) continue;
        const kind = kinds[key];
        const values = kind === 'get' && key === 'limit' ? KIND_VALUES.limit.filter(v => v !== '' && v !== '-0') : KIND_VALUES[kind] ?? NAMED_VALUES[key] ?? [];
        for (const v of values) add('query', `${key}=${v.slice(0, 24) || 'empty'}`, setQuery(base, key, [v]));
        // No value may decode to invalid UTF-8 (it can match nothing stored, and PostgreSQL refuses
        // it as a parameter), whatever the key's own rule.
        add('query', `${key}:invalid-utf8`, setQuery(base, key, ['%ff%fe']));
        add('query', `${key}:overlong`, setQuery(base, key, ['x%c0%af']));
        if (kind === 'list') add('query', `${key}-101-values`, setQuery(base, key, Array.from({ length: 101 }, (_, i) => `x${i}`)));
        // Conflicting repeats: orgd reads the first of a single-valued key, so the bad one goes first.
        if (values.length > 0 && kind !== 'list') add('query', `${key}-conflicting`, setQuery(base, key, [values[0], kind === 'flag' ? 'true' : '1']));
      }
    }

    // --- body: only routes whose handler reads one.
    if (route.body === 'json' || route.body === 'json-array') {
      const wrap = raw => (route.body === 'json-array' ? bytes('[', raw, ']') : raw);
      const obj = base.baseJson ?? base.baseArray?.[0] ?? {};
      for (const [variant, doc] of brokenJson(r)) add('body', `broken-${variant}`, withBody(base, doc));
      add('body', route.body === 'json-array' ? 'object-not-array' : 'array-not-object', withBody(base, route.body === 'json-array' ? JSON.stringify(obj) : JSON.stringify([obj])));
      if (route.body === 'json-array') add('body', 'array-of-strings', withBody(base, '["a"]'));
      add('body', 'unknown-field', withBody(base, wrap(jsonWith(obj, 'hostile_unknown', '1'))));
      add('body', 'unknown-field-proto', withBody(base, wrap(jsonWith(obj, '__proto__', '{"admin":true}'))));
      add('body', 'unknown-field-unicode', withBody(base, wrap(jsonWith(obj, 'nаme', '"x"'))));
      for (const field of route.fields) {
        for (const [variant, raw] of WRONG_TYPES[field.type] ?? []) add('body', `${field.name}:${variant}`, withBody(base, wrap(jsonWith(obj, field.name, raw))));
        // Duplicate keys: orgd keeps the last (as Clerk's Go decoder does), so the bad one is last.
        const good = obj[field.name] !== undefined ? JSON.stringify(obj[field.name]) : null;
        if (good) add('body', `${field.name}:duplicate-bad-last`, withBody(base, wrap(bytes(jsonWith(obj, field.name, good).subarray(0, -1), `,${JSON.stringify(field.name)}:${WRONG_TYPES[field.type][0][1]}}`))));
        if (field.type === 'String') {
          add('body', `${field.name}:huge`, withBody(base, wrap(jsonWith(obj, field.name, JSON.stringify(HUGE_STRING)))));
          add('body', `${field.name}:nul`, withBody(base, wrap(jsonWith(obj, field.name, '"x\\u0000y"'))));
          add('body', `${field.name}:control`, withBody(base, wrap(jsonWith(obj, field.name, '"x\\u0007\\u001b[31my"'))));
          add('body', `${field.name}:lone-surrogate`, withBody(base, wrap(jsonWith(obj, field.name, '"x\\udfffy"'))));
          add('body', `${field.name}:raw-invalid-utf8`, withBody(base, wrap(jsonWith(obj, field.name, bytes('"x', [0xff, 0xfe], 'y"')))));
        }
        if (field.type === 'StringArray') add('body', `${field.name}:huge-item`, withBody(base, wrap(jsonWith(obj, field.name, JSON.stringify([HUGE_STRING])))));
        const lookalikes = /slug$/.test(field.name) ? LOOKALIKE_SLUGS : /email_address$/.test(field.name) ? LOOKALIKE_EMAILS
          : field.name === 'key' ? LOOKALIKE_KEYS : field.name === 'name' && /domains/.test(route.path) ? LOOKALIKE_DOMAINS : [];
        for (const [variant, value] of lookalikes) {
          const raw = JSON.stringify(field.type === 'StringArray' ? [value] : value);
          add('body', `${field.name}:lookalike-${variant}`, withBody(base, wrap(jsonWith(obj, field.name, raw))));
        }
      }
      for (const [variant, type] of [['text-plain', 'text/plain'], ['form', 'application/x-www-form-urlencoded'], ['xml', 'application/xml'],
        ['multipart', 'multipart/form-data; boundary=x'], ['jsonp', 'application/jsonp'], ['json-suffix', 'application/json-hostile'],
        ['star', '*/*'], ['garbage', 'x'.repeat(200)], ['raw-invalid-utf8', bytes('application/json', [0xff])]]) {
        add('body', `content-type-${variant}`, withBody(base, base.body ?? '{}', type));
      }
    }
    if (route.body === 'form') {
      const form = base.baseForm ?? {};
      const enc = f => formEncode(f);
      for (const [variant, doc] of brokenJson(r)) add('body', `json-broken-${variant}`, withBody(base, doc, 'application/json'));
      for (const [variant, extra] of [['form-bad-escape', '&x=%zz'], ['form-truncated-escape', '&x=%4'], ['form-nul', '&x=a%00b'], ['form-key-bad-escape', '&%zz=1']]) {
        add('body', variant, withBody(base, Buffer.concat([base.body ?? Buffer.alloc(0), Buffer.from(extra)])));
      }
      for (const field of ['public_metadata', 'private_metadata', 'unsafe_metadata']) {
        add('body', `form-${field}`, withBody(base, enc({ ...form, [field]: '{"role":"admin"}' })));
        add('body', `json-${field}`, withBody(base, JSON.stringify({ ...form, [field]: { role: 'admin' } }), 'application/json'));
      }
      for (const field of route.fields) {
        const seeded = form[field.name];
        const sample = Array.isArray(seeded) ? seeded[0] : seeded ?? 'x';
        // Invalid UTF-8, percent-encoded or raw: no field may store it.
        const [before, after] = enc({ ...form, [field.name]: 'HOSTILEPLACEHOLDER' }).split('HOSTILEPLACEHOLDER');
        add('body', `${field.name}:invalid-utf8-escape`, withBody(base, `${before}${encodeURIComponent(sample)}%ff%fe${after}`));
        add('body', `${field.name}:raw-invalid-utf8`, withBody(base, bytes(before, encodeURIComponent(sample), [0xff, 0xfe], after)));
        if (field.type === 'StrictFormText') {
          add('body', `${field.name}:repeated`, withBody(base, enc({ ...form, [field.name]: [sample, 'other'] })));
          for (const [variant, raw] of [['number', '5'], ['array', '["a","b"]'], ['object', '{"a":1}'], ['true', 'true'], ['huge-number', '1e400']]) {
            add('body', `${field.name}:json-${variant}`, withBody(base, jsonWith(form, field.name, raw), 'application/json'));
          }
          add('body', `${field.name}:huge`, withBody(base, enc({ ...form, [field.name]: HUGE_STRING })));
          add('body', `${field.name}:control`, withBody(base, enc({ ...form, [field.name]: 'x\u0007\u001b[31my' })));
        }
        const lookalikes = /slug$/.test(field.name) ? LOOKALIKE_SLUGS : /email_address$/.test(field.name) ? LOOKALIKE_EMAILS
          : (field.name === 'name' || field.name === 'names') && /domains/.test(route.path) ? LOOKALIKE_DOMAINS : [];
        for (const [variant, value] of lookalikes) add('body', `${field.name}:lookalike-${variant}`, withBody(base, enc({ ...form, [field.name]: value })));
        // Fields whose value must be one of few (a mode, a strategy, an ID that exists): huge is refused.
        // (Not `code`: an attempt on a domain already verified answers it without reading the code.)
        if (field.type !== 'StrictFormText' && /mode$|strategy|ticket|_ids?$|email_address|^names?$/.test(field.name)) {
          add('body', `${field.name}:huge`, withBody(base, enc({ ...form, [field.name]: HUGE_STRING })));
        }
      }
      for (const [variant, type] of [['text-plain', 'text/plain'], ['xml', 'application/xml'], ['missing', null], ['garbage', 'x'.repeat(200)],
        ['multipart-no-boundary', 'multipart/form-data'], ['raw-invalid-utf8', bytes('application/x-www-form-urlencoded', [0xff])]]) {
        add('body', `content-type-${variant}`, withBody(base, base.body ?? '', type));
      }
    }
    if (route.body === 'multipart') {
      const type = b => `multipart/form-data; boundary=${b}`;
      const good = 'hostileBoundary';
      const png = ctx.png;
      const part = (b, data, name = 'file', ptype = 'image/png') => multipartBody(b, [{ name, filename: 'logo.png', type: ptype, data }]);
      const mp = [
        ['no-boundary', 'multipart/form-data', part(good, png)],
        ['empty-boundary', 'multipart/form-data; boundary=', part(good, png)],
        ['boundary-71-chars', type('b'.repeat(71)), part('b'.repeat(71), png)],
        ['boundary-mismatch', type('other'), part(good, png)],
        ['boundary-bad-chars', type('a\u0001b'), part('a\u0001b', png)],
        ['boundary-quoted-unclosed', 'multipart/form-data; boundary="abc', part('abc', png)],
        ['boundary-two-params', `multipart/form-data; boundary=${good}; boundary=other`, part('other', png)],
        ['no-closing-delimiter', type(good), bytes(part(good, png).subarray(0, -(good.length + 6)))],
        ['no-parts', type(good), bytes(`--${good}--\r\n`)],
        ['empty-body', type(good), Buffer.alloc(0)],
        ['garbage-body', type(good), Buffer.from(r.junk(500))],
        ['no-content-disposition', type(good), bytes(`--${good}\r\nContent-Type: image/png\r\n\r\n`, png, `\r\n--${good}--\r\n`)],
        ['part-header-over-8k', type(good), bytes(`--${good}\r\nContent-Disposition: form-data; name="file"; filename="${'f'.repeat(9000)}"\r\n\r\n`, png, `\r\n--${good}--\r\n`)],
        ['65-parts', type(good), multipartBody(good, Array.from({ length: 65 }, (_, i) => ({ name: i === 64 ? 'file' : `f${i}`, data: 'x' })))],
        ['no-file-field', type(good), part(good, png, 'picture')],
        ['empty-file', type(good), part(good, Buffer.alloc(0))],
        ['not-an-image', type(good), part(good, Buffer.from('<?php system($_GET["c"]); ?>'), 'file', 'image/png')],
        ['truncated-png', type(good), part(good, png.subarray(0, 40))],
        ['png-header-only', type(good), part(good, png.subarray(0, 8))],
        ['bomb-png', type(good), part(good, bombPng())],
        ['html-as-image', type(good), part(good, Buffer.from('<html><script>alert(1)</script></html>'), 'file', 'text/html')],
        ['nested-multipart', type(good), part(good, part('inner', png), 'file', 'multipart/mixed; boundary=inner')],
        ['bare-lf', type(good), Buffer.from(part(good, png).toString('latin1').replace(/\r\n/g, '\n'), 'latin1')],
        ['file-over-limit', type(good), part(good, Buffer.alloc(10 * MiB + 1, 0x41))],
      ];
      for (const [variant, ct, b] of mp) add('body', `multipart-${variant}`, withBody(base, b, ct));
      for (const [variant, ct] of [['json', 'application/json'], ['text-plain', 'text/plain'], ['form', 'application/x-www-form-urlencoded'], ['missing', null]]) {
        add('body', `content-type-${variant}`, withBody(base, base.body, ct));
      }
      if (route.api === 'fapi') {
        add('body', 'octet-stream-empty', withBody(base, Buffer.alloc(0), 'application/octet-stream'));
        add('body', 'octet-stream-garbage', withBody(base, Buffer.from(r.junk(300)), 'application/octet-stream'));
        add('body', 'octet-stream-bomb', withBody(base, bombPng(), 'application/octet-stream'));
      }
    }
  }
  // A seeded shuffle: the cases of one route are spread over the run, so that a case orgd wrongly
  // carries out (and the state it destroys) does not blind the rest of that route's cases.
  for (let i = cases.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [cases[i], cases[j]] = [cases[j], cases[i]];
  }
  return cases;
}
