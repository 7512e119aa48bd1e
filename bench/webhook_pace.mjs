// Creates COUNT organizations at a fixed RATE per second (open loop: request i is sent at
// start + i / RATE whether or not earlier ones have answered), for bench/webhooks.sh's end-to-end
// delay run — a steady load well below what orgd can take, so a webhook's delay is its delivery,
// not a backlog. Bounded: COUNT requests, 10 s per request, and the whole run by
// COUNT / RATE + 30 seconds.
//
//   ORGD_BENCH_KEY=sk_… node bench/webhook_pace.mjs URL RATE COUNT
//
// Prints "BENCH pace sent=N ok=N failed=N seconds=S per_second=R api_p50_ms=… api_p99_ms=…".
import http from 'node:http';

const [base, rateArg, countArg] = process.argv.slice(2);
const key = process.env.ORGD_BENCH_KEY;
const rate = Number(rateArg), count = Number(countArg);
if (!base || !key || !(rate > 0 && rate <= 5000) || !(count > 0 && count <= 1_000_000)) {
  console.error('usage: ORGD_BENCH_KEY=… node bench/webhook_pace.mjs URL RATE(1-5000) COUNT');
  process.exit(2);
}
const url = new URL('/v1/organizations', base);
if (url.hostname !== '127.0.0.1') {
  console.error(`webhook_pace: loopback only, got ${url.hostname}`);
  process.exit(2);
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const latencies = [];
let sent = 0, ok = 0, failed = 0, done = 0;
const started = performance.now();
const tag = Math.floor(Math.random() * 1e9);

function finish() {
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)].toFixed(2) : 'nan');
  console.log(`BENCH pace sent=${sent} ok=${ok} failed=${failed} seconds=${seconds.toFixed(2)} ` +
    `per_second=${(ok / seconds).toFixed(1)} api_p50_ms=${q(0.5)} api_p99_ms=${q(0.99)}`);
  agent.destroy();
  process.exit(failed === 0 && ok === count ? 0 : 1);
}

function one(i) {
  const body = JSON.stringify({ name: `Bench webhook delay ${tag} ${i}` });
  const t0 = performance.now();
  sent++;
  const req = http.request(url, {
    method: 'POST', agent, timeout: 10_000,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  }, (res) => {
    res.resume();
    res.on('end', () => {
      if (res.statusCode >= 200 && res.statusCode < 300) { ok++; latencies.push(performance.now() - t0); }
      else failed++;
      if (++done === count) finish();
    });
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', () => { failed++; if (++done === count) finish(); });
  req.end(body);
}

let next = 0;
function tick() {
  const due = Math.min(count, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
  while (next < due) one(next++);
  if (next < count) setTimeout(tick, Math.max(0, ((next / rate) * 1000) - (performance.now() - started)));
}
tick();
setTimeout(() => { console.error('webhook_pace: deadline passed'); finish(); }, (count / rate + 30) * 1000).unref();
