// Webhooks with two orgd nodes on one PostgreSQL database (issue 18): each message is claimed by
// one node under a lease, so while both are up no svix-id arrives twice, a retried one is attempted
// once per scheduled attempt, and per organization the events arrive in commit order whichever
// node took the write. Runs in the PostgreSQL pass of scripts/test.sh only.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { violations } from '../lib/contract.js';
import { newDataDir, newSecretKey, startOrgd } from '../lib/orgd.js';
import { raw } from '../lib/suite.js';
import { assertReceiverClean, createEndpoint, messagesOf, sleep, startReceiver, waitFor } from '../lib/webhooks.js';

const ARGS = ['--webhook-allow-private', '--webhook-retry-schedule', '0s,1s,1s'];
const nodes = [];

before(async () => {
  const dataDir = newDataDir();
  const secretKeys = [newSecretKey()];
  for (let i = 0; i < 2; i++) nodes.push(await startOrgd({ dataDir, secretKeys, args: ARGS }));
});
afterEach(() => assert.deepEqual(violations.splice(0), [], 'responses that break the OpenAPI contract'));
after(async () => {
  for (const orgd of nodes) assert.equal((await orgd.stop('SIGTERM')).code, 0);
});

test('two nodes deliver each message once, per organization in commit order', { timeout: 60_000 }, async () => {
  const [a, b] = nodes;
  const orgs = [];
  let failedOnce = 0;
  const receiver = await startReceiver({
    delayMs: 5,
    // Org 0's 3rd change fails its first attempt: the retry is one more attempt, not one per node.
    respond: ({ delivery, attempt }) => {
      if (delivery.data?.id === orgs[0] && delivery.data.public_metadata?.n === 3 && attempt === 1) {
        failedOnce++;
        return 500;
      }
      return 200;
    },
  });
  try {
    const endpoint = await createEndpoint(a, receiver, { events: ['organization.created', 'organization.updated'] });
    const ORGS = 6;
    const CHANGES = 20;
    for (let i = 0; i < ORGS; i++) {
      const res = await raw(nodes[i % 2], 'POST', '/v1/organizations', { json: { name: `Two nodes ${i}`, public_metadata: { n: 0 } } });
      assert.equal(res.status, 200, res.text);
      orgs.push(res.json.id);
    }
    // Each organization's changes alternate between the nodes, one after another.
    await Promise.all(orgs.map(async id => {
      for (let n = 1; n <= CHANGES; n++) {
        const res = await raw(nodes[n % 2], 'PATCH', `/v1/organizations/${id}/metadata`, { json: { public_metadata: { n } } });
        assert.equal(res.status, 200, res.text);
      }
    }));
    const counters = id => receiver.delivered.filter(d => d.data?.id === id).map(d => d.data.public_metadata.n);
    await waitFor(() => orgs.every(id => counters(id).includes(CHANGES)), {
      timeout: 30_000, interval: 50,
      what: () => `every organization's last change; got ${orgs.map(id => counters(id).length).join(',')}`,
    });
    // Long enough for a second claim of any message to have been sent.
    await sleep(1500);
    assertReceiverClean(receiver);
    const seen = new Map();
    for (const d of receiver.delivered) seen.set(d.svixId, (seen.get(d.svixId) ?? 0) + 1);
    const twice = [...seen].filter(([, times]) => times > 1);
    assert.deepEqual(twice, [], 'svix-ids delivered more than once while both nodes were up');
    assert.equal(seen.size, ORGS * (CHANGES + 1));
    for (const id of orgs) {
      assert.deepEqual(counters(id), Array.from({ length: CHANGES + 1 }, (_, n) => n), `${id} in commit order`);
    }
    assert.equal(failedOnce, 1);
    const retried = receiver.deliveries.filter(d => d.data?.id === orgs[0] && d.data.public_metadata?.n === 3);
    assert.deepEqual(retried.map(d => d.status), [500, 200], 'the failed attempt retried once');
    // Both nodes show the same messages, all delivered.
    const fromA = await messagesOf(a, endpoint);
    const fromB = await messagesOf(b, endpoint);
    assert.deepEqual(fromB, fromA);
    assert.equal(fromA.length, ORGS * (CHANGES + 1));
    assert.deepEqual(fromA.filter(m => m.status !== 'delivered'), []);
    assert.equal(fromA.find(m => m.id === retried[0].svixId).attempts, 2);
    assert.equal(new Set(receiver.delivered.map(d => d.envelope.instance_id)).size, 1, 'one instance across nodes');
  } finally {
    await receiver.close();
  }
});
