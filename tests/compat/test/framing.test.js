// Hostile HTTP framing against the real binary, over raw sockets (issue 12, items 1, 3–8): what a
// careless client or an attacker sends that fetch() never would. Every answer is Clerk's JSON
// envelope in valid UTF-8, nothing is changed, and orgd keeps serving.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import { useOrgd } from '../lib/suite.js';

let target; // an organization every refused request is aimed at
const ctx = useOrgd({
  seed: async ctx => {
    target = (await ctx.raw('POST', '/v1/organizations', { json: { name: 'Target', slug: 'target' } })).json;
  },
});

// Sends `bytes` on a new connection, half-closes unless `keepOpen`, and resolves with everything
// the server sent until it closed (or `timeoutMs` passed: then `timedOut` is true).
function exchange(bytes, { keepOpen = false, timeoutMs = 5000 } = {}) {
  const { hostname, port } = new URL(ctx.orgd.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, timeoutMs);
    socket.on('data', c => chunks.push(c));
    socket.on('error', () => {}); // a reset after the answer is fine: the answer is what counts
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ bytes: Buffer.concat(chunks), timedOut });
    });
    socket.on('connect', () => {
      socket.write(bytes, () => {
        if (!keepOpen) socket.end();
      });
    });
    socket.on('timeout', reject);
  });
}

