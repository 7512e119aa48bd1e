// Connection abuse against the real binary (issue 19), over loopback only: does orgd keep serving
// a well-behaved client, in bounded memory, while thousands of connections sit idle or dribble
// their request heads; and do the connection limits (--max-connections, --max-connections-per-ip,
// --header-timeout, --idle-timeout, --keepalive-requests) do what `orgd serve --help` says.
//
// Run through scripts/test-abuse.sh, which raises the open-file limit first (orgd inherits it, and
// 2,200 connections do not fit the usual soft limit of 1,024). ORGD_BIN names the binary
// (default: build/orgd); phases may be named as arguments (under-abuse, caps, deadlines, fat-heads, file-limit). Prints
// a summary; exits non-zero when a check fails.
//
// The many source addresses (127.0.0.2 … 127.0.0.41, 127.0.0.50 …) are there because the limits
// are per client IP: on Linux every 127.0.0.0/8 address is local, so a socket can bind any of them.
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
process.env.ORGD_BIN ??= resolve(here, '../../build/orgd');
const { removeDataDir, startOrgd } = await import('../compat/lib/orgd.js');

// The figures the run is judged by.
const IDLE_ADDRESSES = 20;           // 127.0.0.2 … 127.0.0.21
const IDLE_PER_ADDRESS = 100;        // below the default --max-connections-per-ip of 256
const SLOW_ADDRESSES = 20;           // 127.0.0.22 … 127.0.0.41
const SLOW_PER_ADDRESS = 10;
const SLOW_BYTE_INTERVAL_MS = 300;
const LOAD_REQUESTS = 3000;
const LOAD_IN_FLIGHT = 4;
// Paced over 12 s rather than sent flat out: long enough that the default 10 s head deadline cuts
// every slow head at least once while the latency is being measured.
const LOAD_SPREAD_MS = 12_000;
const DEFAULT_HEADER_TIMEOUT_MS = 10_000;
const P99_BOUND_MS = 50;
const RSS_GROWTH_BOUND_KB = 150 * 1024;
const WATCHDOG_MS = 115_000;         // the whole run; a hang is a failure, not a stuck CI job

const started = Date.now();
const failures = [];
const figures = {};
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}
const sleep = ms => new Promise(r => setTimeout(r, ms));
const watchdog = setTimeout(() => {
  console.error(`FAIL the run took longer than ${WATCHDOG_MS / 1000} s`);
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

function procStatus(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = name => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1]);
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM'), fds: readdirSync(`/proc/${pid}/fd`).length };
}
const mb = kb => `${(kb / 1024).toFixed(1)} MB`;

// --- raw connections --------------------------------------------------------------------------

// The responses at the front of `buffer` (each with Content-Length, as orgd sends them), and the
// bytes after the last complete one.
function parseResponses(buffer) {
  const out = [];
  for (;;) {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) break;
    const [statusLine, ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
    const headers = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    if (buffer.length < end + 4 + length) break;
    const text = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    out.push({ status: Number(statusLine.split(' ')[1]), headers, text, json });
    buffer = buffer.subarray(end + 4 + length);
  }
  return { responses: out, rest: buffer };
}

// One TCP connection from `localAddress`, with the responses read from it queued.
class Conn {
  static open(port, localAddress) {
    return new Promise((resolvePromise, reject) => {
      const socket = connect({ host: '127.0.0.1', port, localAddress });
      const conn = new Conn(socket);
      socket.once('connect', () => resolvePromise(conn));
      socket.once('error', reject);
    });
  }

  constructor(socket) {
    this.socket = socket;
    this.pending = Buffer.alloc(0);
    this.responses = [];
    this.closed = false;
    this.closedAt = undefined;
    this.waiters = new Set();
    socket.on('data', chunk => {
      const { responses, rest } = parseResponses(Buffer.concat([this.pending, chunk]));
      this.pending = rest;
      this.responses.push(...responses);
      this.wake();
    });
    socket.on('error', () => {}); // a reset after orgd's answer is fine; `closed` records it
    socket.on('close', () => {
      this.closed = true;
      this.closedAt = Date.now();
      this.wake();
    });
  }

  wake() {
    for (const waiter of this.waiters) waiter();
  }

