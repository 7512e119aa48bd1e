#!/usr/bin/env node
// Crash consistency: orgd under full write load is killed with SIGKILL at random moments (and, on
// PostgreSQL, so is the database server's postmaster), comes back on the same store, and must
// still hold every write it acknowledged, with nothing half-applied. See README.md.
//
//   node tests/crash/crash.mjs --store sqlite|postgres [--cycles N] [--postmaster-cycles N]
//        [--workers N] [--seed N] [--min-load-ms N] [--max-load-ms N] [--postgres-state DIR]
//        [--postgres-kill postmaster|all] [--run-dir DIR] [--keep]
// ORGD_BIN names the binary. Exit status: 0 when nothing was lost and nothing violated, 1 when
// something was, 2 when the run could not be set up.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { databaseUrl, newSecretKey, startOrgd } from '../compat/lib/orgd.js';
import { call, Model, rng, runWorker } from './model.mjs';
import { Postgres, Store } from './store.mjs';
import { verify } from './verify.mjs';

// An interrupted run still ends the orgd it started (lib/orgd.js kills its children on exit).
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const USERS = 40;
// How long orgd, left running, may take to acknowledge writes again once PostgreSQL is back.
const RECOVERY_TIMEOUT_MS = 30_000;

function usage(message) {
  process.stderr.write(`crash: ${message}\n`);
  process.exit(2);
}

const { values: opts } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    cycles: { type: 'string', default: '20' },
    'postmaster-cycles': { type: 'string' },
    workers: { type: 'string', default: '8' },
    seed: { type: 'string' },
    'min-load-ms': { type: 'string', default: '300' },
    'max-load-ms': { type: 'string', default: '2000' },
    'postgres-state': { type: 'string' },
    'postgres-kill': { type: 'string', default: 'postmaster' },
    'run-dir': { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const count = (name, value) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) usage(`--${name} must be a whole number, got ${value}`);
  return n;
};
const store = opts.store;
if (store !== 'sqlite' && store !== 'postgres') usage('--store must be sqlite or postgres');
const cycles = count('cycles', opts.cycles);
const postmasterCycles = store === 'postgres' ? count('postmaster-cycles', opts['postmaster-cycles'] ?? opts.cycles) : 0;
if (store === 'sqlite' && opts['postmaster-cycles'] && opts['postmaster-cycles'] !== '0') usage('--postmaster-cycles needs --store postgres');
const postgresKill = opts['postgres-kill'];
if (postgresKill !== 'postmaster' && postgresKill !== 'all') usage('--postgres-kill must be postmaster or all');
const workers = Math.max(1, count('workers', opts.workers));
const minLoad = count('min-load-ms', opts['min-load-ms']);
const maxLoad = Math.max(minLoad, count('max-load-ms', opts['max-load-ms']));
const seed = opts.seed !== undefined ? count('seed', opts.seed) : Math.floor(Math.random() * 2 ** 31);
if (!process.env.ORGD_BIN) usage('ORGD_BIN is not set (scripts/test-crash.sh sets it)');

let postgres = null;
process.env.ORGD_TEST_STORE = store;
if (store === 'postgres') {
  if (!opts['postgres-state']) usage('--store postgres needs --postgres-state DIR (of scripts/test-postgres.sh start DIR)');
  postgres = new Postgres(resolve(opts['postgres-state']), root);
  process.env.ORGD_TEST_POSTGRES_URL = postgres.adminUrl;
}

const runDir = opts['run-dir'] ? resolve(opts['run-dir']) : mkdtempSync(join(tmpdir(), `orgd-crash-${store}-`));
mkdirSync(runDir, { recursive: true });
const dataDir = join(runDir, 'store');
mkdirSync(dataDir, { recursive: true });
const random = rng(seed);
const model = new Model({ logPath: join(runDir, 'writes.jsonl'), workers });
const secretKeys = [newSecretKey()];
const say = text => process.stdout.write(`${text}\n`);
say(`crash: ${store}, ${cycles} orgd kill(s)${postmasterCycles ? ` + ${postmasterCycles} postmaster kill(s)` : ''}, ` +
  `${workers} workers, load ${minLoad}-${maxLoad} ms, seed ${seed}, run dir ${runDir}`);

