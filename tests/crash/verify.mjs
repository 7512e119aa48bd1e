// The check after a crash: what the restarted (or recovered) orgd serves and what its store holds,
// against the model of what was acknowledged. It also settles every write whose outcome was
// unknown (allowed: not applied, or applied whole), so the model is exact again for the next cycle.
import { isDeepStrictEqual } from 'node:util';
import { call, MAX_MEMBERS, Organization } from './model.mjs';

// Returns { lost, violations, organizations, memberships, settled }: `lost` counts acknowledged
// writes whose effect is missing, `violations` every other broken rule (both are also added to
// the model), then the store's size and how the unanswered writes came out ({applied, notApplied}).
export async function verify({ model, store, server, cycle }) {
  const lost = [];
  let lostWrites = 0;
  const violations = [];
  const loseWrites = (count, text) => {
    lostWrites += count;
    lost.push(text);
  };

  const snap = store.snapshot();
  const rows = new Map();
  const bySlug = new Map();
  for (const row of snap.organizations) {
    const parsed = { ...row, public_metadata: parseJson(row.public_metadata), private_metadata: parseJson(row.private_metadata) };
    rows.set(row.id, parsed);
    bySlug.set(row.slug, parsed);
  }
  const membersOf = new Map();
  for (const m of snap.memberships) {
    if (!membersOf.has(m.organization_id)) membersOf.set(m.organization_id, new Set());
    membersOf.get(m.organization_id).add(m.user_id);
  }
  const stored = id => membersOf.get(id) ?? new Set();
  // How the writes with no answer came out: evidence that the kills land inside writes.
  const settled = { applied: 0, notApplied: 0 };
  const settle = applied => settled[applied ? 'applied' : 'notApplied']++;

  // Creates with no answer: the organization exists, as created and untouched, or not at all.
  for (const [slug, { worker }] of model.unknownCreates) {
    const row = bySlug.get(slug);
    settle(row !== undefined);
    if (!row) continue;
    const org = new Organization({ id: row.id, slug, worker });
    org.acked = 0;
    model.live.set(row.id, org);
    if (!isCounter(row, 0) || stored(row.id).size !== 0) {
      violations.push(`${row.id} (create of ${slug} in flight) is not as created: ${describe(row, stored(row.id))}`);
    }
  }
  model.unknownCreates.clear();

  for (const org of [...model.live.values()]) {
    const row = rows.get(org.id);
    const pending = org.pending;
    org.pending = null;
    if (pending?.op === 'delete') settle(!row);
    if (!row) {
      if (pending?.op === 'delete') {
        // The delete in flight happened.
        model.live.delete(org.id);
        model.deleted.add(org.id);
      } else {
        loseWrites(Math.max(org.acked, 1), `${org.id} (${org.slug}) with ${org.acked} acknowledged writes is gone`);
        model.live.delete(org.id);
      }
      continue;
    }
    // Metadata: one PATCH writes both, so they carry the same counter.
    if (!isCounter(row, row.public_metadata?.n)) {
      violations.push(`${org.id}: metadata half-applied or foreign: ${describe(row, stored(org.id))}`);
    } else {
      const n = row.public_metadata.n;
      if (pending?.op === 'metadata' && (n === org.n || n === pending.n)) settle(n === pending.n);
      if (n === org.n || (pending?.op === 'metadata' && n === pending.n)) {
        org.n = n;
      } else if (n < org.n) {
        loseWrites(org.n - n, `${org.id}: metadata n=${n}, but n=${org.n} was acknowledged`);
        org.n = n;
      } else {
        violations.push(`${org.id}: metadata n=${n}, acknowledged n=${org.n}, in flight ${JSON.stringify(pending)}`);
        org.n = n;
      }
    }
    // Memberships: each user's as acknowledged, except the one of the write in flight.
    const members = stored(org.id);
    for (const user of new Set([...members, ...org.members, ...(pending?.user ? [pending.user] : [])])) {
      const inFlight = (pending?.op === 'add' || pending?.op === 'remove') && pending.user === user;
      const expected = org.members.has(user);
      const present = members.has(user);
      if (inFlight) settle(present !== expected);
      if (inFlight || expected === present) continue;
      if (expected) loseWrites(1, `${org.id}: member ${user} was added (acknowledged) but is missing`);
      else if (org.lastAck.get(user) === 'remove') loseWrites(1, `${org.id}: member ${user} was removed (acknowledged) but is there`);
      else violations.push(`${org.id}: member ${user} is there but was never added`);
    }
    org.members = new Set(members);
    if (members.size > MAX_MEMBERS) violations.push(`${org.id}: ${members.size} members, over the limit ${MAX_MEMBERS}`);
  }

  // What the store holds and the model does not: an acknowledged delete undone, or a write from
  // nowhere. Taken into the model as found so that it is reported once.
  for (const row of rows.values()) {
    if (model.live.has(row.id)) continue;
    if (model.deleted.has(row.id)) {
      loseWrites(1, `${row.id} (${row.slug}) was deleted (acknowledged) but is there`);
      model.deleted.delete(row.id);
    } else {
      violations.push(`${row.id} (${row.slug}) is in the store but was never created: ${describe(row, stored(row.id))}`);
    }
    const worker = Number(/-w(\d+)-/.exec(row.slug)?.[1] ?? 0);
    const org = new Organization({ id: row.id, slug: row.slug, worker });
    org.n = Number.isInteger(row.public_metadata?.n) ? row.public_metadata.n : 0;
    org.members = new Set(stored(row.id));
    model.live.set(row.id, org);
  }

  // Nothing half-applied: members_count is the number of rows, no membership without its parents.
  for (const m of snap.countMismatches) violations.push(`${m.id}: members_count ${m.members_count} but ${m.row_count} membership rows`);
  for (const m of snap.orphanMemberships) violations.push(`membership ${m.id} (${m.organization_id}, ${m.user_id}) has no organization or user`);
  checkOutbox({ snap, rows, stored, model, violations });
  const users = new Set(snap.users);
  for (const user of model.users) if (!users.has(user)) loseWrites(1, `user ${user} (acknowledged) is gone`);
  for (const problem of store.integrityProblems()) violations.push(`store: ${problem}`);

  // The API serves what the store holds: every organization with its counter and members_count,
  // each one's membership list, and a 404 for those deleted in this cycle.
  const listed = await listOrganizations(server, violations);
  if (listed) {
    const listedIds = new Set(listed.map(o => o.id));
    for (const o of listed) {
      const row = rows.get(o.id);
      if (!row) {
        violations.push(`API lists ${o.id}, which is not in the store`);
        continue;
      }
      if (o.members_count !== row.members_count || o.members_count !== stored(o.id).size) {
        violations.push(`${o.id}: API members_count ${o.members_count}, store ${row.members_count}, rows ${stored(o.id).size}`);
      }
      if (!isDeepStrictEqual(o.public_metadata, row.public_metadata)) {
        violations.push(`${o.id}: API public_metadata ${JSON.stringify(o.public_metadata)}, store ${JSON.stringify(row.public_metadata)}`);
      }
    }
    for (const id of rows.keys()) if (!listedIds.has(id)) violations.push(`${id} is in the store but the API does not list it`);
  }
  await forEachLimited([...model.live.values()], 8, async org => {
    const res = await call(server, 'GET', `/v1/organizations/${org.id}/memberships?limit=500`);
    if (res.status !== 200) {
      violations.push(`GET memberships of ${org.id}: ${res.status ?? res.error}`);
      return;
    }
    const users = new Set(res.json.data.map(m => m.public_user_data?.user_id));
    if (res.json.total_count !== users.size || !isDeepStrictEqual(users, stored(org.id))) {
      violations.push(`${org.id}: API memberships ${[...users]} (total_count ${res.json.total_count}), store ${[...stored(org.id)]}`);
    }
  });
  const deletedNow = model.acks.filter(a => a.cycle === cycle && a.op === 'delete').map(a => a.org);
  await forEachLimited(deletedNow, 8, async id => {
    const res = await call(server, 'GET', `/v1/organizations/${id}`);
    if (res.status !== 404) violations.push(`GET ${id} (deleted, acknowledged): ${res.status ?? res.error}, not 404`);
  });

  for (const text of lost) model.write({ cycle, lost: text });
  for (const text of violations) model.violation(`cycle ${cycle}: ${text}`);
  model.lost += lostWrites;
  model.lostDetails.push(...lost.map(text => `cycle ${cycle}: ${text}`));
  model.settled.applied += settled.applied;
  model.settled.notApplied += settled.notApplied;
  return { lost: lostWrites, violations: violations.length, organizations: rows.size, memberships: snap.memberships.length, settled };
}