  // Resolves once `predicate()` holds or `timeoutMs` has passed (then with false).
  until(predicate, timeoutMs) {
    if (predicate()) return Promise.resolve(true);
    return new Promise(resolvePromise => {
      const done = ok => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolvePromise(ok);
      };
      const waiter = () => {
        if (predicate()) done(true);
      };
      const timer = setTimeout(() => done(predicate()), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  write(text) {
    if (!this.closed) this.socket.write(text);
  }

  // The next response (undefined if the connection closed or `timeoutMs` passed first).
  async next(timeoutMs = 3000) {
    await this.until(() => this.responses.length > 0 || this.closed, timeoutMs);
    return this.responses.shift();
  }

  async waitClosed(timeoutMs) {
    return this.until(() => this.closed, timeoutMs);
  }

  close() {
    this.socket.destroy();
  }
}

const head = (path, extra = '') => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}\r\n`;

// What a connection refused at accept answers: orgd may write it at once, or after reading a
// request; either way it is read, and the connection must then close. `eager`: the request is
// sent as soon as the connection is up, as every real client does, so it is in orgd's receive
// buffer when orgd answers (closing a socket with unread bytes resets it, which may destroy the
// answer before the client reads it).
async function refusal(port, localAddress, { eager = false } = {}) {
  const conn = await Conn.open(port, localAddress);
  if (eager) conn.write(head('/healthz'));
  let res = await conn.next(500);
  if (!res && !conn.closed) {
    conn.write(head('/healthz'));
    res = await conn.next(2000);
  }
  const closed = await conn.waitClosed(2000);
  conn.close();
  return { res, closed };
}

async function openMany(port, localAddress, count) {
  return Promise.all(Array.from({ length: count }, () => Conn.open(port, localAddress)));
}

// A request on an open connection, answered with a status.
async function ask(conn, path = '/healthz') {
  conn.write(head(path));
  return (await conn.next(3000))?.status;
}

async function healthzFrom(port, localAddress) {
  const conn = await Conn.open(port, localAddress);
  const status = await ask(conn);
  conn.close();
  return status;
}

// --- the load client --------------------------------------------------------------------------

function get(url, agent, headers) {
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(url, { agent, headers, localAddress: '127.0.0.1' }, res => {
      res.resume();
      res.on('end', () => resolvePromise(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

// `count` GETs of `url`, at most `inFlight` at a time over keep-alive, the i-th not sent before
// i * spreadMs / count; each one's latency is from its sending to the end of its answer.
async function load(url, headers, count, inFlight, spreadMs = 0) {
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const latencies = [];
  const samples = [];  // { ms, at }: when the slow ones happened, against the other events
  const statuses = new Map();
  let next = 0;
  const start = Date.now();
  const worker = async () => {
    while (next < count) {
      const due = start + (next++ * spreadMs) / count;
      if (due > Date.now()) await sleep(due - Date.now());
      const t0 = process.hrtime.bigint();
      let status;
      try {
        status = await get(url, agent, headers);
      } catch (e) {
        status = e.code ?? 'error';
      }
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      latencies.push(ms);
      samples.push({ ms, at: Date.now() });
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = q => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  const slowest = samples.sort((a, b) => b.ms - a.ms).slice(0, 5);
  return { statuses, p50: at(0.5), p99: at(0.99), max: latencies[latencies.length - 1], seconds: (Date.now() - t0) / 1000, start, slowest };
}

// --- slow heads -------------------------------------------------------------------------------

// `count` connections from `addresses`, each sending a request head one byte at a time; when
// orgd cuts one, a new one takes its place until stop().
function dribble(port, addresses, perAddress) {
  // Long enough never to finish within the run: every one must be cut by the header deadline.
  const text = `GET /v1/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'s'.repeat(400)}\r\n\r\n`;
  const state = { open: 0, opened: 0, cut: 0, cutAfterMs: [], cutAt: [], answered408: 0, stopped: false, errors: 0 };
  const timers = new Set();
  const live = new Set();
  const one = async (address, delay) => {
    await sleep(delay);
    while (!state.stopped) {
      let conn;
      try {
        conn = await Conn.open(port, address);
      } catch {
        state.errors++;
        await sleep(200);
        continue;
      }
      live.add(conn);
      state.open++;
      state.opened++;
      let sent = 0;
      let firstByteAt;
      const timer = setInterval(() => {
        if (sent < text.length) {
          if (sent === 0) firstByteAt = Date.now();
          conn.write(text[sent++]);
        }
      }, SLOW_BYTE_INTERVAL_MS);
      timers.add(timer);
      await conn.until(() => conn.closed || state.stopped, WATCHDOG_MS);
      clearInterval(timer);
      timers.delete(timer);
      live.delete(conn);
      state.open--;
      if (state.stopped) {
        conn.close();
        return;
      }
      state.cut++;
      if (firstByteAt) state.cutAfterMs.push(conn.closedAt - firstByteAt);
      state.cutAt.push(conn.closedAt);
      if (conn.responses.some(r => r.status === 408)) state.answered408++;
    }
  };
  const runs = [];
  let k = 0;
  for (const address of addresses) {
    for (let i = 0; i < perAddress; i++) runs.push(one(address, (k++ * SLOW_BYTE_INTERVAL_MS) / (addresses.length * perAddress)));
  }
  state.stop = async () => {
    state.stopped = true;
    for (const timer of timers) clearInterval(timer);
    for (const conn of live) conn.wake();
    await Promise.all(runs);
  };
  return state;
}

// --- phase 1: serving under 2,000 idle connections and 200 slow heads ------------------------

async function underAbuse() {
  console.log('== phase 1: a normal client while 2,000 connections idle and 200 heads dribble (default limits)');
  const orgd = await startOrgd();
  const port = Number(new URL(orgd.url).port);
  const auth = { authorization: `Bearer ${orgd.secretKey}` };
  try {
    const created = await fetch(`${orgd.url}/v1/organizations`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Abuse', slug: 'abuse' }),
    });
    const org = await created.json();
    check(created.status === 200, `the organization to read is created (${created.status})`);
    const orgUrl = `${orgd.url}/v1/organizations/${org.id}`;
    await load(orgUrl, auth, 200, LOAD_IN_FLIGHT); // warm-up: caches, threads, allocator
    const before = procStatus(orgd.pid);

    const t0 = Date.now();
    const idle = [];
    for (let a = 0; a < IDLE_ADDRESSES; a++) idle.push(...(await openMany(port, `127.0.0.${2 + a}`, IDLE_PER_ADDRESS)));
    const openMs = Date.now() - t0;
    const slowAddresses = Array.from({ length: SLOW_ADDRESSES }, (_, a) => `127.0.0.${22 + a}`);
    const slow = dribble(port, slowAddresses, SLOW_PER_ADDRESS);
    await sleep(1500); // every slow head has sent a few bytes
    const held = procStatus(orgd.pid);
    figures.idleOpened = idle.length;
    figures.orgdFdsHolding = held.fds;
    check(held.fds >= idle.length + SLOW_ADDRESSES * SLOW_PER_ADDRESS,
      `orgd holds them: ${held.fds} open files (${idle.length} idle + ${slow.open} slow opened in ${openMs} ms)`);

    let peak = held;
    const sampler = setInterval(() => {
      const s = procStatus(orgd.pid);
      if (s.rssKb > peak.rssKb) peak = s;
    }, 250);
    const result = await load(orgUrl, auth, LOAD_REQUESTS, LOAD_IN_FLIGHT, LOAD_SPREAD_MS);
    clearInterval(sampler);
    const during = procStatus(orgd.pid);
    if (during.rssKb > peak.rssKb) peak = during;

    const idleHeld = idle.filter(c => !c.closed).length;
    const slowHeld = slow.open;
    await slow.stop();
    for (const conn of idle) conn.close();
    await sleep(1500); // orgd sees the EOFs and frees the sessions
    const after = procStatus(orgd.pid);
    const healthz = await healthzFrom(port, '127.0.0.1');

    Object.assign(figures, {
      idleHeldAtEnd: idleHeld,
      slowHeldAtEnd: slowHeld,
      slowOpened: slow.opened,
      slowCut: slow.cut,
      slowCutAfterMs: slow.cutAfterMs.length ? `${Math.min(...slow.cutAfterMs)}..${Math.max(...slow.cutAfterMs)}` : 'none',
      slow408: slow.answered408,
      requests: LOAD_REQUESTS,
      statuses: Object.fromEntries(result.statuses),
      p50Ms: result.p50.toFixed(2),
      p99Ms: result.p99.toFixed(2),
      maxMs: result.max.toFixed(2),
      loadSeconds: result.seconds.toFixed(1),
      // Seconds into the load: the slowest answers, and when orgd cut the slow heads.
      slowestAt: result.slowest.map(x => `${x.ms.toFixed(0)} ms @ ${((x.at - result.start) / 1000).toFixed(2)} s`).join(', '),
      headsCutAt: slow.cutAt.length ? `${((Math.min(...slow.cutAt) - result.start) / 1000).toFixed(2)}..${((Math.max(...slow.cutAt) - result.start) / 1000).toFixed(2)} s` : 'none',
      loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      rssBefore: mb(before.rssKb),
      rssPeakDuring: mb(peak.rssKb),
      rssAfter: mb(after.rssKb),
      hwmAfter: mb(after.hwmKb),
      fdsAfter: after.fds,
    });
    check(result.statuses.get(200) === LOAD_REQUESTS, `all ${LOAD_REQUESTS} requests answered 200: ${JSON.stringify(figures.statuses)}`);
    check(result.p99 < P99_BOUND_MS, `latency p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms (bound ${P99_BOUND_MS} ms), max ${figures.maxMs} ms`);
    check(idleHeld === idle.length, `the idle connections stayed open through the load (${idleHeld}/${idle.length}; idle timeout 30 s)`);
    check(slow.errors === 0, `every slow head could connect (${slow.errors} refused)`);
    const cutInTime = slow.cutAfterMs.filter(ms => ms >= DEFAULT_HEADER_TIMEOUT_MS - 500 && ms <= DEFAULT_HEADER_TIMEOUT_MS + 2000).length;
    check(slow.cut >= SLOW_ADDRESSES * SLOW_PER_ADDRESS && cutInTime === slow.cut,
      `the default 10 s head deadline cut the slow heads: ${slow.cut} cut (${cutInTime} at 10 s + slack, after ${figures.slowCutAfterMs} ms), ${slow.opened} opened in all`);
    check(peak.rssKb - before.rssKb < RSS_GROWTH_BOUND_KB,
      `memory: VmRSS ${figures.rssBefore} before, ${figures.rssPeakDuring} at peak, ${figures.rssAfter} after; VmHWM ${figures.hwmAfter} (growth bound ${mb(RSS_GROWTH_BOUND_KB)})`);
    check(after.fds < before.fds + 50, `the connections are released: ${before.fds} open files before, ${after.fds} after`);
    check(healthz === 200, `orgd serves after the abuse (${healthz})`);
  } finally {
    await stop(orgd);
  }
}

async function stop(orgd) {
  const { code, signal } = await orgd.stop('SIGTERM');
  check(code === 0 && signal === null, `orgd exits 0 on SIGTERM (code ${code}, signal ${signal})`);
  removeDataDir(orgd.dataDir);
}

// --- phase 2: the caps ------------------------------------------------------------------------

async function caps() {
  console.log('== phase 2: --max-connections-per-ip 50, --max-connections 300, --trusted-proxy 127.0.0.9');
  const orgd = await startOrgd({ args: ['--max-connections-per-ip', '50', '--max-connections', '300', '--trusted-proxy', '127.0.0.9'] });
  const port = Number(new URL(orgd.url).port);
  try {
    // Per IP: 50 from 127.0.0.50 are held; the 51st is told 429 and closed.
    const fifty = await openMany(port, '127.0.0.50', 50);
    await sleep(300); // orgd has accepted them all
    const { res, closed } = await refusal(port, '127.0.0.50');
    check(res?.status === 429 && res.json?.errors?.[0]?.code === 'too_many_requests',
      `the 51st connection from one IP: ${res?.status} ${res?.json?.errors?.[0]?.code ?? res?.text ?? '(no answer)'}`);
    check(res?.headers['retry-after'] === '1' && /close/i.test(res?.headers.connection ?? '') && closed,
      `…with Retry-After: 1, Connection: close, and closed (Retry-After ${res?.headers['retry-after']}, Connection ${res?.headers.connection}, closed ${closed})`);
    let eagerSeen = 0;
    const EAGER_TRIES = 20;
    for (let i = 0; i < EAGER_TRIES; i++) {
      const eager = await refusal(port, '127.0.0.50', { eager: true });
      if (eager.res?.status === 429) eagerSeen++;
    }
    figures.refusedEagerClientsThatRead429 = `${eagerSeen}/${EAGER_TRIES}`;
    check(eagerSeen === EAGER_TRIES, `a client that sends its request at once still reads the 429 (${eagerSeen} of ${EAGER_TRIES})`);
    check((await healthzFrom(port, '127.0.0.51')) === 200, 'another IP is served meanwhile');
    check((await ask(fifty[49])) === 200, 'the 50 held connections still work');
    fifty[0].close();
    await sleep(300);
    check((await healthzFrom(port, '127.0.0.50')) === 200, 'once one of the 50 closes, that IP may connect again');
    for (const c of fifty) c.close();

    // A trusted proxy carries many clients: it is exempt.
    const proxied = await openMany(port, '127.0.0.9', 60);
    await sleep(300);
    check((await ask(proxied[59])) === 200, 'the 60th connection from the trusted proxy 127.0.0.9 is served');
    for (const c of proxied) c.close();
    await sleep(500);

    // Total: 300 over six addresses are held; the 301st, from a seventh, is 503.
    const all = [];
    for (let a = 0; a < 6; a++) all.push(...(await openMany(port, `127.0.0.${60 + a}`, 50)));
    await sleep(500);
    const total = await refusal(port, '127.0.0.66');
    check(total.res?.status === 503 && total.res.json?.errors?.[0]?.code === 'service_unavailable',
      `the 301st connection over all IPs: ${total.res?.status} ${total.res?.json?.errors?.[0]?.code ?? '(no answer)'}`);
    check(/close/i.test(total.res?.headers.connection ?? '') && total.closed, `…with Connection: close, and closed (${total.res?.headers.connection}, ${total.closed})`);
    check((await ask(all[299])) === 200, 'the 300th held connection is served');
    for (const c of all.slice(0, 10)) c.close();
    await sleep(300);
    check((await healthzFrom(port, '127.0.0.66')) === 200, 'below the cap again, a new connection is served');
    for (const c of all) c.close();
  } finally {
    await stop(orgd);
  }
}

// --- phase 3: the deadlines and keep-alive ----------------------------------------------------

async function deadlines() {
  console.log('== phase 3: --header-timeout 2s, --idle-timeout 3s, --keepalive-requests 5');
  const orgd = await startOrgd({ args: ['--header-timeout', '2s', '--idle-timeout', '3s', '--keepalive-requests', '5'] });
  const port = Number(new URL(orgd.url).port);
  const within = (ms, low, high) => ms >= low && ms <= high;
  try {
    await Promise.all([
      (async () => {
        // A head dribbled a byte per 300 ms is cut about 2 s after its first byte.
        const conn = await Conn.open(port, '127.0.0.70');
        const text = head('/healthz', `X-Slow: ${'s'.repeat(100)}\r\n`);
        const t0 = Date.now();
        let sent = 0;
        const timer = setInterval(() => conn.write(text[sent++] ?? ''), 300);
        conn.write(text[sent++]);
        await conn.waitClosed(6000);
        clearInterval(timer);
        const ms = (conn.closedAt ?? Date.now()) - t0;
        figures.headCutAfterMs = ms;
        check(conn.closed && within(ms, 1800, 3500), `a dribbled head is closed ${ms} ms after its first byte (expected 2 s + slack)` +
          `${conn.responses.some(r => r.status === 408) ? ', with a 408' : ', no 408 (attempted only)'}`);
        conn.close();
      })(),
      (async () => {
        // A head sent in four parts over 1.2 s is in time.
        const conn = await Conn.open(port, '127.0.0.71');
        const text = head('/healthz');
        const part = Math.ceil(text.length / 4);
        for (let i = 0; i < 4; i++) {
          conn.write(text.slice(i * part, (i + 1) * part));
          if (i < 3) await sleep(400);
        }
        const res = await conn.next(3000);
        check(res?.status === 200, `a head completed in 1.2 s is served (${res?.status})`);
        conn.close();
      })(),
      (async () => {
        // The deadline runs from the head's first byte, not from the connection's start.
        const conn = await Conn.open(port, '127.0.0.72');
        await sleep(2500);
        const status = await ask(conn);
        check(status === 200, `a request 2.5 s after connecting (within the idle timeout) is served (${status})`);
        conn.close();
      })(),
      (async () => {
        // Idle: after an answered request, and with no request at all.
        const used = await Conn.open(port, '127.0.0.73');
        const status = await ask(used);
        const t0 = Date.now();
        const fresh = await Conn.open(port, '127.0.0.74');
        const t1 = Date.now();
        await Promise.all([used.waitClosed(6000), fresh.waitClosed(6000)]);
        const usedMs = (used.closedAt ?? Date.now()) - t0;
        const freshMs = (fresh.closedAt ?? Date.now()) - t1;
        figures.idleCutAfterMs = `${usedMs} (after a request), ${freshMs} (never used)`;
        check(status === 200 && used.closed && within(usedMs, 2700, 4500), `an idle keep-alive connection is closed ${usedMs} ms after its answer (expected 3 s + slack)`);
        check(fresh.closed && within(freshMs, 2700, 4500), `a connection that never sends is closed after ${freshMs} ms (expected 3 s + slack)`);
        used.close();
        fresh.close();
      })(),
      (async () => {
        // Keep-alive: the 5th response says Connection: close, and the connection ends.
        const conn = await Conn.open(port, '127.0.0.75');
        const seen = [];
        for (let i = 1; i <= 5; i++) {
          conn.write(head('/healthz'));
          const res = await conn.next(3000);
          seen.push(`${res?.status}/${res?.headers.connection ?? '-'}`);
        }
        const closed = await conn.waitClosed(2000);
        const closeOnlyLast = seen.slice(0, 4).every(s => s.startsWith('200/') && !/close/i.test(s)) && /^200\/close$/i.test(seen[4]);
        check(closeOnlyLast && closed, `--keepalive-requests 5: responses ${seen.join(', ')}; closed after the 5th: ${closed}`);
        conn.close();
      })(),
    ]);
  } finally {
    await stop(orgd);
  }
}

// --- phase 4: heads that fill the header limit ------------------------------------------------

// The costliest slow head: nearly the whole header limit (16 KiB) sent at once, never finished.
// What each holds until the head deadline cuts it is the per-connection price of slowloris.
async function fatHeads() {
  const COUNT = 2000;
  const FAT_BYTES = 15 * 1024;
  console.log(`== phase 4: ${COUNT} unfinished ${FAT_BYTES / 1024} KiB heads (--header-timeout 3s)`);
  const orgd = await startOrgd({ args: ['--header-timeout', '3s'] });
  const port = Number(new URL(orgd.url).port);
  try {
    const before = procStatus(orgd.pid);
    const text = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Fat: ${'f'.repeat(FAT_BYTES)}`; // no CRLF: never ends
    const t0 = Date.now();
    const fat = [];
    for (let a = 0; a < 20; a++) {
      const batch = await openMany(port, `127.0.0.${100 + a}`, COUNT / 20);
      for (const c of batch) c.write(text);
      fat.push(...batch);
    }
    await sleep(1000);
    const holding = procStatus(orgd.pid);
    const allCut = await Promise.all(fat.map(c => c.waitClosed(3000 + 4000)));
    const cutMs = Math.max(...fat.map(c => (c.closedAt ?? Date.now()) - t0));
    await sleep(1000);
    const after = procStatus(orgd.pid);
    const grownKb = holding.rssKb - before.rssKb;
    figures.fatHeads = `${COUNT} × ${FAT_BYTES / 1024} KiB: VmRSS ${mb(before.rssKb)} → ${mb(holding.rssKb)} holding ` +
      `(${(grownKb / COUNT).toFixed(1)} KiB each) → ${mb(after.rssKb)} after; all cut within ${cutMs} ms`;
    check(grownKb < RSS_GROWTH_BOUND_KB, `${COUNT} unfinished 15 KiB heads grow VmRSS by ${mb(grownKb)} (bound ${mb(RSS_GROWTH_BOUND_KB)})`);
    check(allCut.every(Boolean), `the head deadline cut all of them (the last ${cutMs} ms after the first was opened)`);
    for (const c of fat) c.close();
    check((await healthzFrom(port, '127.0.0.1')) === 200, 'orgd serves after them');
  } finally {
    await stop(orgd);
  }
}