// orgd's stderr of each life goes to the run dir.
let lives = 0;
async function start() {
  const server = await startOrgd({ dataDir, secretKeys });
  server.life = ++lives;
  return server;
}
function isAlive(server) {
  try {
    process.kill(server.pid, 0);
    return true;
  } catch {
    return false;
  }
}
function saveLog(server) {
  writeFileSync(join(runDir, `orgd-${server.life}.log`), server.stderr);
}

// The kinds of cycle, interleaved so that each kind starts from a store the other has crashed.
const kinds = [];
for (let i = 0; i < Math.max(cycles, postmasterCycles); i++) {
  if (i < cycles) kinds.push('orgd');
  if (i < postmasterCycles) kinds.push('postmaster');
}
const stats = Object.fromEntries(['orgd', 'postmaster'].map(k => [k, { cycles: 0, acknowledged: 0, unacked: 0, applied: 0, lost: 0, violations: 0, ms: 0 }]));
const started = Date.now();
let server;
let fatal = null;

try {
  server = await start();
  const storeView = new Store(databaseUrl(dataDir));
  // The users memberships point to, created before the load (and checked like every write).
  for (let i = 0; i < USERS; i++) {
    const res = await call(server, 'POST', '/v1/users', { external_id: `crash-user-${i}` });
    if (res.status !== 200) throw new Error(`creating user ${i}: ${res.status ?? res.error} ${JSON.stringify(res.json)}`);
    model.users.push(res.json.id);
  }

  for (const [index, kind] of kinds.entries()) {
    const cycle = index + 1;
    const t0 = Date.now();
    const before = { acknowledged: model.acknowledged, unknown: model.unknown, violations: model.violations.length, lost: model.lost, lostDetails: model.lostDetails.length };
    const loadMs = Math.round(minLoad + random() * (maxLoad - minLoad));
    let stop = false;
    let outage = false;
    const target = server;
    const load = Array.from({ length: workers }, (_, worker) => runWorker({
      model, worker, cycle, server: target, random, shouldStop: () => stop, outage: () => outage,
    }));
    let note;
    if (kind === 'orgd') {
      await sleep(loadMs);
      // No new request after this point; those in flight are cut by the kill.
      stop = true;
      const exit = await server.stop('SIGKILL');
      await Promise.all(load);
      saveLog(server);
      if (exit.signal !== 'SIGKILL') model.violation(`cycle ${cycle}: orgd had exited (${exit.code}, ${exit.signal}) before the kill`);
      const t = Date.now();
      server = await start();
      note = `orgd SIGKILLed after ${loadMs} ms, restarted in ${Date.now() - t} ms`;
    } else {
      // orgd is left running: it must see the database go, answer 503 meanwhile, and recover by
      // itself once the database is back (a restart would hide a pool that never reconnects).
      await sleep(loadMs);
      outage = true;
      const killed = postgres.kill({ everything: postgresKill === 'all' });
      const down = Date.now();
      const restart = await postgres.restart(killed);
      const back = Date.now();
      const acksAtRestart = model.acknowledged;
      while (model.acknowledged === acksAtRestart && Date.now() - back < RECOVERY_TIMEOUT_MS) await sleep(10);
      const recovered = model.acknowledged > acksAtRestart;
      if (!recovered) model.violation(`cycle ${cycle}: no write acknowledged within ${RECOVERY_TIMEOUT_MS} ms of PostgreSQL's restart`);
      // Some load after the recovery too, then the check.
      await sleep(200 + Math.round(random() * 600));
      stop = true;
      await Promise.all(load);
      note = `${postgresKill === 'all' ? 'postmaster and backends' : 'postmaster'} SIGKILLed after ${loadMs} ms, PostgreSQL back after ${back - down} ms ` +
        `(orphans gone in ${restart.orphansMs} ms, started in ${restart.startMs} ms, ${restart.attempts} attempt(s)), ` +
        (recovered ? `orgd writing again ${model.acks[acksAtRestart].t - back} ms later` : 'orgd did NOT recover');
      const ready = (await call(server, 'GET', '/readyz')).status;
      if (!isAlive(server)) model.violation(`cycle ${cycle}: orgd exited when PostgreSQL went away:\n${server.stderr.slice(-2000)}`);
      if (ready !== 200) {
        model.violation(`cycle ${cycle}: /readyz answers ${ready ?? 'nothing'} after the recovery`);
        saveLog(server);
        await server.stop('SIGKILL');
        server = await start();
      }
    }
    const result = await verify({ model, store: storeView, server, cycle });
    const s = stats[kind];
    const acked = model.acknowledged - before.acknowledged;
    const unacked = model.unknown - before.unknown;
    const violations = model.violations.length - before.violations;
    const lost = model.lost - before.lost;
    Object.assign(s, {
      cycles: s.cycles + 1, acknowledged: s.acknowledged + acked, unacked: s.unacked + unacked,
      applied: s.applied + result.settled.applied,
      lost: s.lost + lost, violations: s.violations + violations, ms: s.ms + (Date.now() - t0),
    });
    say(`cycle ${cycle}/${kinds.length} ${kind}: ${note}; ${acked} writes acknowledged, ${unacked} not; ` +
      `of those ${result.settled.applied} applied, ${result.settled.notApplied} not; ` +
      `store: ${result.organizations} organizations, ${result.memberships} memberships; ` +
      `${lost} lost, ${violations} violations (${Date.now() - t0} ms)`);
    for (const text of model.violations.slice(before.violations, before.violations + 5)) say(`  violation: ${text}`);
    for (const text of model.lostDetails.slice(before.lostDetails, before.lostDetails + 5)) say(`  lost: ${text}`);
  }
  const exit = await server.stop('SIGTERM');
  saveLog(server);
  if (exit.code !== 0) model.violation(`orgd exited with ${exit.code} (${exit.signal}) after the final SIGTERM`);
} catch (e) {
  fatal = e;
  model.violation(`run stopped: ${e.stack ?? e}`);
  if (server) {
    await server.stop('SIGKILL');
    saveLog(server);
  }
}

