// Rate limits (issue 19; BEHAVIOR.md §1.9 and the 429 row of §1) against the real binary: the
// Frontend API's per-client-IP profile (`--frontend-rate-limit clerk`; lib/orgd.js passes `off`
// unless a test names the flag), who the client is behind `--trusted-proxy`, and the Backend
// API's limits (`--bapi-rate-limit`, off by default). A refused request is Clerk's 429
// too_many_requests envelope with an integer Retry-After, and it changes nothing; that is read
// back through the Backend API.
//
// The windows are 10 s, so each block gets its own orgd (a fresh window), the addresses a block
// presents through X-Forwarded-For are its own, and only one test waits a window out.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { describe, test } from 'node:test';
import { ORIGIN, assertFapiError, formBody, useFrontend } from '../lib/frontend.js';
import { newDataDir, newSecretKey, removeDataDir, startOrgd } from '../lib/orgd.js';
import { assertClerkError, assertSdkError, useOrgd } from '../lib/suite.js';
import { sleep } from '../lib/tokens.js';

const ACCEPT_URL = `${ORIGIN}/accept-invitation`;
const WINDOW_SECONDS = 10;

// Retry-After of a 429: whole seconds, at least 1 (clerk-js waits that long), at most the window.
function retryAfterOf(headers) {
  const value = headers.get('retry-after');
  assert.match(value ?? '', /^[1-9][0-9]*$/, `Retry-After is ${JSON.stringify(value)}`);
  assert.ok(Number(value) <= WINDOW_SECONDS, `Retry-After ${value} is longer than the ${WINDOW_SECONDS} s window`);
  return Number(value);
}

// A Frontend API 429: the envelope, Retry-After, and the CORS headers that let clerk-js in the
// app's origin read both (Retry-After is not a CORS-safelisted response header).
function assertFapiTooMany(res) {
  assertFapiError(res, 429, 'too_many_requests');
  const seconds = retryAfterOf(res.headers);
  assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN, 'a 429 clerk-js cannot read');
  const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/\s*,\s*/);
  assert.ok(exposed.includes('retry-after'), `Retry-After not exposed: ${res.headers.get('access-control-expose-headers')}`);
  assert.equal(setCookieNames(res).includes('__client'), false, 'a refused request set a __client cookie');
  return seconds;
}

function assertBapiTooMany(res) {
  assertClerkError(res, 429, 'too_many_requests');
  return retryAfterOf(res.headers);
}

const setCookieNames = res => res.setCookies.map(c => c.name);

// Runs fn(i) for i in [0, n) with at most `inFlight` at a time; resolves with the results in order.
async function times(n, inFlight, fn) {
  const results = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      results[i] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, inFlight) }, worker));
  return results;
}

const statusesOf = results => results.map(r => r.status);
const all2xx = results => results.every(r => r.status >= 200 && r.status < 300);

let counter = 0;
const address = tag => `${tag}${++counter}@limits.example.com`;
const ticketForm = ticket => ({ strategy: 'ticket', ticket, locale: 'en-US', timezone: 'UTC' });
const ticketOf = invitation => new URL(invitation.url).searchParams.get('__clerk_ticket');
// The client address a trusted proxy presents.
const via = ip => ({ headers: { 'x-forwarded-for': ip } });

async function sessionsOf(ctx, userId) {
  const res = await ctx.raw('GET', `/v1/sessions?user_id=${userId}&paginated=true&limit=500`);
  assert.equal(res.status, 200, res.text);
  return res.json.data;
}

