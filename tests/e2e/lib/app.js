// What the scenarios do with the example app's page: open it, sign in with a ticket, read what
// the app's server sees, and read clerk-js's state.

// Opens the app's page and waits until clerk-js has loaded (the page sets data-ready after
// Clerk.load, whether it succeeded or not). Returns what the page shows as an error, if any.
export async function openApp(page, appUrl, path = '/') {
  await page.goto(appUrl + path, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => document.body?.dataset.ready === 'true', { timeout: 20_000 });
  return pageError(page);
}

export async function pageError(page) {
  return page.$eval('#error', el => (el.hidden ? null : el.textContent));
}

// A sign-in token from the Backend API for this user.
export async function signInTicket(clerk, userId) {
  return (await clerk.signInTokens.createSignInToken({ userId, expiresInSeconds: 600 })).token;
}

// signIn.create({ strategy: 'ticket' }) and setActive, in the page. Resolves with the session id.
export async function signInWithTicket(page, ticket) {
  return page.evaluate(async ticket => {
    const attempt = await window.Clerk.client.signIn.create({ strategy: 'ticket', ticket });
    if (attempt.status !== 'complete') throw new Error(`sign-in attempt is ${attempt.status}`);
    await window.Clerk.setActive({ session: attempt.createdSessionId });
    return attempt.createdSessionId;
  }, ticket);
}

// Opens the app and signs this user in.
export async function openSignedIn(stack, page, userId) {
  const shown = await openApp(page, stack.appUrl);
  if (shown) throw new Error(`the page shows an error after load: ${shown}`);
  const sessionId = await signInWithTicket(page, await signInTicket(stack.clerk, userId));
  await page.waitForFunction(() => !!window.Clerk.user, { timeout: 10_000 });
  return sessionId;
}

// GET /api/whoami from the page: what @clerk/express's getAuth sees from the __session cookie.
export async function whoami(page) {
  return page.evaluate(async () => (await fetch('/api/whoami', { credentials: 'same-origin' })).json());
}

// The session token in the page's __session cookie(s), decoded.
export async function sessionCookie(page) {
  const cookies = (await page.cookies()).filter(c => c.name === '__session' || c.name.startsWith('__session_'));
  if (!cookies.length) return null;
  const jwt = cookies[0].value;
  return { jwt, names: cookies.map(c => c.name), claims: decodeJwt(jwt) };
}

export function decodeJwt(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

// clerk-js's view: the user, the session and the active organization.
export async function clerkState(page) {
  return page.evaluate(() => {
    const c = window.Clerk;
    return {
      userId: c.user?.id ?? null,
      sessionId: c.session?.id ?? null,
      orgId: c.organization?.id ?? null,
      orgName: c.organization?.name ?? null,
      memberships: (c.user?.organizationMemberships ?? []).map(m => ({ orgId: m.organization.id, role: m.role })),
    };
  });
}

let counter = 0;
export const unique = tag => `${tag}-${Date.now().toString(36)}-${++counter}`;

export async function newUser(clerk, tag, fields = {}) {
  const name = unique(tag);
  return clerk.users.createUser({ emailAddress: [`${name}@e2e.orgd.test`], firstName: tag, lastName: 'Tester', ...fields });
}
