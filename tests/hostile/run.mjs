#!/usr/bin/env node
// The hostile-input corpus against a real orgd (issue 19, item 6). Starts orgd (ORGD_BIN; the
// store is ORGD_TEST_STORE, as in tests/compat), seeds a realistic state, dumps the database,
// sends the generated corpus (tests/hostile/cases.mjs) over raw sockets to every route of both
// APIs (read from src/api/routes.cc), checks every answer, dumps again and requires the two dumps
// to be identical, then checks that orgd still serves and exits 0 on SIGTERM.
//
//   node tests/hostile/run.mjs [--seed N] [--concurrency N] [--only TEXT] [--skip TEXT]...
//                              [--list] [--report FILE] [--failures-dir DIR] [--keep-data]
//                              [--serve]
// (scripts/test-hostile.sh runs it with ORGD_BIN set, on SQLite and optionally PostgreSQL.)
//
//   --seed N         the corpus's seed (default 19): the same seed gives the same corpus
//   --concurrency N  requests in flight (default 8)
//   --only TEXT      only the cases whose name contains TEXT (a failure's reproduction)
//   --skip TEXT      leave out the cases whose name contains TEXT (repeatable; to see what else
//                    fails while a known defect is being fixed)
//   --list           print the cases per route and class, send nothing
//   --report FILE    also write the report as JSON
//   --failures-dir D write each failing request's bytes to D/<n>.http (default: a temp dir)
//   --keep-data      keep orgd's data dir after a failed run (it is removed otherwise)
//   --serve          seed, print the seeded orgd's coordinates as shell variables (BAPI, FAPI,
//                    KEY, COOKIE, SID, ORG, …: what the curl reproductions use), send nothing
//                    and keep orgd running until SIGINT or SIGTERM
//
// Exits 0 when every check passed, 1 otherwise.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseUrl, removeDataDir, startOrgd, storeKind } from '../compat/lib/orgd.js';
import { generateCases, serialize } from './cases.mjs';
import { diffDumps, quietDump } from './dump.mjs';
import { loadRoutes } from './routes.mjs';
import { PNG, PRIVATE_MARKER, seed, startWebhookReceiver } from './seed.mjs';
import { exchange, parseResponse, pool } from './wire.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VICTIM_CLIENT_ROUTES = new Set([
  'FAPI DELETE /v1/client', 'FAPI DELETE /v1/client/sessions',
  'FAPI POST /v1/client/sessions/{session_id}/end', 'FAPI POST /v1/client/sessions/{session_id}/remove',
]);

function parseArgs(argv) {
  const opts = { seed: 19, concurrency: 8, only: null, skip: [], list: false, serve: false, report: null, failuresDir: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--seed') opts.seed = Number(value());
    else if (a === '--concurrency') opts.concurrency = Number(value());
    else if (a === '--only') opts.only = value();
    else if (a === '--skip') opts.skip.push(value());
    else if (a === '--list') opts.list = true;
    else if (a === '--serve') opts.serve = true;
    else if (a === '--keep-data') opts.keepData = true;
    else if (a === '--report') opts.report = value();
    else if (a === '--failures-dir') opts.failuresDir = value();
    else throw new Error(`unknown argument ${a} (see the header of tests/hostile/run.mjs)`);
  }
  return opts;
}