describe('Frontend API, clerk profile: per client IP behind a trusted proxy', () => {
  // Every request of this block comes through a "proxy" at 127.0.0.1, so the client is the
  // X-Forwarded-For address each test picks (documentation range 198.51.100.0/24; never dialled).
  const w = {};
  const ctx = useFrontend({
    args: ['--frontend-rate-limit', 'clerk', '--trusted-proxy', '127.0.0.1'],
    async seed(c) {
      w.org = await c.clerk.organizations.createOrganization({ name: 'Limits Org', slug: 'limits-org', maxAllowedMemberships: 0 });
    },
  });
  const newUser = () => ctx.clerk.users.createUser({ emailAddress: [address('user')], firstName: 'Ada', lastName: 'Limit' });
  const signInToken = user => ctx.clerk.signInTokens.createSignInToken({ userId: user.id, expiresInSeconds: 600 });

  test('sign_ins 5/10 s: the 6th is 429 and makes no session; another IP signs in; after Retry-After the same ticket works', async () => {
    const ip = '198.51.100.10';
    const user = await newUser();
    const sit = await signInToken(user);
    for (let i = 0; i < 5; i++) {
      // Refused tickets count too: a limit that only counted successes would not slow a guesser.
      assertFapiError(await ctx.browser().post('/v1/client/sign_ins', ticketForm('not-a-ticket'), via(ip)), 400, 'ticket_invalid_code');
    }
    const refused = await ctx.browser().post('/v1/client/sign_ins', ticketForm(sit.token), via(ip));
    const seconds = assertFapiTooMany(refused);
    assert.equal((await sessionsOf(ctx, user.id)).length, 0, 'the refused sign-in made a session');

    // Another client address is not affected.
    const other = await newUser();
    const elsewhere = await ctx.browser().post('/v1/client/sign_ins', ticketForm((await signInToken(other)).token), via('198.51.100.11'));
    assert.equal(elsewhere.status, 200, elsewhere.text);
    assert.equal(elsewhere.json.response.status, 'complete', elsewhere.text);

    // Still refused at once; answered again once Retry-After has passed, and the ticket the 429
    // saw was not spent.
    assertFapiTooMany(await ctx.browser().post('/v1/client/sign_ins', ticketForm(sit.token), via(ip)));
    await sleep(seconds * 1000 + 300);
    const browser = ctx.browser();
    const res = await browser.post('/v1/client/sign_ins', ticketForm(sit.token), via(ip));
    assert.equal(res.status, 200, `after Retry-After ${seconds} s: ${res.text}`);
    assert.equal(res.json.response.status, 'complete', res.text);
    assert.ok(setCookieNames(res).includes('__client'));
    const sessions = await sessionsOf(ctx, user.id);
    assert.deepEqual(sessions.map(s => s.id), [res.json.response.created_session_id]);
  });

  test('sign_ups 5/10 s: the 6th is 429 and creates no user and keeps the invitation; another IP signs up with it', async () => {
    const ip = '198.51.100.20';
    const email = address('invitee');
    const invitation = await ctx.clerk.organizations.createOrganizationInvitation({
      organizationId: w.org.id, emailAddress: email, role: 'org:member', redirectUrl: ACCEPT_URL,
    });
    for (let i = 0; i < 5; i++) {
      const res = await ctx.browser().post('/v1/client/sign_ups', ticketForm('not-a-ticket'), via(ip));
      assert.ok(res.status >= 400 && res.status < 500 && res.status !== 429, `sign-up ${i + 1}: ${res.status} ${res.text}`);
    }
    assertFapiTooMany(await ctx.browser().post('/v1/client/sign_ups', ticketForm(ticketOf(invitation)), via(ip)));
    assert.equal((await ctx.clerk.users.getUserList({ emailAddress: [email] })).totalCount, 0, 'the refused sign-up made a user');
    const read = await ctx.clerk.organizations.getOrganizationInvitation({ organizationId: w.org.id, invitationId: invitation.id });
    assert.equal(read.status, 'pending');

    const res = await ctx.browser().post('/v1/client/sign_ups', ticketForm(ticketOf(invitation)), via('198.51.100.21'));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.response.status, 'complete', res.text);
    assert.equal((await ctx.clerk.users.getUserList({ emailAddress: [email] })).totalCount, 1);
  });

  test('the sign-in and sign-up limits are apart, and other Frontend API calls of a limited IP still answer', async () => {
    const ip = '198.51.100.30';
    for (let i = 0; i < 5; i++) {
      assertFapiError(await ctx.browser().post('/v1/client/sign_ins', ticketForm('not-a-ticket'), via(ip)), 400, 'ticket_invalid_code');
    }
    assertFapiTooMany(await ctx.browser().post('/v1/client/sign_ins', ticketForm('not-a-ticket'), via(ip)));
    const signUp = await ctx.browser().post('/v1/client/sign_ups', ticketForm('not-a-ticket'), via(ip));
    assert.notEqual(signUp.status, 429, `sign_ups refused by the sign_ins limit: ${signUp.text}`);
    for (const path of ['/v1/environment', '/v1/client']) {
      const res = await ctx.browser().get(path, via(ip));
      assert.equal(res.status, 200, `${path}: ${res.text}`);
    }
  });

  test('100 requests per 10 s per session: the 101st of one session is 429, another session from the same IP is served', async () => {
    const ip = '198.51.100.50';
    const signIn = async () => {
      const browser = ctx.browser();
      const res = await browser.post('/v1/client/sign_ins', ticketForm((await signInToken(await newUser())).token), via(ip));
      assert.equal(res.status, 200, res.text);
      browser.sessionId = res.json.response.created_session_id;
      return browser;
    };
    const [busy, calm] = [await signIn(), await signIn()];
    const token = browser => browser.post(`/v1/client/sessions/${browser.sessionId}/tokens`, { organization_id: '' }, via(ip));
    const results = await times(100, 4, () => token(busy));
    assert.deepEqual([...new Set(statusesOf(results))], [200], `statuses within the limit: ${statusesOf(results)}`);
    assertFapiTooMany(await token(busy));
    const other = await token(calm);
    assert.equal(other.status, 200, `another session of the same address: ${other.text}`);
  });
});

