// A webhook receiver for bench/webhooks.sh: node:http on 127.0.0.1, answers every delivery 200 at
// once and records (svix-id, the event's `timestamp` ms from the body, the receipt time in ms).
// It does not verify signatures (tests/compat does, with @clerk/backend).
//
//   node bench/webhook_receiver.mjs [MAX_SECONDS]
//
// Prints "listening on http://127.0.0.1:PORT" on stderr once it listens (bench/report.sh's
// listening_url reads it), and exits by itself after MAX_SECONDS (default 1800), so a run that
// loses its trap cannot leave it behind.
//
//   POST <any other path>  a delivery: recorded, answered 200 {}
//   GET  /_stats           key=value lines about what arrived since the last reset (below)
//   POST /_reset           forget everything recorded
//
// Stats: received (requests), unique (distinct svix-id), duplicates (received - unique),
// missing_id, bad_body (no numeric top-level timestamp), first_ms / last_ms (receipt times),
// peak_per_s (the most received in one wall-clock second), connections (TCP connections opened
// by the sender), delay_p50/p90/p99/max_ms (receipt ms - the event's timestamp ms, over every
// delivery), types (event types and their counts).
import http from 'node:http';

const maxSeconds = Number(process.argv[2] ?? 1800);
if (!(maxSeconds > 0 && maxSeconds <= 7200)) {
  console.error(`webhook_receiver: MAX_SECONDS must be in (0, 7200], got ${process.argv[2]}`);
  process.exit(2);
}

let state;
function reset() {
  state = {
    received: 0, missingId: 0, badBody: 0, ids: new Set(), delays: [], perSecond: new Map(),
    firstMs: 0, lastMs: 0, connections: 0, types: new Map(),
  };
}
reset();

// Receipt time with sub-millisecond resolution on the same clock as Date.now().
const now = () => performance.timeOrigin + performance.now();

function record(req, body, at) {
  state.received++;
  const id = req.headers['svix-id'];
  if (id) state.ids.add(id); else state.missingId++;
  // The envelope's top-level "timestamp" (ms at commit); its data has no key of that name.
  let ts = NaN, type = '?';
  try {
    const event = JSON.parse(body);
    ts = Number(event.timestamp);
    type = String(event.type);
  } catch { /* counted below */ }
  if (Number.isFinite(ts)) state.delays.push(at - ts); else state.badBody++;
  state.types.set(type, (state.types.get(type) ?? 0) + 1);
  if (state.firstMs === 0) state.firstMs = at;
  state.lastMs = at;
  const second = Math.floor(at / 1000);
  state.perSecond.set(second, (state.perSecond.get(second) ?? 0) + 1);
}

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function stats() {
  const d = Float64Array.from(state.delays).sort();
  let peak = 0;
  for (const n of state.perSecond.values()) peak = Math.max(peak, n);
  const f = (v) => (Number.isFinite(v) ? v.toFixed(2) : 'nan');
  return [
    `received=${state.received}`,
    `unique=${state.ids.size}`,
    `duplicates=${state.received - state.missingId - state.ids.size}`,
    `missing_id=${state.missingId}`,
    `bad_body=${state.badBody}`,
    `first_ms=${state.firstMs.toFixed(1)}`,
    `last_ms=${state.lastMs.toFixed(1)}`,
    `peak_per_s=${peak}`,
    `connections=${state.connections}`,
    `delay_p50_ms=${f(quantile(d, 0.5))}`,
    `delay_p90_ms=${f(quantile(d, 0.9))}`,
    `delay_p99_ms=${f(quantile(d, 0.99))}`,
    `delay_max_ms=${f(d.length ? d[d.length - 1] : NaN)}`,
    `types=${[...state.types].map(([t, n]) => `${t}:${n}`).join(',')}`,
  ].join('\n') + '\n';
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const at = now();
    if (req.url === '/_stats') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(stats());
      return;
    }
    if (req.url === '/_reset') {
      reset();
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
      return;
    }
    record(req, Buffer.concat(chunks).toString('utf8'), at);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 });
    res.end('{}');
  });
});
server.on('connection', () => { state.connections++; });
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  console.error(`listening on http://127.0.0.1:${server.address().port}`);
});
setTimeout(() => process.exit(0), maxSeconds * 1000).unref();
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
