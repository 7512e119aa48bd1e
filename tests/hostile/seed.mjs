// A realistic state for the hostile cases to aim at, made through the Backend API (and the
// Frontend API for what only a signed-in user makes): organizations with metadata, users,
// memberships, invitations, a custom role with a permission, verified domains with a suggestion
// and a membership request, a pending sign-in token, images, a webhook endpoint whose messages
// were delivered, and a signed-in Frontend API client (ticket sign-in, as clerk-js does it).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const PNG = readFileSync(join(here, '..', 'compat', 'fixtures', 'logo.png'));
// Marks private metadata: a Frontend API error body that carries it leaks it.
export const PRIVATE_MARKER = 'hostile-private-7f3a';

// A webhook receiver on a free loopback port that accepts every delivery, so the dispatcher's
// messages end delivered (nothing left to retry while the cases run). Resolves with
// { url, close(), received }.
export async function startWebhookReceiver() {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hooks`,
    get received() {
      return received;
    },
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

// The Backend API through fetch (the seed is well-formed: raw sockets are for the cases).
function bapi(orgd) {
  return async (method, path, json, { multipart } = {}) => {
    const headers = { authorization: `Bearer ${orgd.secretKey}` };
    let body;
    if (multipart) body = multipart;
    else if (json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(json);
    }
    const res = await fetch(orgd.url + path, { method, headers, body });
    const text = await res.text();
    assert.ok(res.status < 300, `seed: ${method} ${path} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

// A Frontend API client: its __client cookie, signed in by a Backend API sign-in token.
async function signIn(orgd, call, origin, userId) {
  const sit = await call('POST', '/v1/sign_in_tokens', { user_id: userId, expires_in_seconds: 600 });
  const url = new URL('/v1/client/sign_ins', orgd.frontendAddress);
  url.search = '__clerk_api_version=2026-08-20&_clerk_js_version=6.40.0';
  const res = await fetch(url, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ strategy: 'ticket', ticket: sit.token }).toString(),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `seed: ticket sign-in of ${userId}: ${text}`);
  const json = JSON.parse(text);
  const cookies = res.headers.getSetCookie().map(c => c.split(';')[0]);
  const client = cookies.find(c => c.startsWith('__client='));
  assert.ok(client, `seed: no __client cookie: ${cookies}`);
  return { cookie: cookies.join('; '), clientCookie: client, sessionId: json.response.created_session_id, clientId: json.client.id };
}

