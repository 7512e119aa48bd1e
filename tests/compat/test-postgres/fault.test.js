// PostgreSQL goes away under load and comes back: orgd answers 503 in the Clerk envelope (and
// readyz fails) while it is gone, recovers by itself, and every write it acknowledged is there.
// Runs in the PostgreSQL pass of scripts/test.sh, which names the server's state directory.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { startOrgd } from '../lib/orgd.js';
import { assertClerkError, clerkFor, raw } from '../lib/suite.js';

const root = join(import.meta.dirname, '..', '..', '..');
function postgres(action) {
  const state = process.env.ORGD_TEST_POSTGRES_STATE;
  if (!state) throw new Error('ORGD_TEST_POSTGRES_STATE is not set (scripts/test.sh sets it)');
  execFileSync('bash', [join(root, 'scripts', 'test-postgres.sh'), action, state], { stdio: 'inherit' });
}
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

test('a PostgreSQL outage mid-load: 503s, then recovery with no acknowledged write lost', async t => {
  const orgd = await startOrgd();
  const clerk = clerkFor(orgd);
  const acknowledged = [];
  const statuses = new Map();
  let stop = false;
  let n = 0;
  // 8 writers, each creating organizations one after another until told to stop (bounded: at
  // most 3000 requests each).
  const writer = async w => {
    for (let i = 0; i < 3000 && !stop; i++) {
      const name = `Load ${w}-${i}`;
      let res;
      try {
        res = await raw(orgd, 'POST', '/v1/organizations', { json: { name } });
      } catch (e) {
        statuses.set('network', (statuses.get('network') ?? 0) + 1);
        await sleep(20);
        continue;
      }
      n++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 200) {
        acknowledged.push(res.json.id);
      } else {
        assertClerkError(res, 503, 'service_unavailable');
        await sleep(20);
      }
    }
  };
  const load = Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
  let halted = false;
  try {
    while (acknowledged.length < 50) await sleep(20);
    postgres('halt');
    halted = true;
    const before = acknowledged.length;
    await sleep(1500);
    const ready = await fetch(orgd.url + '/readyz');
    assert.equal(ready.status, 503, 'readyz while the database is down');
    assert.ok((statuses.get(503) ?? 0) > 0, `no 503 while the database was down: ${[...statuses]}`);
    postgres('resume');
    halted = false;
    // Recovery by itself: new writes succeed again within 10 s.
    const deadline = Date.now() + 10_000;
    while (acknowledged.length < before + 50 && Date.now() < deadline) await sleep(50);
    assert.ok(acknowledged.length >= before + 50, `no recovery: ${[...statuses]}`);
    assert.equal((await fetch(orgd.url + '/readyz')).status, 200);
  } finally {
    if (halted) postgres('resume');
    stop = true;
    await load;
  }
  t.diagnostic(`responses: ${JSON.stringify(Object.fromEntries(statuses))}; acknowledged ${acknowledged.length}`);
  // Every acknowledged organization is there.
  for (const id of acknowledged) {
    const org = await clerk.organizations.getOrganization({ organizationId: id });
    assert.equal(org.id, id);
  }
  const list = await clerk.organizations.getOrganizationList({ limit: 1 });
  assert.ok(list.totalCount >= acknowledged.length);
  assert.equal((await orgd.stop('SIGTERM')).code, 0);
});