// A request as readable text: printable ASCII kept, the rest escaped, long runs elided.
function printable(buf, max = 700) {
  let s = '';
  for (const b of buf.subarray(0, max)) {
    if (b === 0x0d) s += '\\r';
    else if (b === 0x0a) s += '\\n\n';
    else if (b >= 0x20 && b < 0x7f && b !== 0x5c) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  s = s.replace(/(.)\1{40,}/g, (m, c) => `${c.repeat(8)}…(${m.length}×)…`);
  return buf.length > max ? `${s}… (${buf.length} bytes in all)` : s;
}

// The problems with one answer (empty: it passed).
function check(c, res, { secretKey }) {
  const problems = [];
  if (res.timedOut) return ['no complete answer within the timeout (orgd kept the connection open)'];
  const p = parseResponse(res.bytes);
  if (!p) {
    return [res.bytes.length === 0
      ? `the connection was dropped without a response${res.error ? ` (${res.error})` : ''}`
      : `no complete HTTP response head: ${printable(res.bytes, 200)}`];
  }
  c.status = p.status;
  if (!p.complete) problems.push(`the response body is incomplete${res.error ? ` (${res.error})` : ''}`);
  // A Frontend API bulk change answers 200 with an error per item it refused: every item refused
  // is a refusal (checked below to be that shape).
  const bulk = c.api === 'fapi' && c.route.endsWith('/bulk') && p.status === 200;
  if (c.req.allow?.includes(p.status)) {
    // the protocol's own answer for this case
  } else if (p.status >= 500) problems.push(`status ${p.status}: a server error`);
  else if (p.status < 400 && !bulk) problems.push(`status ${p.status}: the hostile request was not refused`);
  if (p.rest.length > 0) problems.push(`${p.rest.length} bytes after the response (a second answer?): ${printable(p.rest, 120)}`);
  const type = p.header('content-type');
  if (type !== 'application/json') problems.push(`Content-Type ${JSON.stringify(type)}, not application/json`);
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(p.body);
  } catch {
    problems.push('the body is not valid UTF-8');
    text = p.body.toString('latin1');
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    problems.push(`the body is not JSON: ${text.slice(0, 120)}`);
  }
  if (json !== undefined && bulk) {
    const r = json?.response;
    if (!Array.isArray(r?.data) || r.data.length > 0 || !Array.isArray(r?.errors) || r.errors.length === 0) {
      problems.push('status 200 with items carried out: the hostile request was not refused');
    } else {
      c.code = r.errors[0]?.code;
    }
  }
  if (json !== undefined && p.status >= 400) {
    const errors = json?.errors;
    if (!Array.isArray(errors) || errors.length === 0) problems.push('no errors[] in the body: not the Clerk error envelope');
    else {
      for (const e of errors) {
        for (const k of ['code', 'message', 'long_message']) {
          if (typeof e?.[k] !== 'string' || e[k].length === 0) problems.push(`an error without a ${k}`);
        }
      }
      c.code = errors[0]?.code;
    }
    if (typeof json?.clerk_trace_id !== 'string' || json.clerk_trace_id.length === 0) problems.push('no clerk_trace_id');
  }
  // The field's name may be in an error's message (form_param_unknown); its value or a key of it
  // may not.
  if (c.api === 'fapi' && (/"private_metadata"\s*:/.test(text) || text.includes(PRIVATE_MARKER))) {
    problems.push('a Frontend API answer carries private_metadata');
  }
  if (text.includes(secretKey)) problems.push('the answer carries the secret key');
  c.responseExcerpt = `${p.status} ${text.slice(0, 300)}`;
  return problems;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const routes = loadRoutes(join(root, 'src'));
  const store = storeKind();
  // The app's origin: the Frontend API allows it, so the Origin cases are aimed at a real check.
  const origin = 'http://127.0.0.1:5173';
  const receiver = await startWebhookReceiver();
  const orgd = await startOrgd({ args: ['--allowed-origin', origin, '--webhook-allow-private'] });
  const failures = [];
  const report = { store, seed: opts.seed };
  let failDir = null;
  // Where failing requests (and differing dumps) are written: made when first needed.
  const failuresDir = () => {
    failDir ??= opts.failuresDir ?? mkdtempSync(join(tmpdir(), 'orgd-hostile-failures-'));
    mkdirSync(failDir, { recursive: true });
    return failDir;
  };
  let exitCode = 1;
  try {
    const seeded = await seed(orgd, { origin, webhookUrl: receiver.url });
    const seededAt = Date.now();
    const dbTarget = store === 'sqlite' ? join(orgd.dataDir, 'orgd.db') : databaseUrl(orgd.dataDir);
    const hostOf = u => new URL(u).host;
    const ctx = {
      secretKey: orgd.secretKey,
      publishableKey: orgd.publishableKey ?? 'pk_live_none',
      origin,
      browser: seeded.browser,
      ids: seeded.ids,
      bapiHost: hostOf(orgd.url),
      fapiHost: hostOf(orgd.frontendAddress),
      png: PNG,
      webhookUrl: receiver.url,
      signInTicket: seeded.signInTicket,
      signUpTicket: seeded.signUpTicket,
      seededAt,
      anonymousRoutes: new Set(['FAPI POST /v1/client/sign_ins', 'FAPI POST /v1/client/sign_ups']),
      // The Frontend API routes that end or delete the client or its sessions speak as Alice's
      // second browser: a case orgd wrongly carried out there leaves the first one signed in.
      browserFor: route => (VICTIM_CLIENT_ROUTES.has(route.key) ? seeded.victimBrowser : seeded.browser),
      // The real ID a route's placeholder is filled with: the first seeded one of its kind, but
      // Alice's own invitation under /v1/me, Bob's Backend API session (Alice's is the Frontend
      // API client the cases speak as), and a victim for a DELETE route's last placeholder.
      idFor(route, param) {
        if (param === 'invitation_id' && route.path.startsWith('/v1/me/')) return seeded.ids.invitation_id[1];
        if (param === 'session_id' && route.api === 'bapi') return seeded.ids.session_id[1];
        if (param === 'session_id' && VICTIM_CLIENT_ROUTES.has(route.key)) return seeded.victimBrowser.sessionId;
        if (route.method === 'DELETE' && param === route.params.at(-1) && seeded.victims[param]) return seeded.victims[param];
        const list = seeded.ids[param];
        if (!list) throw new Error(`the seed has no ID for {${param}} (${route.key}): add one to tests/hostile/seed.mjs`);
        return list[0];
      },
    };
    if (opts.serve) {
      const vars = {
        BAPI: orgd.url, FAPI: orgd.frontendAddress, KEY: orgd.secretKey, ORIGIN: origin,
        COOKIE: seeded.browser.cookie, CLIENT: seeded.browser.clientCookie, SID: seeded.browser.sessionId,
        ORG: seeded.ids.organization_id[0], USER: seeded.ids.user_id[0], DOMAIN: seeded.ids.domain_id[0],
        DATA: orgd.dataDir, DB: dbTarget,
      };
      for (const [k, v] of Object.entries(vars)) console.log(`${k}='${v}'`);
      console.error('# orgd serves the seeded state; SIGINT or SIGTERM stops it');
      await new Promise(resolve => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      exitCode = 0;
      return;
    }
    let cases = generateCases(routes, ctx, opts.seed);
    // Every route gets cases, or the corpus is out of date with routes.cc.
    const perRoute = new Map(routes.map(r => [r.key, 0]));
    for (const c of cases) perRoute.set(c.route, perRoute.get(c.route) + 1);
    const uncovered = [...perRoute].filter(([, n]) => n === 0).map(([k]) => k);
    if (uncovered.length > 0) throw new Error(`routes without cases: ${uncovered.join(', ')}`);
    if (opts.only) cases = cases.filter(c => c.name.includes(opts.only));
    if (opts.skip.length > 0) cases = cases.filter(c => !opts.skip.some(t => c.name.includes(t)));
    if (opts.list) {
      const byClass = {};
      for (const c of cases) byClass[c.cls] = (byClass[c.cls] ?? 0) + 1;
      for (const [k, n] of perRoute) console.log(`${String(n).padStart(5)}  ${k}`);
      console.log(`${cases.length} cases over ${routes.length} routes; per class ${JSON.stringify(byClass)}`);
      exitCode = 0;
      return;
    }

    const before = await quietDump(store, dbTarget);
    const beforeOrg = await fetch(`${orgd.url}/v1/organizations/${seeded.ids.organization_id[0]}`, {
      headers: { authorization: `Bearer ${orgd.secretKey}` },
    }).then(r => r.text());

    const target = api => {
      const u = new URL(api === 'bapi' ? orgd.url : orgd.frontendAddress);
      return { host: u.hostname, port: Number(u.port) };
    };
    const statuses = {};
    const codes = {};
    const sent = {};
    const runStarted = Date.now();
    await pool(cases.map(c => async () => {
      const b = serialize(c.req);
      c.size = b.length;
      const res = await exchange(target(c.api), b, { timeoutMs: 15_000 });
      const problems = check(c, res, ctx);
      sent[c.route] = (sent[c.route] ?? 0) + 1;
      const s = c.status ?? 'none';
      statuses[s] = (statuses[s] ?? 0) + 1;
      if (c.code) codes[c.code] = (codes[c.code] ?? 0) + 1;
      if (problems.length > 0) failures.push({ name: c.name, problems, response: c.responseExcerpt, request: b });
    }), opts.concurrency);
    const runMs = Date.now() - runStarted;

    // orgd lived through it and still answers a normal request the same way.
    const after = [];
    if (!alive(orgd.pid)) {
      after.push(`orgd died during the run:\n${orgd.stderr.slice(-3000)}`);
    } else {
      const health = await fetch(`${orgd.url}/healthz`).catch(e => ({ status: e.message }));
      if (health.status !== 200) after.push(`GET /healthz after the run: ${health.status}`);
      const org = await fetch(`${orgd.url}/v1/organizations/${seeded.ids.organization_id[0]}`, {
        headers: { authorization: `Bearer ${orgd.secretKey}` },
      }).then(r => r.text());
      if (org !== beforeOrg) after.push(`GET /v1/organizations/{id} answers differently after the run:\n  before ${beforeOrg}\n  after  ${org}`);
      const me = await fetch(new URL(`/v1/me?_clerk_session_id=${seeded.browser.sessionId}`, orgd.frontendAddress), {
        headers: { cookie: seeded.browser.cookie, origin },
      });
      if (me.status !== 200) after.push(`the seeded Frontend API client is no longer signed in: GET /v1/me → ${me.status}`);
      const dump = await quietDump(store, dbTarget);
      if (dump !== before) {
        writeFileSync(join(failuresDir(), 'before.sql'), before);
        writeFileSync(join(failuresDir(), 'after.sql'), dump);
        const d = diffDumps(before, dump);
        const lines = [...d.removed.map(l => `- ${l.slice(0, 400)}`), ...d.added.map(l => `+ ${l.slice(0, 400)}`)];
        after.push(`the database changed during the run (${d.removed.length} lines gone, ${d.added.length} new${d.reordered ? ', rows rewritten in place' : ''}; both dumps in ${failuresDir()}):\n${lines.slice(0, 60).join('\n')}`);
      }
    }
    const rateLimited = statuses[429] ?? 0;
    if (rateLimited > cases.length * 0.05) {
      after.push(`${rateLimited} of ${cases.length} answers were 429: the corpus no longer reaches the parsers (turn the rate limits off for the run)`);
    }
    const stop = await orgd.stop('SIGTERM');
    if (stop.signal !== null || stop.code !== 0) after.push(`orgd exited with code ${stop.code}, signal ${stop.signal} after SIGTERM:\n${stop.stderr.slice(-2000)}`);

    // The report.
    Object.assign(report, {
      requests: cases.length,
      routes: Object.keys(sent).length,
      routesInTable: routes.length,
      durationMs: Date.now() - started,
      sendMs: runMs,
      statuses,
      codes,
      perRoute: sent,
      failures: failures.map(f => ({ name: f.name, problems: f.problems, response: f.response })),
      afterRun: after,
    });
    console.log(`\nhostile corpus on ${store}: ${cases.length} requests to ${Object.keys(sent).length} of ${routes.length} routes, seed ${opts.seed}`);
    console.log(`sent in ${(runMs / 1000).toFixed(1)} s (${Math.round(cases.length / (runMs / 1000))}/s, concurrency ${opts.concurrency}); whole run ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`statuses: ${Object.entries(statuses).sort().map(([k, v]) => `${k}×${v}`).join(' ')}`);
    console.log(`codes: ${Object.entries(codes).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}×${v}`).join(' ')}`);
    console.log('\nrequests per route:');
    const filtered = opts.only || opts.skip.length > 0;
    for (const r of routes) if (!filtered || sent[r.key]) console.log(`${String(sent[r.key] ?? 0).padStart(6)}  ${r.key}`);
    if (failures.length > 0) {
      const dir = failuresDir();
      // Grouped by class/variant: one defect usually fails the same variant on many routes.
      const groups = new Map();
      for (const f of failures) {
        const variant = f.name.split(' | ')[1];
        if (!groups.has(variant)) groups.set(variant, []);
        groups.get(variant).push(f);
      }
      console.log(`\n${failures.length} FAILED requests in ${groups.size} variants (requests in ${dir}):`);
      let n = 0;
      for (const [variant, list] of [...groups].sort()) {
        console.log(`\n● ${variant} — ${list.length} route(s): ${list.slice(0, 4).map(f => f.name.split(' | ')[0]).join('; ')}${list.length > 4 ? '; …' : ''}`);
        const f = list[0];
        console.log(`  ${f.problems.join('\n  ')}`);
        console.log(`  answer: ${f.response ?? '(none)'}`);
        console.log(`  request: ${printable(f.request).replace(/\n/g, '\n           ')}`);
        console.log(`  again:   scripts/test-hostile.sh --only '${f.name}'`);
        for (const g of list) writeFileSync(join(dir, `${String(++n).padStart(4, '0')}.http`), g.request);
      }
    }
    for (const a of after) console.log(`\nFAILED after the run: ${a}`);
    const ok = failures.length === 0 && after.length === 0;
    console.log(ok ? '\nPASS' : `\nFAIL: ${failures.length} requests, ${after.length} after-run checks`);
    exitCode = ok ? 0 : 1;
  } finally {
    if (opts.report) writeFileSync(opts.report, JSON.stringify(report, null, 2));
    if (alive(orgd.pid)) await orgd.stop(opts.serve ? 'SIGTERM' : 'SIGKILL');
    await receiver.close();
    if (opts.keepData && exitCode !== 0) console.log(`data dir kept: ${orgd.dataDir}`);
    else removeDataDir(orgd.dataDir);
  }
  process.exitCode = exitCode;
}

main().catch(e => {
  console.error(e.stack ?? e);
  process.exitCode = 1;
});