// The report: one line per kind of kill and one for the whole run, each as text and as JSON.
const seconds = ms => Math.round(ms / 100) / 10;
const totalMs = Date.now() - started;
const lines = [];
for (const [kill, s] of Object.entries(stats)) {
  if (s.cycles === 0) continue;
  lines.push({ store, kill, cycles: s.cycles, acknowledged: s.acknowledged, unacknowledged: s.unacked, unacknowledged_applied: s.applied, lost: s.lost, violations: s.violations, duration_s: seconds(s.ms) });
}
const total = {
  store, kill: 'all', cycles: lines.reduce((a, l) => a + l.cycles, 0), acknowledged: model.acknowledged,
  unacknowledged: model.unknown, unacknowledged_applied: model.settled.applied, lost: model.lost, violations: model.violations.length, duration_s: seconds(totalMs), seed,
};
lines.push(total);
const passed = total.lost === 0 && total.violations === 0 && fatal === null;
for (const l of lines) {
  say(`crash ${l.store} (${l.kill === 'all' ? 'total' : `${l.kill} SIGKILL`}): ${l.cycles} cycles, ${l.acknowledged} writes acknowledged, ` +
    `${l.unacknowledged} not (cut off or 5xx: either outcome allowed), ${l.lost} lost, ${l.violations} violations, ${l.duration_s} s`);
}
for (const l of lines) say(`crash-result ${JSON.stringify(l)}`);
writeFileSync(join(runDir, 'result.json'), JSON.stringify(lines, null, 2) + '\n');
if (!passed) {
  for (const text of model.violations.slice(0, 20)) say(`violation: ${text}`);
  for (const text of model.lostDetails.slice(0, 20)) say(`lost: ${text}`);
  say(`crash ${store}: FAIL (run dir kept: ${runDir})`);
  process.exit(1);
}
say(`crash ${store}: PASS`);
if (!opts.keep && !opts['run-dir']) {
  // The PostgreSQL database goes with the server scripts/test-crash.sh stops.
  rmSync(runDir, { recursive: true, force: true });
}
