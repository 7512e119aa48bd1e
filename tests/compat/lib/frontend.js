// A Frontend API client that speaks as clerk-js 6.40.0 does (CLERK-JS.md §2–§5), for the tests
// of orgd's Frontend API outside the browser:
//   - a cookie jar per Browser: `__client` (httpOnly, the credential) and `__client_uat*` as orgd
//     sets them; `Origin` an allowed origin (or another, or none, when a test says so);
//   - the query clerk-js adds: __clerk_api_version=2026-08-20&_clerk_js_version=6.40.0, and
//     _clerk_session_id on every path outside /client;
//   - PATCH/PUT/DELETE sent as POST ?_method=…; bodies form-urlencoded (arrays as repeated keys,
//     null as the empty string, objects as JSON), or multipart / octet-stream for a logo;
//   - native mode: ?_is_native=1 and the credential in the Authorization header, taken from the
//     Authorization response header.
// Every answer goes through the contract check (lib/contract.js checkFrontendResponse, installed
// around fetch by lib/suite.js): the schema of fapi-organizations.yml and no `private_metadata`.
//
// useFrontend() starts one orgd per test file with its Frontend API on a second loopback port
// (--frontend-listen 127.0.0.1:0) and the app origin ORIGIN allowed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { registerFrontendOrigin } from './contract.js';
import { startOrgd } from './orgd.js';
import { useOrgd } from './suite.js';

export const ORIGIN = 'http://127.0.0.1:5173';
export const OTHER_ORIGIN = 'http://127.0.0.1:6666';
export const API_VERSION = '2026-08-20';
export const JS_VERSION = '6.40.0';

// pk_live_ + base64("<host:port of the Frontend API>$") without padding (fapi-interface, CLERK-JS §1).
export function frontendPublishableKey(frontendUrl) {
  return 'pk_live_' + Buffer.from(`${new URL(frontendUrl).host}$`).toString('base64').replace(/=+$/, '');
}
// clerk-js's cookie suffix: the first 8 characters of URL-safe base64 of SHA-1(publishable key).
export function cookieSuffix(publishableKey) {
  return createHash('sha1').update(publishableKey).digest('base64').replace(/\+/g, '-').replace(/\//g, '_').slice(0, 8);
}

// Resolves with orgd's Frontend API URL: `orgd.frontendUrl` once lib/orgd.js returns it, else the
// line `orgd frontend API listening on http://ADDR` on its stderr.
export async function frontendUrlOf(orgd, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (orgd.frontendUrl) return orgd.frontendUrl;
    const m = /frontend API listening on (http:\/\/\S+)/.exec(orgd.stderr);
    if (m) return m[1];
    if (Date.now() > deadline) throw new Error(`orgd printed no Frontend API line:\n${orgd.stderr}`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

// The flags that give an orgd its Frontend API; lib/orgd.js may come to pass --frontend-listen
// itself, and a flag given twice would stop orgd from starting.
function frontendArgs(origins) {
  const args = startOrgd.toString().includes('frontend-listen') ? [] : ['--frontend-listen', '127.0.0.1:0'];
  for (const origin of origins) args.push('--allowed-origin', origin);
  return args;
}

// Starts an orgd with its Frontend API (for a second one in a file); resolves with the orgd and
// its frontendUrl, registered for the contract check.
export async function startFrontendOrgd({ args = [], origins = [ORIGIN], ...options } = {}) {
  const orgd = await startOrgd({ ...options, args: [...frontendArgs(origins), ...args] });
  const frontendUrl = await frontendUrlOf(orgd);
  registerFrontendOrigin(frontendUrl);
  return { orgd, frontendUrl };
}

// useOrgd (lib/suite.js) with the Frontend API: ctx.frontendUrl, ctx.publishableKey, and
// ctx.browser(options) for a new Browser; `seed(ctx)` runs once all of that is there.
export function useFrontend({ args = [], origins = [ORIGIN], seed, ...options } = {}) {
  return useOrgd({
    ...options,
    args: [...frontendArgs(origins), ...args],
    async seed(c) {
      c.frontendUrl = await frontendUrlOf(c.orgd);
      registerFrontendOrigin(c.frontendUrl);
      c.publishableKey = frontendPublishableKey(c.frontendUrl);
      c.browser = (browserOptions = {}) => new Browser({ frontendUrl: c.frontendUrl, clerk: c.clerk, ...browserOptions });
      if (seed) await seed(c);
    },
  });
}

// form-urlencoded as clerk-js writes it: undefined dropped, null the empty string, arrays repeated
// keys, objects JSON.
export function formBody(fields) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (v === null) params.append(key, '');
      else if (typeof v === 'object') params.append(key, JSON.stringify(v));
      else params.append(key, String(v));
    }
  }
  return params.toString();
}

