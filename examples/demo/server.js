// A small customer app written against Clerk's own SDKs, pointed at orgd by URL only:
// clerk-js and @clerk/ui in the browser (talking to orgd's Frontend API), @clerk/express on the
// server (verifying the session token orgd signs), @clerk/backend for the Backend API.
//
//   ORGD_API_URL       orgd's Backend API            (default http://127.0.0.1:8080)
//   ORGD_FRONTEND_URL  orgd's Frontend API           (default http://127.0.0.1:8081)
//   CLERK_SECRET_KEY   a secret key orgd accepts     (required)
//   PORT               where this app listens        (default 3000, on 127.0.0.1)
import { createClerkClient } from '@clerk/backend';
import { clerkMiddleware, getAuth } from '@clerk/express';
import express from 'express';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const apiUrl = process.env.ORGD_API_URL || 'http://127.0.0.1:8080';
const frontendUrl = (process.env.ORGD_FRONTEND_URL || 'http://127.0.0.1:8081').replace(/\/+$/, '');
const secretKey = process.env.CLERK_SECRET_KEY;
const port = Number(process.env.PORT || 3000);
if (!secretKey) {
  console.error('demo: CLERK_SECRET_KEY is not set');
  process.exit(1);
}

// Clerk's publishable key names the Frontend API's host: pk_live_ + base64("<host:port>$").
const publishableKey = 'pk_live_' + Buffer.from(`${new URL(frontendUrl).host}$`).toString('base64').replace(/=+$/, '');

const clerk = createClerkClient({ secretKey, apiUrl });

// The demo's sign-in: a fixed list of users, created through the Backend API when missing.
// A real app would sign its users in some other way; this one only needs to get a session.
const DEMO_USERS = [
  { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@demo.orgd.test' },
  { firstName: 'Grace', lastName: 'Hopper', email: 'grace@demo.orgd.test' },
  { firstName: 'Alan', lastName: 'Turing', email: 'alan@demo.orgd.test' },
];

async function ensureDemoUsers() {
  const users = [];
  for (const u of DEMO_USERS) {
    const found = await clerk.users.getUserList({ emailAddress: [u.email] });
    const user = found.data[0] ??
      (await clerk.users.createUser({ emailAddress: [u.email], firstName: u.firstName, lastName: u.lastName }));
    users.push({ id: user.id, name: `${u.firstName} ${u.lastName}`, email: u.email });
  }
  return users;
}

// clerk-js and @clerk/ui are served from their own npm dist/, each whole (their chunks load from
// beside the entry script), under paths that do not look like a CDN's /@clerk/<pkg>@<version>/.
const distOf = pkg => dirname(fileURLToPath(import.meta.resolve(pkg)));

const app = express();
app.use('/static/clerk-js', express.static(distOf('@clerk/clerk-js')));
app.use('/static/clerk-ui', express.static(distOf('@clerk/ui')));
app.use('/static/app', express.static(fileURLToPath(new URL('./public', import.meta.url))));
app.use(express.json());
app.use(clerkMiddleware({ publishableKey, secretKey, apiUrl, proxyUrl: frontendUrl }));

const escape = s => String(s ?? '').replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);

function whoami(req) {
  const { userId, sessionId, orgId, orgRole } = getAuth(req);
  return { userId: userId ?? null, sessionId: sessionId ?? null, orgId: orgId ?? null, orgRole: orgRole ?? null };
}

app.get('/', (req, res) => {
  res.type('html').send(`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Acme — an orgd demo</title>
  <link rel="stylesheet" href="/static/app/app.css">
</head>
<body>
  <header>
    <strong>Acme</strong>
    <div id="organization-switcher"></div>
    <span id="who"></span>
    <button id="sign-out" hidden>Sign out</button>
  </header>
  <main>
    <p id="status">Loading…</p>
    <p id="error" hidden></p>
    <section id="sign-in" hidden>
      <h2>Sign in as a demo user</h2>
      <ul id="demo-users"></ul>
    </section>
    <section id="signed-in" hidden>
      <p>Server-side view: <a href="/ssr">/ssr</a>, <a href="/api/whoami">/api/whoami</a></p>
      <h2>Organization profile</h2>
      <div id="organization-profile"></div>
      <h2>Create an organization</h2>
      <div id="create-organization"></div>
    </section>
  </main>
  <script src="/static/clerk-js/clerk.browser.js" data-clerk-publishable-key="${escape(publishableKey)}"
    data-clerk-proxy-url="${escape(frontendUrl)}"></script>
  <script src="/static/clerk-ui/ui.browser.js"></script>
  <script src="/static/app/app.js"></script>
</body>
</html>`);
});

// Rendered on the server from the verified session token (a document GET: with an expired
// __session, clerkMiddleware has already redirected the browser through orgd's handshake).
app.get('/ssr', (req, res) => {
  const auth = whoami(req);
  const rows = Object.entries(auth).map(([k, v]) => `<tr><th>${k}</th><td id="${k}">${escape(v ?? '—')}</td></tr>`);
  res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Server-side auth</title>
<link rel="stylesheet" href="/static/app/app.css"></head>
<body><main><h1>What the server sees</h1><table>${rows.join('')}</table><p><a href="/">Back</a></p></main></body></html>`);
});

app.get('/api/whoami', (req, res) => res.json(whoami(req)));

let demoUsers = [];
app.get('/api/demo-users', (req, res) => res.json(demoUsers));

// Demo only: anyone may sign in as one of the demo users. The sign-in token is redeemed in the
// browser with signIn.create({ strategy: 'ticket', ticket }).
app.post('/api/demo-sign-in', async (req, res) => {
  const user = demoUsers.find(u => u.id === req.body?.userId);
  if (!user) return res.status(404).json({ error: 'not a demo user' });
  try {
    const token = await clerk.signInTokens.createSignInToken({ userId: user.id, expiresInSeconds: 300 });
    res.json({ ticket: token.token });
  } catch (err) {
    res.status(502).json({ error: `orgd refused the sign-in token: ${err.status ?? ''} ${err.message}` });
  }
});

demoUsers = await ensureDemoUsers();
app.listen(port, '127.0.0.1', () => {
  console.log(`demo app on http://127.0.0.1:${port} (Backend API ${apiUrl}, Frontend API ${frontendUrl})`);
});
