// The contract served (issue 20, item 4): GET /v1/openapi.json is the OpenAPI document of exactly
// the Backend API this build routes: every route of src/api/routes.cc is in it (read from the
// source, as the hostile-input suite reads it) and nothing else is; Clerk's routes carry Clerk's
// operations from the vendored contract; every $ref resolves inside the document, so a client
// generator can take it as it is.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { loadRoutes } from '../../hostile/routes.mjs';
import { contractPath, extensionsPath } from '../lib/contract.js';
import { assertClerkError, useOrgd } from '../lib/suite.js';

const here = dirname(fileURLToPath(import.meta.url));
const ctx = useOrgd();
const shape = path => path.replace(/\{[^}]+\}/g, '{}');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

async function document() {
  const res = await ctx.raw('GET', '/v1/openapi.json');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers.get('content-type'), 'application/json');
  return res.json;
}

test('every Backend API route is in the document, and nothing else', async () => {
  const doc = await document();
  assert.match(doc.openapi, /^3\./);
  assert.equal(doc.servers[0].url, ctx.orgd.url);
  const routed = loadRoutes(join(here, '..', '..', '..', 'src')).filter(r => r.api === 'bapi');
  assert.ok(routed.length > 50);
  const served = routed.map(r => `${r.method} ${shape(r.path)}`).sort();
  const described = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) if (item[m]) described.push(`${m.toUpperCase()} ${shape(path)}`);
    for (const key of Object.keys(item)) assert.ok(METHODS.includes(key) || key === 'parameters', `${path} has ${key}`);
  }
  assert.deepEqual(described.sort(), served);
});

test("Clerk's routes carry Clerk's operations, orgd's own are marked, every $ref resolves", async () => {
  const doc = await document();
  const clerk = YAML.parse(readFileSync(contractPath, 'utf8'));
  const ours = YAML.parse(readFileSync(extensionsPath, 'utf8'));
  let fromClerk = 0;
  let fromOurs = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    const theirs = path.startsWith('/v1/') ? clerk.paths[path.slice(3)] : undefined;
    for (const m of METHODS) {
      if (!item[m]) continue;
      if (theirs?.[m]) {
        assert.deepEqual(item[m], theirs[m], `${m} ${path}`);
        fromClerk++;
      } else if (path.startsWith('/v1/') && ours.paths[path.slice(3)]?.[m]) {
        // orgd's own routes carry the operation of contract/orgd-extensions.yml.
        assert.deepEqual(item[m], ours.paths[path.slice(3)][m], `${m} ${path}`);
        fromOurs++;
      } else {
        assert.equal(item[m]['x-orgd-extension'], true, `${m} ${path} is neither Clerk's nor an extension`);
      }
    }
  }
  assert.ok(fromClerk > 40, `${fromClerk} operations from Clerk's contract`);
  assert.ok(fromOurs >= 12, `${fromOurs} operations from orgd-extensions.yml`);
  assert.equal(doc.paths['/v1/audit_logs'].get.operationId, 'ListAuditLogs');
  assert.equal(doc.paths['/v1/organizations/{organization_id}'].get.operationId, 'GetOrganization');
  assert.equal(doc.paths['/v1/openapi.json'].get.operationId, 'GetOpenApiDocument');
  assert.deepEqual(doc.paths['/healthz'].get.security, []);
  // Every reference points into the document itself.
  const refs = new Set();
  (function walk(v) {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, c] of Object.entries(v)) {
        if (k === '$ref') refs.add(c);
        else walk(c);
      }
    }
  })(doc);
  assert.ok(refs.size > 20);
  for (const ref of refs) {
    const [, kind, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
    assert.ok(doc.components[kind]?.[name], `${ref} does not resolve`);
  }
  // Only what is reached: the schemas of routes orgd does not have are left out.
  assert.ok(Object.keys(doc.components.schemas).length < Object.keys(clerk.components.schemas).length);
});

test('the document needs the secret key, like the rest of the Backend API', async () => {
  const res = await ctx.raw('GET', '/v1/openapi.json', { auth: false });
  assertClerkError(res, 401, 'authentication_invalid');
});