// The events beside the rows: every organization in the store has its organization.created and
// no organization.deleted, every deleted one its organization.deleted; its last created/updated
// event carries the metadata the row has; and each membership is there exactly when its last
// event is organizationMembership.created. A change committed without its events (or the
// reverse) is half-applied.
function checkOutbox({ snap, rows, stored, model, violations }) {
  const events = new Map();
  for (const e of snap.organizationEvents) events.set(`${e.organization_id} ${e.type}`, Number(e.count));
  const countOf = (id, type) => events.get(`${id} ${type}`) ?? 0;
  for (const row of rows.values()) {
    if (countOf(row.id, 'organization.created') !== 1 || countOf(row.id, 'organization.deleted') !== 0) {
      violations.push(`${row.id}: ${countOf(row.id, 'organization.created')} organization.created and ` +
        `${countOf(row.id, 'organization.deleted')} organization.deleted events, but it is in the store`);
    }
  }
  for (const id of model.deleted) {
    if (countOf(id, 'organization.deleted') !== 1) {
      violations.push(`${id}: deleted, but ${countOf(id, 'organization.deleted')} organization.deleted events`);
    }
  }
  const last = new Map(snap.lastOrganizationEvents.map(e => [e.organization_id, parseJson(e.payload)]));
  for (const row of rows.values()) {
    const payload = last.get(row.id);
    if (!payload || !isDeepStrictEqual(payload.public_metadata, row.public_metadata) ||
      !isDeepStrictEqual(payload.private_metadata, row.private_metadata)) {
      violations.push(`${row.id}: metadata ${JSON.stringify(row.public_metadata)}/${JSON.stringify(row.private_metadata)}, ` +
        `its last event says ${JSON.stringify(payload?.public_metadata)}/${JSON.stringify(payload?.private_metadata)}`);
    }
  }
  const lastMembershipEvent = new Map(); // organization id -> user id -> type of the last event
  for (const e of snap.membershipEvents) {
    if (!lastMembershipEvent.has(e.organization_id)) lastMembershipEvent.set(e.organization_id, new Map());
    lastMembershipEvent.get(e.organization_id).set(e.user_id, e.type);
  }
  for (const row of rows.values()) {
    const members = stored(row.id);
    const lastOf = lastMembershipEvent.get(row.id) ?? new Map();
    for (const user of new Set([...members, ...lastOf.keys()])) {
      const type = lastOf.get(user);
      if (members.has(user) !== (type === 'organizationMembership.created')) {
        violations.push(`${row.id}: member ${user} ${members.has(user) ? 'is' : 'is not'} there, its last event is ${type}`);
      }
    }
  }
}

// Every organization through GET /v1/organizations, 500 a page (at most 200 pages).
async function listOrganizations(server, violations) {
  const all = [];
  for (let page = 0; page < 200; page++) {
    const res = await call(server, 'GET', `/v1/organizations?limit=500&offset=${page * 500}&include_members_count=true`);
    if (res.status !== 200) {
      violations.push(`GET /v1/organizations: ${res.status ?? res.error}`);
      return null;
    }
    all.push(...res.json.data);
    if (res.json.data.length < 500 || all.length >= res.json.total_count) return all;
  }
  violations.push('GET /v1/organizations: more than 200 pages');
  return null;
}

async function forEachLimited(items, limit, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

// Both metadata objects are exactly {n} with the same integer n (and n equals `n` if given).
function isCounter(row, n) {
  const pub = row.public_metadata;
  const priv = row.private_metadata;
  return isDeepStrictEqual(pub, { n: pub?.n }) && isDeepStrictEqual(priv, { n: pub?.n }) &&
    Number.isInteger(pub.n) && (n === undefined || pub.n === n);
}

function describe(row, members) {
  return JSON.stringify({ public: row.public_metadata, private: row.private_metadata, members_count: row.members_count, members: [...members] });
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
