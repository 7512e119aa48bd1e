// Webhooks across a crash (issue 18): orgd is killed with SIGKILL during a burst of changes while
// the receiver is slow, so events are committed but not yet delivered; after a restart on the same
// store every committed event arrives at least once and, per organization, in commit order.
// Duplicates are allowed (an attempt in flight at the kill is sent again, under the same svix-id);
// gaps are not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { violations } from '../lib/contract.js';
import { newDataDir, newSecretKey, removeDataDir, startOrgd, storeKind } from '../lib/orgd.js';
import { raw } from '../lib/suite.js';
import { assertReceiverClean, createEndpoint, messagesOf, readFeed, startReceiver, waitFor } from '../lib/webhooks.js';

const ARGS = ['--webhook-allow-private', '--webhook-retry-schedule', '0s,1s,1s'];
const ORGS = 10;
const CHANGES = 50; // per organization: 500 in all
// How long the restarted node may take to deliver everything. On SQLite orgd is the only process
// on its file, so at start it takes back the leases its killed predecessor held: 20 s is generous
// for 510 deliveries at 20 ms (about 3 s with 4 workers). On PostgreSQL a starting node cannot
// tell a dead node's leases from a live one's, so a message the killed node had claimed (and its
// organization's later events) waits for the lease to run out: 60 s (webhook_delivery.h), plus
// the deliveries.
const RESTART_WAIT_MS = Number(process.env.ORGD_TEST_WEBHOOK_RESTART_WAIT_MS ??
  (storeKind() === 'postgres' ? 80_000 : 20_000));

test('kill -9 during a burst of 500 changes: after restart every committed event arrives, per organization in order', { timeout: 150_000 }, async () => {
  const dataDir = newDataDir();
  const secretKeys = [newSecretKey()];
  const receiver = await startReceiver({ delayMs: 20 });
  let orgd = await startOrgd({ dataDir, secretKeys, args: ARGS });
  try {
    const endpoint = await createEndpoint(orgd, receiver, { events: ['organization.created', 'organization.updated'] });
    const orgs = [];
    for (let i = 0; i < ORGS; i++) {
      const res = await raw(orgd, 'POST', '/v1/organizations', { json: { name: `Crash ${i}`, public_metadata: { n: 0 } } });
      assert.equal(res.status, 200, res.text);
      orgs.push(res.json.id);
    }
    // One writer per organization, its changes one after another (so commit order is n order),
    // the organizations side by side. A writer stops at its first failure (the kill).
    const acked = new Map(orgs.map(id => [id, 0]));
    let total = 0;
    const writer = (server, id) => async () => {
      for (let n = acked.get(id) + 1; n <= CHANGES; n++) {
        const res = await raw(server, 'PATCH', `/v1/organizations/${id}/metadata`, { json: { public_metadata: { n } } })
          .catch(() => null);
        if (res?.status !== 200) return;
        acked.set(id, n);
        total++;
      }
    };
    const writers = orgs.map(id => writer(orgd, id)());
    await waitFor(() => total >= (ORGS * CHANGES) / 2, { timeout: 30_000, interval: 2, what: () => `half the changes; ${total}` });
    const backlog = total + ORGS - receiver.delivered.length;
    assert.deepEqual(violations.splice(0), [], 'responses before the kill that break the OpenAPI contract');
    const killed = await orgd.stop('SIGKILL');
    assert.equal(killed.signal, 'SIGKILL');
    await Promise.all(writers);
    violations.splice(0); // requests cut off by the kill have no response to check
    assert.ok(backlog > 0, 'the kill found events not yet delivered (the receiver is slow)');
    const beforeRestart = receiver.deliveries.length;

    orgd = await startOrgd({ dataDir, secretKeys, args: ARGS });
    // The burst goes on to its 500 changes on the restarted server.
    await Promise.all(orgs.map(id => writer(orgd, id)()));
    for (const id of orgs) assert.equal(acked.get(id), CHANGES, `${id}: every change acknowledged after the restart`);

    const counters = id => receiver.delivered.filter(d => d.data?.id === id).map(d => d.data.public_metadata.n);
    await waitFor(() => orgs.every(id => counters(id).includes(CHANGES)), {
      timeout: RESTART_WAIT_MS, interval: 100,
      what: () => `every organization's last change after the restart; the last change each has got: ` +
        `${orgs.map(id => Math.max(-1, ...counters(id))).join(',')} (of ${CHANGES}); ` +
        `${receiver.deliveries.length - beforeRestart} deliveries since the restart`,
    });
    assertReceiverClean(receiver);
    assert.ok(receiver.deliveries.length > beforeRestart, 'deliveries went on after the restart');

    // The feed is the log of what was committed: per organization n never goes down and has no gap
    // (a change in flight at the kill may have committed unacknowledged and been sent again).
    const { events } = await readFeed(orgd);
    const feedOf = id => events.filter(e => e.data.id === id);
    for (const id of orgs) {
      const ns = feedOf(id).map(e => e.data.public_metadata.n);
      assertContiguous(ns, `feed of ${id}`);
      // Delivered: in the feed's order (duplicates allowed, never an older one after a newer one),
      // no gap, and every event of the feed under its own svix-id.
      const got = counters(id);
      assertContiguous(got, `deliveries of ${id}`);
      const eventsDelivered = new Set(receiver.delivered.filter(d => d.data?.id === id).map(d => d.svixId));
      assert.equal(eventsDelivered.size, ns.length, `${id}: one message per committed event (${ns.length}), got ${eventsDelivered.size}`);
    }
    // Every message is its one event, sent again as the same body; all delivered in the end.
    const bodies = new Map();
    for (const d of receiver.delivered) {
      if (bodies.has(d.svixId)) assert.equal(d.body, bodies.get(d.svixId), `redelivery of ${d.svixId} is the same body`);
      bodies.set(d.svixId, d.body);
    }
    const messages = await messagesOf(orgd, endpoint);
    const feedIds = new Set(events.filter(e => orgs.includes(e.data.id)).map(e => e.id));
    assert.deepEqual(new Set(messages.map(m => m.event_id)), feedIds, 'a message for every event, none for another');
    assert.deepEqual(messages.filter(m => m.status !== 'delivered').map(m => `${m.id} ${m.status}`), []);
    assert.deepEqual(new Set(messages.map(m => m.id)), new Set(bodies.keys()), 'every message was received');
    assert.equal(new Set(receiver.delivered.map(d => d.envelope.instance_id)).size, 1, 'the same instance after the restart');
    const stopped = await orgd.stop('SIGTERM');
    assert.equal(stopped.code, 0, stopped.stderr);
  } finally {
    await orgd.stop('SIGKILL');
    await receiver.close();
    removeDataDir(dataDir);
  }
  assert.deepEqual(violations.splice(0), [], 'responses that break the OpenAPI contract');
});

// ns starts at 0, never goes down, and steps by at most 1.
function assertContiguous(ns, what) {
  assert.equal(ns[0], 0, `${what} starts with the create: ${ns.slice(0, 10)}`);
  for (let i = 1; i < ns.length; i++) {
    assert.ok(ns[i] === ns[i - 1] || ns[i] === ns[i - 1] + 1,
      `${what}: ${ns[i - 1]} then ${ns[i]} at ${i} (${ns.slice(Math.max(0, i - 5), i + 5)})`);
  }
  assert.equal(ns.at(-1), CHANGES, `${what} ends with the last change`);
}
