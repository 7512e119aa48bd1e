// Operating orgd (issue 20): Prometheus metrics on the operator listener (--metrics-listen) and
// nowhere else, JSON logs (--log-format json) with the request's trace ID, route, status,
// duration and caller but never a credential, and /readyz saying what it checked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useFrontend } from '../lib/frontend.js';
import { storeKind } from '../lib/orgd.js';
import { assertClerkError, assertSdkError } from '../lib/suite.js';

const ctx = useFrontend({ args: ['--metrics-listen', '127.0.0.1:0', '--log-format', 'json'], logLevel: 'info' });

async function metricsUrl() {
  for (let i = 0; i < 100; i++) {
    const m = /orgd metrics listening on (http:\/\/[^/\s"]+)\/metrics/.exec(ctx.orgd.stderr);
    if (m) return m[1];
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error(`no metrics listening line:\n${ctx.orgd.stderr}`);
}

// Parses the text exposition format 0.0.4 strictly: every line a HELP, a TYPE or a sample of a
// family whose TYPE came first; names and label names as Prometheus allows; label values with
// only the three escapes. Returns [{ name, labels, value }] and each family's type.
function parseExposition(text) {
  assert.ok(text.endsWith('\n'), 'the exposition ends with a line feed');
  const types = new Map();
  const samples = [];
  const name = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  for (const line of text.slice(0, -1).split('\n')) {
    let m;
    if ((m = new RegExp(`^# HELP (${name}) (.*)$`).exec(line))) continue;
    if ((m = new RegExp(`^# TYPE (${name}) (counter|gauge|histogram)$`).exec(line))) {
      assert.ok(!types.has(m[1]), `TYPE of ${m[1]} given twice`);
      types.set(m[1], m[2]);
      continue;
    }
    m = new RegExp(`^(${name})(?:\\{(.*)\\})? (\\S+)$`).exec(line);
    assert.ok(m, `not a sample line: ${JSON.stringify(line)}`);
    const labels = {};
    if (m[2] !== undefined) {
      const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(,|$)/y;
      let at = 0;
      while (at < m[2].length) {
        label.lastIndex = at;
        const l = label.exec(m[2]);
        assert.ok(l, `bad labels: ${m[2]}`);
        labels[l[1]] = l[2].replace(/\\(["\\n])/g, (_, c) => (c === 'n' ? '\n' : c));
        at = label.lastIndex;
      }
    }
    const value = Number(m[3] === '+Inf' ? Infinity : m[3]);
    assert.ok(!Number.isNaN(value), `not a number: ${line}`);
    const family = m[1].replace(/_(bucket|sum|count)$/, '');
    assert.ok(types.has(m[1]) || types.get(family) === 'histogram', `no TYPE before ${m[1]}`);
    samples.push({ name: m[1], labels, value });
  }
  return { samples, types };
}

function find(samples, name, labels = {}) {
  return samples.filter(s => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

async function scrape() {
  const res = await fetch((await metricsUrl()) + '/metrics');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(await res.text());
}

test('GET /metrics counts requests by route pattern and status, and follows the naming rules', async () => {
  const org = await ctx.clerk.organizations.createOrganization({ name: 'Metered' });
  await ctx.clerk.organizations.getOrganization({ organizationId: org.id });
  await ctx.clerk.organizations.getOrganization({ organizationId: org.id });
  await assertSdkError(ctx.clerk.organizations.getOrganization({ organizationId: 'org_nope0000000000000000000000' }), 404, 'resource_not_found');
  await fetch(ctx.orgd.url + '/no/such/path/' + org.id);

  // A request is counted once its answer is written, which the client may see a moment before.
  const route = { api: 'backend', method: 'GET', route: '/v1/organizations/{organization_id}' };
  let scraped;
  for (let i = 0; i < 50; i++) {
    scraped = await scrape();
    if (find(scraped.samples, 'orgd_http_requests_total', { api: 'backend', route: 'unmatched', code: '404' }).length > 0 &&
        find(scraped.samples, 'orgd_http_requests_total', { ...route, code: '404' }).length > 0) break;
    await new Promise(r => setTimeout(r, 20));
  }
  const { samples, types } = scraped;
  assert.equal(find(samples, 'orgd_http_requests_total', { ...route, code: '200' })[0]?.value, 2);
  assert.equal(find(samples, 'orgd_http_requests_total', { ...route, code: '404' })[0]?.value, 1);
  assert.equal(find(samples, 'orgd_http_requests_total', { api: 'backend', method: 'POST', route: '/v1/organizations', code: '200' })[0]?.value, 1);
  assert.ok(find(samples, 'orgd_http_requests_total', { api: 'backend', route: 'unmatched', code: '404' })[0]?.value >= 1);

  // The latency histogram: cumulative buckets ending in +Inf, which equals the count.
  const buckets = find(samples, 'orgd_http_request_duration_seconds_bucket', { ...route, code: '200' });
  assert.ok(buckets.length >= 10);
  for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i].value >= buckets[i - 1].value);
  assert.equal(buckets.at(-1).labels.le, '+Inf');
  assert.equal(buckets.at(-1).value, find(samples, 'orgd_http_request_duration_seconds_count', { ...route, code: '200' })[0].value);
  assert.ok(find(samples, 'orgd_http_request_duration_seconds_sum', { ...route, code: '200' })[0].value > 0);

  // Bounded labels: route patterns, never the IDs or paths asked for.
  for (const s of samples) {
    for (const v of Object.values(s.labels)) assert.ok(!v.includes(org.id) && !v.includes('/no/such'), `${s.name} has ${v}`);
  }
  // Conventions: orgd_ prefix, counters end in _total, durations in seconds.
  for (const [name, type] of types) {
    assert.match(name, /^orgd_/);
    if (type === 'counter') assert.match(name, /_total$/);
    if (name.includes('duration')) assert.match(name, /_seconds$/);
  }

  const store = storeKind();
  assert.equal(find(samples, 'orgd_build_info', { store })[0]?.value, 1);
  assert.match(find(samples, 'orgd_build_info')[0].labels.version, /^\d+\.\d+/);
  assert.ok(find(samples, 'orgd_store_transaction_duration_seconds_count', { store, kind: 'write' })[0]?.value >= 1);
  assert.ok(find(samples, 'orgd_store_transaction_duration_seconds_count', { store, kind: 'read' })[0]?.value >= 2);
  assert.ok(find(samples, 'orgd_store_queue_wait_seconds_count', { store })[0]?.value >= 1);
  if (store === 'sqlite') assert.ok(find(samples, 'orgd_store_commit_batch_size_count', { store })[0]?.value >= 1);
  assert.equal(find(samples, 'orgd_store_up')[0]?.value, 1);
  assert.equal(find(samples, 'orgd_signing_key_current')[0]?.value, 1);
  for (const name of ['orgd_jobs_backlog', 'orgd_jobs_oldest_age_seconds', 'orgd_outbox_backlog', 'orgd_outbox_oldest_age_seconds']) {
    assert.equal(find(samples, name).length, 1, name);
    assert.ok(find(samples, name)[0].value >= 0, name);
  }
  assert.ok(find(samples, 'orgd_http_connections')[0]?.value >= 1);
  // This scrape is in flight while it renders.
  assert.ok(find(samples, 'orgd_http_requests_in_flight', { api: 'metrics' })[0]?.value >= 1);
  for (const outcome of ['delivered', 'rejected', 'unreachable']) {
    assert.equal(find(samples, 'orgd_webhook_deliveries_total', { outcome }).length, 1, outcome);
  }
});

test('the metrics are served on the operator listener only, never on the API ports', async () => {
  for (const base of [ctx.orgd.url, ctx.frontendUrl]) {
    const res = await fetch(base + '/metrics');
    assert.equal(res.status, 404, `${base}/metrics`);
  }
  const other = await fetch((await metricsUrl()) + '/v1/organizations', { headers: { authorization: `Bearer ${ctx.orgd.secretKey}` } });
  assert.equal(other.status, 404, 'the operator listener serves no API');
});

test('/readyz says what it checked, on the Backend API and on the operator listener', async () => {
  for (const base of [ctx.orgd.url, await metricsUrl()]) {
    const res = await fetch(base + '/readyz');
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.status, 'ready');
    assert.equal(body.checks.store, 'ok');
    assert.equal(body.checks.signing_key, 'ok');
    assert.equal(body.checks.outbox.status, 'ok');
    assert.equal(typeof body.checks.outbox.backlog, 'number');
    assert.equal(typeof body.checks.outbox.oldest_age_seconds, 'number');
    assert.equal(typeof body.checks.jobs.backlog, 'number');
  }
});

// The access log's lines (message "http request") of `requestId`, parsed.
async function accessLine(requestId) {
  for (let i = 0; i < 100; i++) {
    for (const line of ctx.orgd.stderr.split('\n')) {
      if (line.includes(`"request_id":"${requestId}"`)) return JSON.parse(line);
    }
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error(`no access log line for ${requestId}`);
}

test('--log-format json: one JSON object per line, the access log with trace ID, route, status, duration and caller', async () => {
  const missing = await ctx.raw('GET', '/v1/organizations/org_nope1111111111111111111111');
  assertClerkError(missing, 404, 'resource_not_found');
  const line = await accessLine(missing.json.clerk_trace_id);
  assert.equal(line.message, 'http request');
  assert.equal(line.level, 'info');
  assert.match(line.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(line.route, '/v1/organizations/{organization_id}');
  assert.equal(line.path, '/v1/organizations/org_nope1111111111111111111111');
  assert.equal(line.method, 'GET');
  assert.equal(line.status, 404);
  assert.equal(typeof line.duration_ms, 'number');
  assert.equal(line.remote_ip, '127.0.0.1');
  assert.equal(line.caller_kind, 'secret_key');
  assert.match(line.caller_id, /^key_[0-9a-f]{8}$/);

  // A Frontend API request names the session's user.
  const user = await ctx.clerk.users.createUser({ emailAddress: ['logged@ops.example.com'] });
  const browser = ctx.browser();
  await browser.signIn(user.id);
  const res = await browser.get('/v1/me/organization_memberships');
  assert.equal(res.status, 200, res.text);
  const frontend = await accessLine(res.headers.get('x-request-id'));
  assert.equal(frontend.caller_kind, 'session');
  assert.equal(frontend.caller_id, user.id);
  assert.equal(frontend.route, '/v1/me/organization_memberships');

  // Every line orgd wrote is one JSON object (the listening lines too), none with the key.
  const lines = ctx.orgd.stderr.split('\n').filter(l => l !== '');
  assert.ok(lines.length > 5);
  for (const l of lines) {
    const o = JSON.parse(l);
    assert.equal(typeof o.time, 'string', l);
    assert.equal(typeof o.level, 'string', l);
    assert.ok(!l.includes(ctx.orgd.secretKey), 'a log line holds the secret key');
  }
});
