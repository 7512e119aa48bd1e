// Durability: what orgd acknowledged is there after SIGTERM and a restart on the same file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { installContractCheck, violations } from '../lib/contract.js';
import { databaseUrl, newDataDir, newSecretKey, removeDataDir, startOrgd } from '../lib/orgd.js';
import { clerkFor, raw } from '../lib/suite.js';

installContractCheck();
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

test('data, metadata and logos survive a SIGTERM and a restart', async () => {
  const dataDir = newDataDir();
  const secretKeys = [newSecretKey()];
  try {
    const first = await startOrgd({ dataDir, secretKeys });
    const clerk = clerkFor(first);
    const org = await clerk.organizations.createOrganization({
      name: 'Durable', slug: 'durable', publicMetadata: { a: 1 }, privateMetadata: { b: 2 },
    });
    const withLogo = await clerk.organizations.updateOrganizationLogo(org.id, {
      file: new Blob([readFileSync(join(fixtures, 'logo.png'))], { type: 'image/png' }),
    });
    const logoBytes = Buffer.from(await (await fetch(withLogo.imageUrl)).arrayBuffer());
    const stopped = await first.stop('SIGTERM');
    assert.deepEqual([stopped.code, stopped.signal], [0, null], stopped.stderr);

    const second = await startOrgd({ dataDir, secretKeys });
    const again = await clerkFor(second).organizations.getOrganization({ slug: 'durable' });
    assert.equal(again.id, org.id);
    assert.deepEqual(again.publicMetadata, { a: 1 });
    assert.deepEqual(again.privateMetadata, { b: 2 });
    assert.equal(again.hasImage, true);
    // The image URL names the image, not the port, so it is read from the new server.
    const image = await fetch(second.url + new URL(withLogo.imageUrl).pathname);
    assert.equal(image.status, 200);
    assert.deepEqual(Buffer.from(await image.arrayBuffer()), logoBytes);
    const done = await second.stop('SIGTERM');
    assert.equal(done.code, 0, done.stderr);
  } finally {
    removeDataDir(dataDir);
  }
  assert.deepEqual(violations.splice(0), []);
});

test('every create acknowledged before a SIGTERM is there after the restart', async () => {
  const dataDir = newDataDir();
  const secretKeys = [newSecretKey()];
  try {
    const first = await startOrgd({ dataDir, secretKeys });
    // Eight clients create organizations back to back; the signal lands once 50 were
    // acknowledged, while others are in flight. Requests after it may fail, but every one that
    // got a 200 must have been written. Each client stops at its first failure (bounded anyway).
    const acknowledged = [];
    let sent = 0;
    const client = async c => {
      for (let i = 0; i < 2000; i++) {
        sent++;
        const r = await raw(first, 'POST', '/v1/organizations', { json: { name: `Burst ${c}-${i}` } })
          .catch(() => null);
        if (r?.status !== 200) return;
        acknowledged.push(r.json.id);
      }
    };
    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    for (let wait = 0; acknowledged.length < 50 && wait < 1000; wait++) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    const exit = await first.stop('SIGTERM');
    await Promise.all(clients);
    assert.deepEqual([exit.code, exit.signal], [0, null], exit.stderr);
    assert.ok(acknowledged.length >= 50, `only ${acknowledged.length} of ${sent} acknowledged`);

    const second = await startOrgd({ dataDir, secretKeys });
    const stored = await raw(second, 'GET', '/v1/organizations?limit=500');
    const storedIds = new Set(stored.json.data.map(o => o.id));
    for (const id of acknowledged) assert.ok(storedIds.has(id), `acknowledged ${id} was lost`);
    assert.equal(stored.json.total_count, acknowledged.length, 'only acknowledged creates are stored');
    await second.stop('SIGTERM');
  } finally {
    removeDataDir(dataDir);
  }
  violations.splice(0); // cut-off requests have no response to check
});

test('orgd migrate prepares a database that serve then uses', async () => {
  const { execFileSync } = await import('node:child_process');
  const dataDir = newDataDir();
  try {
    const db = databaseUrl(dataDir);
    const out = execFileSync(process.env.ORGD_BIN, ['migrate', '--database', db], { encoding: 'utf8' });
    assert.match(out, /[1-9]\d* migration\(s\) applied/);
    const twice = execFileSync(process.env.ORGD_BIN, ['migrate', '--database', db], { encoding: 'utf8' });
    assert.match(twice, /0 migration\(s\) applied/);
    const server = await startOrgd({ dataDir });
    assert.equal((await fetch(server.url + '/readyz')).status, 200);
    await server.stop();
  } finally {
    removeDataDir(dataDir);
  }
});