// --- phase 5: more connections than open files ------------------------------------------------

// Every connection is a descriptor. Under an open-file limit below --max-connections, clients
// each under the per-address cap can take all of them; orgd must then still answer a newcomer at
// once (a 503 from the cap is an answer; a connection left in the accept queue is not), keep its
// log readable, and recover when they go.
async function fileLimit() {
  const LIMIT = 1200;
  const HELD = 1300;
  console.log(`== phase 5: an open-file limit of ${LIMIT} under the default --max-connections (10,000); ${HELD} connections from 13 addresses`);
  const real = process.env.ORGD_BIN;
  const wrapperDir = mkdtempSync(join(tmpdir(), 'orgd-abuse-'));
  const wrapper = join(wrapperDir, 'orgd');
  writeFileSync(wrapper, `#!/bin/sh\nexec prlimit --nofile=${LIMIT}:${LIMIT} -- '${real.replace(/'/g, `'\\''`)}' "$@"\n`, { mode: 0o700 });
  process.env.ORGD_BIN = wrapper;
  let orgd;
  try {
    orgd = await startOrgd();
  } finally {
    process.env.ORGD_BIN = real;
    rmSync(wrapperDir, { recursive: true, force: true });
  }
  const port = Number(new URL(orgd.url).port);
  try {
    const held = [];
    for (let a = 0; a < 13; a++) {
      for (const p of await Promise.allSettled(Array.from({ length: HELD / 13 }, () => Conn.open(port, `127.0.0.${80 + a}`)))) {
        if (p.status === 'fulfilled') held.push(p.value);
      }
    }
    await sleep(1000);
    const logBefore = orgd.stderr.length;
    const t0 = Date.now();
    const conn = await Conn.open(port, '127.0.0.1');
    conn.write(head('/healthz'));
    const res = await conn.next(2000);
    const ms = Date.now() - t0;
    conn.close();
    await sleep(1000);
    const acceptFailures = orgd.stderr.slice(logBefore).split('\n').filter(l => /accept failed/.test(l)).length;
    figures.fileLimitNewcomer = `${res?.status ?? 'no answer'} after ${ms} ms (${held.length} held by others)`;
    figures.fileLimitAcceptFailedLines = acceptFailures;
    check(res !== undefined && (res.status === 200 || res.status === 503),
      `with every descriptor wanted by ${held.length} connections, a newcomer is answered at once: ${res?.status ?? 'no answer'} after ${ms} ms`);
    check(acceptFailures <= 3, `"accept failed" was logged ${acceptFailures} times in the 2 s after (at most once a second wanted)`);
    for (const c of held) c.close();
    await sleep(1000);
    check((await healthzFrom(port, '127.0.0.1')) === 200, 'once they close, orgd serves again');
  } finally {
    await stop(orgd);
  }
}

// Phases may be named on the command line (e.g. `node connections.mjs caps`); all by default.
const phases = { 'under-abuse': underAbuse, caps, deadlines, 'fat-heads': fatHeads, 'file-limit': fileLimit };
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(phases);
try {
  for (const name of chosen) {
    if (!phases[name]) throw new Error(`no phase ${name}; phases: ${Object.keys(phases).join(', ')}`);
    await phases[name]();
  }
} catch (e) {
  check(false, `the run threw: ${e.stack ?? e}`);
}
figures.durationSeconds = ((Date.now() - started) / 1000).toFixed(1);
console.log('== summary');
for (const [key, value] of Object.entries(figures)) console.log(`  ${key}: ${typeof value === 'object' ? JSON.stringify(value) : value}`);
console.log(failures.length ? `FAILED: ${failures.length} check(s)` : 'all checks passed');
process.exit(failures.length ? 1 : 0);