// One Set-Cookie header as { name, value, attributes: {lowercased name: value|true} }.
export function parseSetCookie(header) {
  const [pair, ...rest] = header.split(';');
  const eq = pair.indexOf('=');
  const attributes = {};
  for (const part of rest) {
    const i = part.indexOf('=');
    const key = (i < 0 ? part : part.slice(0, i)).trim().toLowerCase();
    if (key) attributes[key] = i < 0 ? true : part.slice(i + 1).trim();
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
}

function expired({ attributes }) {
  if (attributes['max-age'] !== undefined && Number(attributes['max-age']) <= 0) return true;
  if (attributes.expires && Date.parse(attributes.expires) <= Date.now()) return true;
  return false;
}

// A browser tab of the app at `origin`: its cookie jar for the Frontend API host, the session
// clerk-js would name in _clerk_session_id, and the calls clerk-js makes.
export class Browser {
  // origin: the Origin header (null: none); native: send ?_is_native=1 and Authorization instead
  // of cookies; clerk: the @clerk/backend client of the same orgd (signIn's sign-in tokens).
  constructor({ frontendUrl, clerk, origin = ORIGIN, native = false }) {
    this.frontendUrl = frontendUrl;
    this.clerk = clerk;
    this.origin = origin;
    this.native = native;
    this.cookies = new Map();  // name → { value, attributes }
    this.authorization = native ? '' : undefined;  // the native credential
    this.sessionId = undefined;
    this.lastSetCookies = [];
  }

  cookieHeader() {
    return [...this.cookies].map(([name, { value }]) => `${name}=${value}`).join('; ');
  }

  // A copy of this browser's credentials (another tab, or an attacker holding the cookie).
  clone(overrides = {}) {
    const copy = new Browser({ frontendUrl: this.frontendUrl, clerk: this.clerk, origin: this.origin, native: this.native, ...overrides });
    copy.cookies = new Map(this.cookies);
    copy.authorization = this.authorization;
    copy.sessionId = this.sessionId;
    return copy;
  }

  url(path, { query = {}, sessionId = this.sessionId, method = 'GET', wireMethod } = {}) {
    const url = new URL(path, this.frontendUrl);
    const params = new URLSearchParams(url.search);
    params.set('__clerk_api_version', API_VERSION);
    params.set('_clerk_js_version', JS_VERSION);
    const wire = wireMethod ?? (method === 'GET' || method === 'POST' || method === 'OPTIONS' ? method : 'POST');
    if (wire !== method) params.set('_method', method);
    if (sessionId && !url.pathname.startsWith('/v1/client') && !url.pathname.startsWith('/v1/waitlist')) {
      params.set('_clerk_session_id', sessionId);
    }
    if (this.native) params.set('_is_native', '1');
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) params.append(key, v === null ? '' : String(v));
    }
    url.search = params.toString();
    return { url, wire };
  }

  // One request as clerk-js sends it. `method` is the one clerk-js means; options:
  //   form (fields, form-urlencoded), body + contentType (sent as is), multipart (a FormData),
  //   query, sessionId (default this.sessionId; null for none), origin (default this.origin;
  //   null for none), headers, wireMethod (send this HTTP method instead of the _method rule),
  //   cookies: false to send none.
  // Resolves with { status, headers, text, json, setCookies }.
  async request(method, path, options = {}) {
    const { form, body: rawBody, contentType, multipart, headers = {}, cookies = true } = options;
    const origin = options.origin === undefined ? this.origin : options.origin;
    const { url, wire } = this.url(path, { ...options, method });
    const h = new Headers(headers);
    if (origin !== null && !h.has('origin')) h.set('origin', origin);
    if (this.native) {
      if (!h.has('authorization')) h.set('authorization', this.authorization ?? '');
    } else if (cookies && this.cookies.size > 0 && !h.has('cookie')) {
      h.set('cookie', this.cookieHeader());
    }
    let body;
    if (multipart) {
      body = multipart;
    } else if (rawBody !== undefined) {
      body = rawBody;
      if (contentType) h.set('content-type', contentType);
    } else if (wire !== 'GET' && wire !== 'OPTIONS') {
      body = formBody(form ?? {});
      h.set('content-type', 'application/x-www-form-urlencoded');
    }
    const res = await fetch(url, { method: wire, headers: h, body, redirect: 'manual' });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const setCookies = res.headers.getSetCookie().map(parseSetCookie);
    this.lastSetCookies = setCookies;
    for (const cookie of setCookies) {
      if (expired(cookie)) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, { value: cookie.value, attributes: cookie.attributes });
    }
    if (this.native && res.headers.get('authorization') !== null) this.authorization = res.headers.get('authorization');
    return { status: res.status, headers: res.headers, text, json, setCookies };
  }

  get(path, options) {
    return this.request('GET', path, options);
  }
  post(path, form, options = {}) {
    return this.request('POST', path, { ...options, form });
  }
  patch(path, form, options = {}) {
    return this.request('PATCH', path, { ...options, form });
  }
  put(path, form, options = {}) {
    return this.request('PUT', path, { ...options, form });
  }
  delete(path, options = {}) {
    return this.request('DELETE', path, options);
  }

  // Signs `userId` in as clerk-js does a ticket sign-in: a Backend API sign-in token
  // (@clerk/backend signInTokens.createSignInToken), redeemed at POST /v1/client/sign_ins.
  // The created session becomes this.sessionId. Resolves with the sign-in response.
  async signIn(userId, { expiresInSeconds = 600 } = {}) {
    const sit = await this.clerk.signInTokens.createSignInToken({ userId, expiresInSeconds });
    const res = await this.redeem(sit.token);
    assert.equal(res.status, 200, `ticket sign-in of ${userId}: ${res.text}`);
    assert.equal(res.json.response.status, 'complete', res.text);
    const sid = res.json.response.created_session_id;
    assert.ok(res.json.client.sessions.some(s => s.id === sid), `client.sessions lacks the created session ${sid}`);
    this.sessionId = sid;
    return res;
  }

  redeem(ticket, extra = {}) {
    return this.post('/v1/client/sign_ins', { strategy: 'ticket', ticket, locale: 'en-US', timezone: 'UTC', ...extra });
  }

  // setActive({organization}): POST …/touch with active_organization_id (id, slug or "" for none).
  touch(organization, { intent = 'select_org', sessionId = this.sessionId } = {}) {
    return this.post(`/v1/client/sessions/${sessionId}/touch`, { active_organization_id: organization, intent });
  }

  // getToken({organizationId}): POST …/tokens with organization_id (bare {object, jwt}).
  token(organizationId, { sessionId = this.sessionId } = {}) {
    return this.post(`/v1/client/sessions/${sessionId}/tokens`, { organization_id: organizationId ?? '', tab_state: 'focused' });
  }
}

// Asserts a Clerk error envelope from the Frontend API with this status and code.
export function assertFapiError(res, status, code, paramName) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${res.text}`);
  assert.equal(res.headers.get('content-type'), 'application/json', res.text);
  assert.ok(Array.isArray(res.json?.errors) && res.json.errors.length >= 1, res.text);
  const [error] = res.json.errors;
  assert.equal(error.code, code, res.text);
  assert.ok(error.message.length > 0, res.text);
  assert.ok(error.long_message.length > 0, res.text);
  if (paramName !== undefined) assert.equal(error.meta?.param_name, paramName, res.text);
}

// The Set-Cookie named `name` among `setCookies` (undefined when absent).
export const setCookieNamed = (setCookies, name) => setCookies.find(c => c.name === name);
