// The peer for `make bench`: Better Auth with its organization plugin on PostgreSQL, served by
// node:http. bench/peer/better_auth.sh installs better-auth and pg into a temp dir at run time
// (their code is never committed) and runs this file from there.
//
// Env: DATABASE_URL, PORT. Besides Better Auth's own routes under /api/auth, one route exposes its
// server-only `auth.api.addMember` (the operation orgd's POST …/memberships performs):
//   POST /bench/add-member {"userId","organizationId","role"}
import http from 'node:http';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import { organization } from 'better-auth/plugins';
import pg from 'pg';

const port = Number(process.env.PORT);
const auth = betterAuth({
  database: new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 16 }),
  secret: 'bench-only-secret-0123456789abcdefghijklmnopqrstuvwxyz',
  baseURL: `http://127.0.0.1:${port}`,
  emailAndPassword: { enabled: true },
  rateLimit: { enabled: false },
  plugins: [organization({ organizationLimit: 1_000_000, membershipLimit: 1_000_000 })],
});

const { runMigrations } = await getMigrations(auth.options);
await runMigrations();

const handler = toNodeHandler(auth);
http
  .createServer(async (req, res) => {
    if (req.method === 'POST' && req.url === '/bench/add-member') {
      let body = '';
      for await (const chunk of req) body += chunk;
      try {
        const member = await auth.api.addMember({ body: JSON.parse(body) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(member));
      } catch (e) {
        res.writeHead(e.statusCode ?? 500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: String(e.message ?? e) }));
      }
      return;
    }
    handler(req, res);
  })
  .listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));