// The first response in `bytes`: status, lowercase headers and body, the body checked to be
// valid UTF-8 JSON.
function firstResponse(bytes) {
  const end = bytes.indexOf('\r\n\r\n');
  assert.ok(end > 0, `no response: ${bytes.toString('latin1').slice(0, 200)}`);
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers = Object.fromEntries(lines.map(l => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  const length = Number(headers['content-length']);
  const body = bytes.subarray(end + 4, end + 4 + length);
  const text = new TextDecoder('utf-8', { fatal: true }).decode(body); // throws on invalid UTF-8
  return { status, headers, text, json: JSON.parse(text), rest: bytes.subarray(end + 4 + length) };
}

function assertEnvelope(res, status, code) {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.json.errors[0].code, code, res.text);
  assert.equal(typeof res.json.clerk_trace_id, 'string');
}

async function assertTargetUnchanged() {
  const now = await ctx.raw('GET', `/v1/organizations/${target.id}`);
  assert.equal(now.status, 200, 'the target organization is gone');
  assert.deepEqual(now.json, target);
}

async function assertServing() {
  const health = await ctx.raw('GET', '/healthz', { auth: false });
  assert.equal(health.status, 200);
}

const auth = () => `Authorization: Bearer ${ctx.orgd.secretKey}\r\n`;

describe('chunked trailers', () => {
  test('a 65,534-byte trailer value or name is 431, without a key, and orgd keeps running', async () => {
    for (const trailer of [`X-T: ${'t'.repeat(65534)}`, `${'N'.repeat(65534)}: v`]) {
      const { bytes } = await exchange(
        `GET /healthz HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n${trailer}\r\n\r\n`);
      assertEnvelope(firstResponse(bytes), 431, 'request_header_fields_too_large');
    }
    await assertServing();
  });

  test('8 MB of small trailer fields are refused at the header limit, not buffered', async () => {
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${ctx.orgd.pid}/status`, 'utf8'))[1]);
    const before = rss();
    const field = `X-F: ${'v'.repeat(60)}\r\n`;
    const trailers = field.repeat(Math.ceil((8 << 20) / field.length));
    const { bytes } = await exchange(
      `POST /v1/organizations HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n${trailers}\r\n`);
    assertEnvelope(firstResponse(bytes), 431, 'request_header_fields_too_large');
    const grownKb = rss() - before;
    assert.ok(grownKb < 4096, `orgd grew by ${grownKb} KiB while refusing 8 MB of trailers`);
    await assertServing();
  });
});

describe('transfer codings (request smuggling)', () => {
  const smuggled = () => `DELETE /v1/organizations/${target.id} HTTP/1.1\r\nHost: t\r\n${auth()}\r\n`;

  for (const coding of ['xchunked', 'gzip', 'identity', 'gzip, chunked']) {
    test(`Transfer-Encoding: ${coding} is 501 and its body never runs as a request`, async () => {
      const { bytes } = await exchange(
        `POST /v1/organizations HTTP/1.1\r\nHost: t\r\n${auth()}Content-Type: application/json\r\n` +
        `Transfer-Encoding: ${coding}\r\n\r\n${smuggled()}`);
      const res = firstResponse(bytes);
      assertEnvelope(res, 501, 'transfer_encoding_not_supported');
      assert.equal(res.rest.length, 0, `a second answer: ${res.rest.toString('latin1')}`);
      await assertTargetUnchanged();
    });
  }

  for (const [name, head] of [
    ['chunked not last', 'HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, identity\r\n'],
    ['Transfer-Encoding on HTTP/1.0', 'HTTP/1.0\r\nTransfer-Encoding: chunked\r\n'],
    ['Transfer-Encoding with Content-Length', 'HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n'],
  ]) {
    test(`${name} is 400 and the connection closes`, async () => {
      const { bytes } = await exchange(`POST /v1/organizations ${head}${auth()}\r\n0\r\n\r\n${smuggled()}`);
      const res = firstResponse(bytes);
      assertEnvelope(res, 400, 'malformed_request');
      assert.equal(res.rest.length, 0);
      await assertTargetUnchanged();
    });
  }

  test('chunk framing with bare LF is 400 at once, not a 60 s wait', async () => {
    const started = Date.now();
    const { bytes, timedOut } = await exchange(
      `POST /v1/organizations HTTP/1.1\r\nHost: t\r\n${auth()}Transfer-Encoding: chunked\r\n\r\nb\n{"bogus":1}\n0\n\n`,
      { keepOpen: true, timeoutMs: 5000 });
    assert.equal(timedOut, false, 'no answer within 5 s');
    assertEnvelope(firstResponse(bytes), 400, 'malformed_request');
    assert.ok(Date.now() - started < 5000);
  });
});

describe('error bodies are valid UTF-8 JSON', () => {
  test('an API version header of invalid UTF-8 is 400 api_version_invalid, echoing nothing', async () => {
    const head = Buffer.from(`GET /v1/organizations HTTP/1.1\r\nHost: t\r\n${auth()}Clerk-API-Version: `, 'latin1');
    const { bytes } = await exchange(Buffer.concat([head, Buffer.from([0xff, 0xfe]), Buffer.from('\r\n\r\n')]));
    assertEnvelope(firstResponse(bytes), 400, 'api_version_invalid');
  });

  test('?__clerk_api_version=%ff%fe is 400 api_version_invalid in valid UTF-8', async () => {
    const { bytes } = await exchange(`GET /v1/organizations?__clerk_api_version=%ff%fe HTTP/1.1\r\nHost: t\r\n${auth()}\r\n`);
    assertEnvelope(firstResponse(bytes), 400, 'api_version_invalid');
  });

  test('a path of raw non-UTF-8 bytes gets a 404 in valid UTF-8', async () => {
    const { bytes } = await exchange(Buffer.concat([
      Buffer.from('GET /v1/'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(` HTTP/1.1\r\nHost: t\r\n${auth()}\r\n`)]));
    const res = firstResponse(bytes);
    assert.ok(res.status === 404 || res.status === 400, res.text);
  });
});

describe('paths are routed only as spelled', () => {
  for (const spelling of ['/v1//organizations/{id}', '//v1/organizations/{id}', '/v1/organizations/{id}/',
    '/v1/./organizations/{id}', '/v1/organizations//{id}']) {
    test(`DELETE ${spelling} is 404 and deletes nothing`, async () => {
      const path = spelling.replace('{id}', target.id);
      const { bytes } = await exchange(`DELETE ${path} HTTP/1.1\r\nHost: t\r\n${auth()}\r\n`);
      assertEnvelope(firstResponse(bytes), 404, 'resource_not_found');
      await assertTargetUnchanged();
    });
  }
});

describe('headers that decide behaviour appear once', () => {
  const patch = extra => exchange(
    `PATCH /v1/organizations/${target.id} HTTP/1.1\r\nHost: t\r\n${extra}` +
    `Content-Type: application/json\r\nContent-Length: 15\r\n\r\n{"name":"Evil"}`);

  test('the valid key followed by a wrong one is 400 and changes nothing', async () => {
    assertEnvelope(firstResponse((await patch(`${auth()}Authorization: Bearer wrong\r\n`)).bytes), 400, 'malformed_request');
    assertEnvelope(firstResponse((await patch(`Authorization: Bearer wrong\r\n${auth()}`)).bytes), 400, 'malformed_request');
    await assertTargetUnchanged();
  });

  test('two Clerk-API-Version headers are 400', async () => {
    const { bytes } = await patch(`${auth()}Clerk-API-Version: 2021-02-05\r\nClerk-API-Version: 2026-05-12\r\n`);
    assertEnvelope(firstResponse(bytes), 400, 'malformed_request');
    await assertTargetUnchanged();
  });
});
