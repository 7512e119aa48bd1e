// The load and what it knows: workers that write to orgd as fast as it answers, and the model of
// what orgd acknowledged, against which the store is checked after every crash.
//
// One worker owns each organization (it created it), so the writes to one organization are
// sequential and the order of its acknowledged writes is known. Every request ends in one of:
//   ack      a 2xx: the write happened; the model applies it.
//   unknown  no answer (the kill cut the connection, a timeout) or a 5xx: it may have happened or
//            not. Its organization (or, for a create, its slug) is frozen: nothing more is sent to
//            it until the check after the crash has read which of the two it is.
//   rejected a 4xx: the write did not happen. The model never sends a request it expects to be
//            refused, so a 4xx is itself a violation.
// So an organization has at most one write in flight and after a crash exactly two states are
// allowed for it: before that write and after it.
import { appendFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

export const MAX_MEMBERS = 5; // orgd's default max_allowed_memberships, which the creates keep
const REQUEST_TIMEOUT_MS = 20_000;
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

// A small seeded generator (mulberry32), so that a run's choices can be repeated with --seed.
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// One call to the Backend API. Resolves with { status, json } or { error } (no response).
export async function call(server, method, path, json) {
  try {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${server.secretKey}`, ...(json ? { 'content-type': 'application/json' } : {}) },
      body: json ? JSON.stringify(json) : undefined,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, json: body };
  } catch (e) {
    return { error: e.cause?.code ?? e.name ?? String(e) };
  }
}

// An organization as the model knows it.
//   n:        the counter of its last acknowledged metadata write (public and private both)
//   members:  user ids of its acknowledged memberships
//   lastAck:  user id -> 'add' | 'remove', the last acknowledged membership write per user
//   pending:  the one write whose outcome is unknown (frozen until resolved), or null
//   acked:    how many acknowledged writes it has had (what a lost organization takes with it)
export class Organization {
  constructor({ id, slug, worker }) {
    Object.assign(this, { id, slug, worker, n: 0, members: new Set(), lastAck: new Map(), pending: null, acked: 1 });
  }
}

export class Model {
  constructor({ logPath, workers }) {
    this.logPath = logPath;
    this.workers = workers;
    this.users = [];                 // ids of the users created before the load
    this.live = new Map();           // id -> Organization
    this.deleted = new Set();        // ids whose delete was acknowledged
    this.unknownCreates = new Map(); // slug -> {worker, cycle}: creates whose outcome is unknown
    this.acknowledged = 0;
    this.unknown = 0;
    this.violations = [];
    this.lost = 0;                   // acknowledged writes found missing (the checks add them)
    this.lostDetails = [];
    this.settled = { applied: 0, notApplied: 0 }; // how the unacknowledged writes came out
    this.created = 0;                // creates sent, for unique slugs
    this.acks = [];                  // every acknowledged write, in the order of its answer
  }

  violation(text) {
    this.violations.push(text);
    this.write({ violation: text });
  }

  // An acknowledgement must describe the write it acknowledges.
  checkAnswer(cycle, got, expected) {
    for (const [key, value] of Object.entries(expected)) {
      if (!isDeepStrictEqual(got?.[key], value)) {
        this.violation(`cycle ${cycle}: answer has ${key} ${JSON.stringify(got?.[key])}, expected ${JSON.stringify(value)}`);
      }
    }
  }

  // Every outcome goes to the run dir's log, so that a failure can be traced request by request.
  write(entry) {
    appendFileSync(this.logPath, JSON.stringify({ t: Date.now(), ...entry }) + '\n');
  }

  record(cycle, worker, op, target, res) {
    const outcome = res.status >= 200 && res.status < 300 ? 'ack' : res.status >= 400 && res.status < 500 ? 'rejected' : 'unknown';
    const entry = { t: Date.now(), cycle, w: worker, op, ...target, status: res.status ?? res.error, outcome };
    if (outcome === 'ack') {
      this.acknowledged++;
      this.acks.push(entry);
    }
    if (outcome === 'unknown') this.unknown++;
    this.write(entry);
    return outcome;
  }
}

// Runs one worker until `shouldStop()` (checked before every request; at most `maxRequests`).
//   cycle:   the cycle number (in logs and slugs)
//   server:  the orgd to talk to ({url, secretKey})
//   outage:  () => true while a 503 is expected (the database is down or just back)
export async function runWorker({ model, worker, cycle, server, random, shouldStop, outage, maxRequests = 100_000 }) {
  const mine = () => [...model.live.values()].filter(o => o.worker === worker);
  for (let i = 0; i < maxRequests && !shouldStop(); i++) {
    const owned = mine();
    const ready = owned.filter(o => o.pending === null);
    const r = random();
    let op;
    // Keep each worker's organizations between 5 and 25 so that the checks stay cheap however
    // long the run: fewer creates and more deletes as the population grows.
    if (ready.length === 0 || owned.length < 5) op = 'create';
    else if (r < (owned.length > 25 ? 0.05 : 0.15)) op = 'create';
    else if (r < 0.40) op = 'add';
    else if (r < 0.48) op = 'remove';
    else if (r < (owned.length > 25 ? 0.70 : 0.88)) op = 'metadata';
    else op = 'delete';
    const org = op === 'create' ? null : pick(ready, random);
    if (op === 'add' && org.members.size >= MAX_MEMBERS) op = 'remove';
    if (op === 'remove' && org.members.size === 0) op = 'metadata';

    let res;
    let outcome;
    if (op === 'create') {
      const slug = `crash-c${cycle}-w${worker}-${model.created++}`;
      res = await call(server, 'POST', '/v1/organizations', {
        name: `Crash ${slug}`, slug, public_metadata: { n: 0 }, private_metadata: { n: 0 },
      });
      outcome = model.record(cycle, worker, op, { slug, org: res.json?.id }, res);
      if (outcome === 'ack') {
        model.live.set(res.json.id, new Organization({ id: res.json.id, slug, worker }));
        model.checkAnswer(cycle, res.json, { slug, public_metadata: { n: 0 }, private_metadata: { n: 0 } });
      }
      if (outcome === 'unknown') model.unknownCreates.set(slug, { worker, cycle });
    } else if (op === 'add' || op === 'remove') {
      const user = op === 'add'
        ? pick(model.users.filter(u => !org.members.has(u)), random)
        : pick([...org.members], random);
      org.pending = { op, user };
      res = op === 'add'
        ? await call(server, 'POST', `/v1/organizations/${org.id}/memberships`, { user_id: user, role: 'org:member' })
        : await call(server, 'DELETE', `/v1/organizations/${org.id}/memberships/${user}`);
      outcome = model.record(cycle, worker, op, { org: org.id, user }, res);
      if (outcome === 'ack') {
        if (op === 'add') org.members.add(user);
        else org.members.delete(user);
        org.lastAck.set(user, op);
        org.acked++;
        if (op === 'add') model.checkAnswer(cycle, { user: res.json?.public_user_data?.user_id, org: res.json?.organization?.id }, { user, org: org.id });
      }
    } else if (op === 'metadata') {
      const n = org.n + 1;
      org.pending = { op, n };
      res = await call(server, 'PATCH', `/v1/organizations/${org.id}/metadata`, {
        public_metadata: { n }, private_metadata: { n },
      });
      outcome = model.record(cycle, worker, op, { org: org.id, n }, res);
      if (outcome === 'ack') {
        org.n = n;
        org.acked++;
        model.checkAnswer(cycle, res.json, { id: org.id, public_metadata: { n }, private_metadata: { n } });
      }
    } else {
      org.pending = { op };
      res = await call(server, 'DELETE', `/v1/organizations/${org.id}`);
      outcome = model.record(cycle, worker, op, { org: org.id }, res);
      if (outcome === 'ack') {
        model.live.delete(org.id);
        model.deleted.add(org.id);
      }
    }
    if (outcome === 'ack' && org) org.pending = null;
    if (outcome === 'rejected') {
      // The write did not happen; the organization stays frozen anyway, since the model and
      // orgd disagree about it, and the check after the crash shows how.
      model.violation(`cycle ${cycle}: ${op} ${org?.id ?? ''} refused with ${res.status}: ${JSON.stringify(res.json)}`);
    }
    if (outcome === 'unknown' && res.status !== undefined) {
      const expected = res.status === 503 && res.json?.errors?.[0]?.code === 'service_unavailable' && outage();
      if (!expected) model.violation(`cycle ${cycle}: ${op} ${org?.id ?? ''} answered ${res.status}: ${JSON.stringify(res.json)}`);
    }
    if (outcome === 'unknown' && res.error === 'TimeoutError') {
      model.violation(`cycle ${cycle}: ${op} ${org?.id ?? ''} had no answer within ${REQUEST_TIMEOUT_MS} ms`);
    }
    // A failed request is not retried at full speed: the server is down or going down.
    if (outcome !== 'ack') await sleep(20);
  }
}

function pick(list, random) {
  return list[Math.floor(random() * list.length)];
}
