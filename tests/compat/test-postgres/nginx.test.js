// The nginx configuration of docs/DEPLOYING.md, in front of two orgd nodes on one PostgreSQL: the
// SDK talks to nginx only. The config is read from the document itself, with only what a test
// must change (loopback addresses and ports, no TLS, temp-dir paths), so the documented file is
// the tested one.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { newDataDir, newSecretKey, startOrgd } from '../lib/orgd.js';
import { clerkFor } from '../lib/suite.js';

const root = join(import.meta.dirname, '..', '..', '..');
const nodes = [];
let nginx;
let dir;
let url;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

// The ```nginx block of DEPLOYING.md, made to run here.
function documentedConfig(nodeAddresses, port) {
  const doc = readFileSync(join(root, 'docs', 'DEPLOYING.md'), 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(doc);
  assert.ok(block, 'docs/DEPLOYING.md has no ```nginx block');
  let conf = block[1];
  const servers = [...conf.matchAll(/^\s*server (\S+?):8080 (.*);$/gm)];
  assert.equal(servers.length, 2, 'the example names two nodes');
  servers.forEach((m, i) => {
    conf = conf.replace(m[0], `    server ${nodeAddresses[i]} ${m[2]};`);
  });
  conf = conf
    .replace(/listen 443 ssl;/, `listen 127.0.0.1:${port};`)
    .replace(/^\s*http2 on;\n/m, '')
    .replace(/^\s*ssl_certificate(_key)? .*\n/gm, '');
  // Words, not digits: a node's random port may well contain 443.
  assert.doesNotMatch(conf, /\bssl|\b443\b/, 'a TLS line the test does not know how to replace');
  return conf;
}

before(async () => {
  const dataDir = newDataDir();
  const secretKeys = [newSecretKey()];
  for (let i = 0; i < 2; i++) nodes.push(await startOrgd({ dataDir, secretKeys }));
  dir = mkdtempSync(join(tmpdir(), 'orgd-nginx-'));
  const port = await freePort();
  const site = documentedConfig(nodes.map(n => new URL(n.url).host), port);
  writeFileSync(join(dir, 'nginx.conf'), `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr warn;
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${site}
}
`);
  nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url + '/healthz')).status === 200) return;
    } catch {}
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error('nginx did not come up with the documented configuration');
});

after(async () => {
  nginx?.kill('SIGTERM');
  for (const node of nodes) assert.equal((await node.stop('SIGTERM')).code, 0);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the SDK works through the documented nginx configuration, served by both nodes', async () => {
  const clerk = clerkFor({ url, secretKey: nodes[0].secretKey });
  const org = await clerk.organizations.createOrganization({ name: 'Behind nginx' });
  // A logo goes through nginx's body limit (client_max_body_size) too.
  const png = readFileSync(join(root, 'tests', 'compat', 'fixtures', 'logo.png'));
  const file = new File([png], 'logo.png', { type: 'image/png' });
  const withLogo = await clerk.organizations.updateOrganizationLogo(org.id, { file });
  assert.equal(withLogo.hasImage, true);
  // Round-robin: consecutive requests land on both nodes and agree.
  const seen = new Set();
  for (let i = 0; i < 8; i++) {
    const res = await fetch(`${url}/v1/organizations/${org.id}`, {
      headers: { authorization: `Bearer ${nodes[0].secretKey}` },
    });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).name, 'Behind nginx');
    seen.add(res.headers.get('x-request-id')?.slice(4, 10));  // req_<node's 6-char prefix><n>
  }
  assert.equal(seen.size, 2, `requests reached ${[...seen]}`);
  const list = await clerk.organizations.getOrganizationList({ query: 'nginx' });
  assert.equal(list.totalCount, 1);
});