// A Frontend API call of a signed-in browser (for the seed's own steps).
async function fapiCall(orgd, origin, browser, method, path, form) {
  const url = new URL(path, orgd.frontendAddress);
  url.searchParams.set('__clerk_api_version', '2026-08-20');
  url.searchParams.set('_clerk_session_id', browser.sessionId);
  if (method !== 'GET' && method !== 'POST') url.searchParams.set('_method', method);
  const res = await fetch(url, {
    method: method === 'GET' ? 'GET' : 'POST',
    headers: { origin, cookie: browser.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: method === 'GET' ? undefined : new URLSearchParams(form ?? {}).toString(),
  });
  const text = await res.text();
  assert.ok(res.status < 300, `seed: FAPI ${method} ${path} → ${res.status} ${text}`);
  return JSON.parse(text);
}

// Seeds `orgd` (from startOrgd) and resolves with the IDs the cases use. `origin` is the allowed
// origin the Frontend API was started with; `webhookUrl` the receiver's URL.
export async function seed(orgd, { origin, webhookUrl }) {
  const call = bapi(orgd);
  const domainA = 'hostile-acme.com';
  const domainB = 'hostile-beta.org';
  await call('PATCH', '/v1/instance/organization_settings', {
    domains_enabled: true,
    domains_enrollment_modes: ['manual_invitation', 'automatic_invitation', 'automatic_suggestion'],
  });
  const user = (email, extra = {}) => call('POST', '/v1/users', {
    email_address: [email],
    public_metadata: { tier: 'gold' },
    private_metadata: { secret: PRIVATE_MARKER },
    unsafe_metadata: { theme: 'dark' },
    ...extra,
  });
  const alice = await user(`alice@${domainA}`, { first_name: 'Alice', last_name: 'Admin', username: 'alice', external_id: 'ext-alice' });
  const bob = await user(`bob@${domainA}`, { first_name: 'Bob', username: 'bobby' });
  const carol = await user('carol@example.net', { first_name: 'Carol' });
  const dave = await user(`dave@${domainB}`, { first_name: 'Dave' });
  const erin = await user(`erin@${domainB}`, { first_name: 'Erin' });
  // Victims: what the cases aimed at DELETE routes would destroy if orgd carried one out, so that
  // one defect does not take the objects every other case needs with it.
  const victor = await user('victor@example.net', { first_name: 'Victor' });

  const orgA = await call('POST', '/v1/organizations', {
    name: 'Acme Hostile', slug: 'acme-hostile', created_by: alice.id, max_allowed_memberships: 50,
    public_metadata: { plan: 'pro' }, private_metadata: { secret: PRIVATE_MARKER },
  });
  const orgB = await call('POST', '/v1/organizations', {
    name: 'Beta Hostile', slug: 'beta-hostile', created_by: bob.id,
    public_metadata: { plan: 'free' }, private_metadata: { secret: PRIVATE_MARKER },
  });
  await call('POST', `/v1/organizations/${orgA.id}/memberships`, {
    user_id: bob.id, role: 'org:member', public_metadata: { team: 'red' }, private_metadata: { secret: PRIVATE_MARKER },
  });
  await call('POST', `/v1/organizations/${orgB.id}/memberships`, { user_id: alice.id, role: 'org:admin' });
  await call('POST', `/v1/organizations/${orgA.id}/memberships`, { user_id: victor.id, role: 'org:member' });
  const victimOrg = await call('POST', '/v1/organizations', { name: 'Victim Hostile', slug: 'victim-hostile', created_by: alice.id });
  await call('POST', `/v1/organizations/${victimOrg.id}/memberships`, { user_id: bob.id, role: 'org:admin' });

  const permission = await call('POST', '/v1/organization_permissions', {
    name: 'Read widgets', key: 'org:widgets:read', description: 'Reads widgets',
  });
  const role = await call('POST', '/v1/organization_roles', {
    name: 'Widget reader', key: 'org:widget_reader', description: 'Reads widgets',
  });
  await call('POST', `/v1/organization_roles/${role.id}/permissions/${permission.id}`);
  const otherPermission = await call('POST', '/v1/organization_permissions', {
    name: 'Write widgets', key: 'org:widgets:write', description: 'Writes widgets',
  });
  await call('POST', `/v1/organization_roles/${role.id}/permissions/${otherPermission.id}`);
  const victimRole = await call('POST', '/v1/organization_roles', { name: 'Victim role', key: 'org:victim', description: 'Deletable' });

  const invitation = await call('POST', `/v1/organizations/${orgA.id}/invitations`, {
    email_address: 'carol@example.net', role: 'org:member', inviter_user_id: alice.id,
    public_metadata: { source: 'seed' }, private_metadata: { secret: PRIVATE_MARKER }, notify: false,
  });
  // Frank has no user: his invitation's ticket is what a sign-up redeems.
  const frankInvitation = await call('POST', `/v1/organizations/${orgA.id}/invitations`, {
    email_address: 'frank@example.net', role: 'org:widget_reader', inviter_user_id: alice.id, notify: false,
    redirect_url: `${origin}/accept`,
  });
  const signUpTicket = new URL(frankInvitation.url).searchParams.get('__clerk_ticket');
  assert.ok(signUpTicket, `seed: no ticket in ${frankInvitation.url}`);
  // An invitation to Alice herself (orgB already has her; orgC does not), for .../accept.
  const orgC = await call('POST', '/v1/organizations', { name: 'Gamma Hostile', slug: 'gamma-hostile', created_by: carol.id });
  const aliceInvitation = await call('POST', `/v1/organizations/${orgC.id}/invitations`, {
    email_address: alice.email_addresses[0].email_address, role: 'org:member', notify: false,
  });

  const domA = await call('POST', `/v1/organizations/${orgA.id}/domains`, {
    name: domainA, enrollment_mode: 'manual_invitation', verified: true,
  });
  // A verified automatic_suggestion domain on orgA: Dave and Erin (of domainB) get suggestions.
  const domB = await call('POST', `/v1/organizations/${orgA.id}/domains`, {
    name: domainB, enrollment_mode: 'automatic_suggestion', verified: true,
  });
  const domUnverified = await call('POST', `/v1/organizations/${orgB.id}/domains`, {
    name: 'hostile-unverified.net', enrollment_mode: 'manual_invitation', verified: false,
  });
  const victimDomain = await call('POST', `/v1/organizations/${orgA.id}/domains`, {
    name: 'hostile-victim.net', enrollment_mode: 'manual_invitation', verified: false,
  });

  const logoForm = new FormData();
  logoForm.append('file', new Blob([PNG], { type: 'image/png' }), 'logo.png');
  const withLogo = await call('PUT', `/v1/organizations/${orgA.id}/logo`, undefined, { multipart: logoForm });
  const avatarForm = new FormData();
  avatarForm.append('file', new Blob([PNG], { type: 'image/png' }), 'me.png');
  await call('POST', `/v1/users/${alice.id}/profile_image`, undefined, { multipart: avatarForm });
  const imageId = new URL(withLogo.image_url).pathname.split('/').pop();

  const endpoint = await call('POST', '/v1/webhook_endpoints', { url: webhookUrl, description: 'hostile seed' });

  // Signed-in browsers: Alice (the cases' client), Dave (asks to join orgA through his suggestion),
  // Erin (keeps a pending suggestion).
  const aliceBrowser = await signIn(orgd, call, origin, alice.id);
  // Alice's second browser: the one the cases that end or delete a client or session aim at.
  const victimBrowser = await signIn(orgd, call, origin, alice.id);
  await fapiCall(orgd, origin, aliceBrowser, 'POST', `/v1/client/sessions/${aliceBrowser.sessionId}/touch`, {
    active_organization_id: orgA.id,
  });
  const daveBrowser = await signIn(orgd, call, origin, dave.id);
  const suggestions = await fapiCall(orgd, origin, daveBrowser, 'GET', '/v1/me/organization_suggestions?status=pending');
  const daveSuggestion = suggestions.response.data[0];
  assert.ok(daveSuggestion, `seed: Dave has no suggestion: ${JSON.stringify(suggestions)}`);
  await fapiCall(orgd, origin, daveBrowser, 'POST', `/v1/me/organization_suggestions/${daveSuggestion.id}/accept`, {});
  const requests = await fapiCall(orgd, origin, aliceBrowser, 'GET', `/v1/organizations/${orgA.id}/membership_requests?status=pending`);
  const membershipRequest = requests.response.data[0];
  assert.ok(membershipRequest, `seed: no membership request: ${JSON.stringify(requests)}`);
  const erinBrowser = await signIn(orgd, call, origin, erin.id);
  const erinSuggestions = await fapiCall(orgd, origin, erinBrowser, 'GET', '/v1/me/organization_suggestions?status=pending');
  const erinSuggestion = erinSuggestions.response.data[0];
  assert.ok(erinSuggestion, 'seed: Erin has no suggestion');

  // A Backend API session of Bob and a pending sign-in token of Carol.
  const bobSession = await call('POST', '/v1/sessions', { user_id: bob.id });
  const signInToken = await call('POST', '/v1/sign_in_tokens', { user_id: carol.id, expires_in_seconds: 3600 });
  const revocableToken = await call('POST', '/v1/sign_in_tokens', { user_id: carol.id, expires_in_seconds: 3600 });

  // The webhook dispatcher has delivered every event so far: a message exists for retry.
  let messages;
  for (let i = 0; i < 100; i++) {
    messages = await call('GET', `/v1/webhook_endpoints/${endpoint.id}/messages?status=pending&limit=1`);
    if ((messages.data ?? messages).length === 0) break;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  const delivered = await call('GET', `/v1/webhook_endpoints/${endpoint.id}/messages?limit=1`);
  const message = (delivered.data ?? delivered)[0];
  assert.ok(message, `seed: no webhook message: ${JSON.stringify(delivered)}`);

  return {
    // Real IDs per path placeholder: the first is the one a case aims at.
    ids: {
      organization_id: [orgA.id, orgB.id, orgC.id],
      user_id: [bob.id, alice.id, carol.id],
      invitation_id: [invitation.id, aliceInvitation.id],
      domain_id: [domA.id, domB.id, domUnverified.id],
      session_id: [aliceBrowser.sessionId, bobSession.id],
      template_name: ['hostile'],
      sign_in_token_id: [revocableToken.id],
      permission_id: [permission.id, otherPermission.id],
      organization_role_id: [role.id],
      endpoint_id: [endpoint.id],
      message_id: [message.id],
      file: [`${orgB.id}.svg`, `${carol.id}.svg`],
      image_id: [imageId],
      suggestion_id: [erinSuggestion.id],
      request_id: [membershipRequest.id],
    },
    // What a DELETE route's last placeholder is filled with.
    victims: {
      organization_id: victimOrg.id,
      user_id: victor.id,
      domain_id: victimDomain.id,
      organization_role_id: victimRole.id,
      permission_id: otherPermission.id,
    },
    // The Frontend API client the cases speak as (Alice, admin of orgA), and her second one.
    browser: aliceBrowser,
    victimBrowser,
    // Tickets that would sign Carol in and sign Frank up: the base of the sign-in and sign-up
    // cases, so a case that got through would show in the database.
    signInTicket: signInToken.token,
    signUpTicket,
    orgSlug: orgA.slug,
    users: { alice, bob, carol, dave, erin },
  };
}