// One request from a chosen loopback source address (fetch cannot choose it), on its own connection.
function sendFrom(localAddress, url, { method = 'POST', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, localAddress, agent: false }, res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: new Headers(res.headers), text, json, setCookies: [] });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('Frontend API: X-Forwarded-For is believed only from --trusted-proxy', () => {
  // Only 127.0.0.2 is a proxy here; 127.0.0.1 and 127.0.0.3 are clients that may lie.
  const ctx = useFrontend({ args: ['--frontend-rate-limit', 'clerk', '--trusted-proxy', '127.0.0.2'] });
  const signIn = (source, forwardedFor) => {
    const headers = { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' };
    if (forwardedFor !== undefined) headers['x-forwarded-for'] = forwardedFor;
    return sendFrom(source, ctx.browser().url('/v1/client/sign_ins').url, { headers, body: formBody(ticketForm('not-a-ticket')) });
  };

  test('an untrusted peer cannot spread its attempts over forged addresses; the proxy’s clients are told apart by the rightmost untrusted hop', async () => {
    for (let i = 0; i < 5; i++) {
      assertFapiError(await signIn('127.0.0.1', `198.51.100.${40 + i}`), 400, 'ticket_invalid_code');
    }
    // All five counted against 127.0.0.1, whatever X-Forwarded-For said.
    assertFapiTooMany(await signIn('127.0.0.1', '198.51.100.99'));
    assertFapiTooMany(await signIn('127.0.0.1'));
    // The address 127.0.0.1 forged first has had no attempt of its own...
    assertFapiError(await signIn('127.0.0.2', '198.51.100.40'), 400, 'ticket_invalid_code');
    // ...while the proxy passing on 127.0.0.1's own requests (a forged hop on the left, the real
    // peer the proxy appended on the right) is 127.0.0.1, which is limited.
    assertFapiTooMany(await signIn('127.0.0.2', '198.51.100.77, 127.0.0.1'));
    assertFapiTooMany(await signIn('127.0.0.2', '127.0.0.1, 127.0.0.2'));
    // Another untrusted peer is its own client.
    assertFapiError(await signIn('127.0.0.3', '198.51.100.41'), 400, 'ticket_invalid_code');
  });
});

describe('Frontend API, --frontend-rate-limit off', () => {
  const ctx = useFrontend({ args: ['--frontend-rate-limit', 'off'] });

  test('twelve sign-ins and twelve sign-ups from one address in a second: none refused', async () => {
    for (const path of ['/v1/client/sign_ins', '/v1/client/sign_ups']) {
      const results = await times(12, 2, () => ctx.browser().post(path, ticketForm('not-a-ticket')));
      assert.ok(results.every(r => r.status >= 400 && r.status < 500 && r.status !== 429), `${path}: ${statusesOf(results)}`);
    }
  });
});

describe('Backend API, default (no --bapi-rate-limit): no limit', () => {
  const ctx = useOrgd();

  test('150 quick requests with a sk_test_ key all answer 2xx', async () => {
    const results = await times(150, 8, () => ctx.raw('GET', '/v1/organizations?limit=1'));
    assert.ok(all2xx(results), `statuses: ${statusesOf(results).filter(s => s >= 300)}`);
  });
});

describe('Backend API, --bapi-rate-limit clerk with a sk_test_ key: 100/10 s', () => {
  // No seed: the window must hold only this test's requests.
  const ctx = useOrgd({ args: ['--bapi-rate-limit', 'clerk'] });

  test('the 101st request is 429 with Retry-After, the SDK reports it, GET /v1/jwks still answers', async () => {
    const results = await times(100, 8, () => ctx.raw('GET', '/v1/organizations?limit=1'));
    assert.ok(all2xx(results), `statuses within the limit: ${statusesOf(results).filter(s => s >= 300)}`);
    assertBapiTooMany(await ctx.raw('GET', '/v1/organizations?limit=1'));
    // The whole API, not one endpoint.
    assertBapiTooMany(await ctx.raw('POST', '/v1/organizations', { json: { name: 'Refused', slug: 'refused-when-limited' } }));
    await assert.rejects(ctx.clerk.organizations.getOrganizationList(), err => {
      assert.equal(err.status, 429, JSON.stringify(err.errors));
      assert.equal(err.errors?.[0]?.code, 'too_many_requests', JSON.stringify(err.errors));
      // @clerk/backend reads Retry-After into ClerkAPIResponseError.retryAfter.
      assert.ok(Number.isInteger(err.retryAfter) && err.retryAfter >= 1, `retryAfter ${err.retryAfter}`);
      return true;
    });
    for (let i = 0; i < 5; i++) {
      const jwks = await ctx.raw('GET', '/v1/jwks');
      assert.equal(jwks.status, 200, `GET /v1/jwks while limited: ${jwks.text}`);
      assert.ok(jwks.json.keys.length >= 1);
    }
  });
});

describe('Backend API, --bapi-rate-limit clerk with a sk_live_ key: 1000/10 s, and 10/10 s per organization', () => {
  const ctx = useOrgd({ secretKeys: [newSecretKey('live')], args: ['--bapi-rate-limit', 'clerk'] });

  test('requests 101 to 150 in the window pass', async () => {
    const results = await times(150, 8, () => ctx.raw('GET', '/v1/organizations?limit=1'));
    assert.ok(all2xx(results), `statuses: ${statusesOf(results).filter(s => s >= 300)}`);
  });

  test('PATCH /v1/organizations/{id}: the 11th for one organization is 429 and changes nothing; another organization’s passes', async () => {
    const a = await ctx.clerk.organizations.createOrganization({ name: 'Patched A', slug: 'patched-a' });
    const b = await ctx.clerk.organizations.createOrganization({ name: 'Patched B', slug: 'patched-b' });
    for (let i = 1; i <= 10; i++) {
      const res = await ctx.raw('PATCH', `/v1/organizations/${a.id}`, { json: { name: `Patched A ${i}` } });
      assert.equal(res.status, 200, `PATCH ${i}: ${res.text}`);
    }
    const before = await ctx.raw('GET', `/v1/organizations/${a.id}`);
    assert.equal(before.json.name, 'Patched A 10');
    assertBapiTooMany(await ctx.raw('PATCH', `/v1/organizations/${a.id}`, { json: { name: 'Patched A 11', max_allowed_memberships: 3 } }));
    await assertSdkError(ctx.clerk.organizations.updateOrganization(a.id, { name: 'Patched A sdk' }), 429, 'too_many_requests');
    const after = await ctx.raw('GET', `/v1/organizations/${a.id}`);
    assert.equal(after.status, 200, 'reads of a limited organization are not limited by its PATCH row');
    assert.deepEqual(after.json, before.json, 'a refused PATCH changed the organization');

    const other = await ctx.raw('PATCH', `/v1/organizations/${b.id}`, { json: { name: 'Patched B 1' } });
    assert.equal(other.status, 200, other.text);
    assert.equal(other.json.name, 'Patched B 1');
  });
});

describe('Backend API, --bapi-rate-limit 20/10s', () => {
  const ctx = useOrgd({ args: ['--bapi-rate-limit', '20/10s'] });

  test('the 21st request is 429; GET /v1/jwks still answers', async () => {
    const results = await times(20, 4, () => ctx.raw('GET', '/v1/organizations?limit=1'));
    assert.ok(all2xx(results), `statuses: ${statusesOf(results)}`);
    assertBapiTooMany(await ctx.raw('GET', '/v1/organizations?limit=1'));
    const jwks = await ctx.raw('GET', '/v1/jwks');
    assert.equal(jwks.status, 200, jwks.text);
  });
});

describe('limit flags that mean nothing', () => {
  for (const args of [
    ['--bapi-rate-limit', 'sometimes'],
    ['--bapi-rate-limit', '0/10s'],
    ['--bapi-rate-limit', '20/never'],
    ['--frontend-rate-limit', 'strict'],
  ]) {
    test(`${args.join(' ')}: orgd refuses to start`, async () => {
      const dataDir = newDataDir();
      try {
        await assert.rejects(startOrgd({ dataDir, args }), /exited/);
      } finally {
        removeDataDir(dataDir);
      }
    });
  }
});
