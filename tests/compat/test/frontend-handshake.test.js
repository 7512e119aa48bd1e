// The handshake of @clerk/backend's authenticateRequest against orgd (packages/backend/src/tokens
// handshake.ts and request.ts): a page load whose cookies no longer prove a session is redirected
// to orgd's GET /v1/client/handshake, which answers with the redirect back carrying
// __clerk_handshake, a JWT signed with the session-token key whose `handshake` lists the cookies
// to set; the SDK verifies it with orgd's JWKS and the page is then served signed in (or signed
// out). The redirect goes only to an allowed origin.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ORIGIN, useFrontend } from '../lib/frontend.js';
import { decodeJwt } from '../lib/tokens.js';

const ctx = useFrontend();

// What a browser sends on a page load of the app.
function pageRequest(url, cookie) {
  return new Request(url, {
    headers: { cookie, accept: 'text/html', 'sec-fetch-dest': 'document', host: new URL(url).host },
  });
}

function authenticate(request) {
  return ctx.clerk.authenticateRequest(request, {
    publishableKey: ctx.publishableKey,
    proxyUrl: ctx.frontendUrl,
  });
}

// Follows the SDK's redirect to orgd with the browser's own cookies there; resolves with the
// redirect orgd answers.
async function followToOrgd(browser, location) {
  assert.ok(location.startsWith(`${ctx.frontendUrl}/v1/client/handshake?`), location);
  const res = await fetch(location, {
    headers: browser.cookies.size > 0 ? { cookie: browser.cookieHeader() } : {},
    redirect: 'manual',
  });
  return res;
}

describe('handshake', () => {
  test('a page load without a session cookie comes back signed in, with fresh cookies', async () => {
    const user = await ctx.clerk.users.createUser({ emailAddress: ['hs-ada@example.com'] });
    const browser = ctx.browser();
    await browser.signIn(user.id);
    const uat = browser.cookies.get('__client_uat').value;
    assert.ok(Number(uat) > 0);

    // __client_uat without __session: the SDK asks orgd.
    const first = await authenticate(pageRequest(`${ORIGIN}/dashboard?tab=1`, `__client_uat=${uat}`));
    assert.equal(first.status, 'handshake', first.reason);
    const toOrgd = first.headers.get('location');
    const answer = await followToOrgd(browser, toOrgd);
    assert.equal(answer.status, 307);
    const back = answer.headers.get('location');
    assert.ok(back.startsWith(`${ORIGIN}/dashboard?tab=1&__clerk_handshake=`), back);
    const handshake = new URL(back).searchParams.get('__clerk_handshake');
    const { header, payload } = decodeJwt(handshake);
    assert.equal(header.alg, 'RS256');
    assert.ok(payload.handshake.some(c => c.startsWith('__session=')), JSON.stringify(payload));

    const second = await authenticate(pageRequest(back, `__client_uat=${uat}`));
    assert.equal(second.status, 'signed-in', second.reason);
    const auth = second.toAuth();
    assert.equal(auth.userId, user.id);
    assert.equal(auth.sessionId, browser.sessionId);
    const cookies = second.headers.getSetCookie();
    assert.ok(cookies.some(c => c.startsWith('__session=')), cookies.join('\n'));
    assert.ok(cookies.some(c => c.startsWith(`__client_uat=${uat}`)), cookies.join('\n'));
  });

  test('a signed-out browser comes back signed out, its __client_uat reset', async () => {
    const browser = ctx.browser();
    const first = await authenticate(pageRequest(`${ORIGIN}/`, '__client_uat=1700000000'));
    assert.equal(first.status, 'handshake', first.reason);
    const answer = await followToOrgd(browser, first.headers.get('location'));
    assert.equal(answer.status, 307);
    const back = answer.headers.get('location');
    const { payload } = decodeJwt(new URL(back).searchParams.get('__clerk_handshake'));
    assert.ok(payload.handshake.includes('__client_uat=0; Path=/; SameSite=Lax; Max-Age=31536000'), JSON.stringify(payload));
    const second = await authenticate(pageRequest(back, '__client_uat=1700000000'));
    assert.equal(second.status, 'signed-out', second.reason);
  });

  test('redirects only to an allowed origin', async () => {
    const browser = ctx.browser();
    for (const target of ['https://evil.example.com/', 'javascript:alert(1)', '//evil.example.com/']) {
      const res = await fetch(`${ctx.frontendUrl}/v1/client/handshake?redirect_url=${encodeURIComponent(target)}`, { redirect: 'manual' });
      assert.equal(res.status, 422, target);
      assert.equal((await res.json()).errors[0].code, 'form_param_value_invalid');
    }
    void browser;
  });
});
