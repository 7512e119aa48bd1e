// Starts and stops a real orgd binary for a test file: a fresh store, a free loopback port chosen
// by the kernel (--listen 127.0.0.1:0), and a random secret key. The store is a SQLite file in a
// temp dir, or — when ORGD_TEST_STORE=postgres — a new database on the test PostgreSQL whose
// admin URL is ORGD_TEST_POSTGRES_URL (scripts/test.sh runs the suite once per store).
//
// Logs for the secrets scan (tests/secrets/README.md): when ORGD_TEST_LOG_DIR is set, each orgd's
// whole stderr is saved there, one file per process, at ORGD_TEST_LOG_LEVEL (info when unset;
// a test's own logLevel and ORGD_LOG_LEVEL win), and every secret the harness hands an orgd (its
// secret keys, the contents of the secret files its flags name) is recorded in
// recorded-secrets.jsonl beside them, which the scanner looks for in every log and never scans.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function orgdBinary() {
  const bin = process.env.ORGD_BIN;
  if (!bin) throw new Error('ORGD_BIN is not set: run the suite through `make test` or scripts/test.sh');
  return bin;
}

export function newSecretKey(kind = 'test') {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(40);
  return `sk_${kind}_` + Array.from(bytes, b => alphabet[b % alphabet.length]).join('');
}

export function newDataDir() {
  return mkdtempSync(join(tmpdir(), 'orgd-compat-'));
}

export function storeKind() {
  return process.env.ORGD_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
}

// The --database URL of the store that belongs to `dataDir` (the same one each time it is
// asked, so a restarted orgd finds its data). On PostgreSQL the database is created on first use.
export function databaseUrl(dataDir) {
  if (storeKind() === 'sqlite') return `sqlite:${join(dataDir, 'orgd.db')}`;
  const admin = process.env.ORGD_TEST_POSTGRES_URL;
  if (!admin) throw new Error('ORGD_TEST_STORE=postgres needs ORGD_TEST_POSTGRES_URL (scripts/test.sh sets both)');
  const name = 'orgd_' + createHash('sha256').update(dataDir).digest('hex').slice(0, 24);
  const exists = execFileSync('psql', [admin, '-tAc', `SELECT 1 FROM pg_database WHERE datname = '${name}'`], {
    encoding: 'utf8',
  });
  if (exists.trim() !== '1') execFileSync('psql', [admin, '-qc', `CREATE DATABASE ${name}`]);
  return admin.slice(0, admin.lastIndexOf('/') + 1) + name;
}

// --- saved logs (ORGD_TEST_LOG_DIR) ---
export const RECORDED_SECRETS = 'recorded-secrets.jsonl';
export function testLogDir() {
  const dir = process.env.ORGD_TEST_LOG_DIR;
  if (dir) mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir || null;
}

// Records `value`, a secret the harness made or passed, for the scanner (none without a log dir).
export function recordSecret(kind, value) {
  const dir = testLogDir();
  if (!dir || typeof value !== 'string' || value.length === 0) return;
  appendFileSync(join(dir, RECORDED_SECRETS), JSON.stringify({ kind, value, by: basename(process.argv[1] ?? 'node') }) + '\n',
    { mode: 0o600 });
}

// A file in the log dir for one process's output (`label` names what it is), written
// synchronously so that nothing is lost when the test process exits; null without a log dir.
let logCount = 0;
export function openTestLog(label) {
  const dir = testLogDir();
  if (!dir) return null;
  const name = `${basename(process.argv[1] ?? 'node')}.${process.pid}.${++logCount}.${label}.log`;
  let fd = openSync(join(dir, name), 'a', 0o600);
  return {
    name,
    write(chunk) {
      if (fd !== null) writeSync(fd, chunk);
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

// The secrets in flags of `args`: further keys, and the contents of the secret files named.
function recordSecretsOfArgs(args) {
  const fileFlags = {
    '--secret-key-file': text => text.split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#')),
    '--smtp-password-file': text => [text.split('\n')[0].replace(/\r$/, '')],
    '--webhook-secret-file': text => [text.split('\n')[0].replace(/\r$/, '')],
  };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = String(args[i]).split(/=(.*)/s, 2);
    const value = inline ?? args[i + 1];
    if (value === undefined) continue;
    if (flag === '--secret-key') for (const key of String(value).split(',')) recordSecret('secret key', key);
    const read = fileFlags[flag];
    if (!read) continue;
    let text;
    try {
      text = readFileSync(String(value), 'utf8');
    } catch {
      continue;  // an unreadable file (a test of that): orgd reads nothing either
    }
    for (const secret of read(text)) recordSecret(flag.slice(2), secret);
  }
}

// Starts orgd and resolves once it prints its listening line.
//   dataDir:    where orgd.db lives (a new temp dir when absent)
//   secretKeys: keys orgd accepts (one new key when absent)
//   args:       extra command-line flags (a --frontend-listen here replaces the free port;
//               without --frontend-rate-limit, `off` is passed: the suite signs in hundreds of
//               users from 127.0.0.1)
//   logLevel:   --log-level (else ORGD_LOG_LEVEL, else ORGD_TEST_LOG_LEVEL or info when logs are
//               saved, else warn)
export async function startOrgd({ dataDir = newDataDir(), secretKeys = [newSecretKey()], args = [], logLevel } = {}) {
  const log = openTestLog('orgd');
  for (const key of secretKeys) recordSecret('secret key', key);
  recordSecretsOfArgs(args);
  const savedLevel = log ? process.env.ORGD_TEST_LOG_LEVEL || 'info' : undefined;
  const rateLimit = args.some(a => String(a).startsWith('--frontend-rate-limit')) ? [] : ['--frontend-rate-limit', 'off'];
  const child = spawn(
    orgdBinary(),
    [
      'serve',
      '--listen', '127.0.0.1:0',
      ...(args.includes('--frontend-listen') ? [] : ['--frontend-listen', '127.0.0.1:0']),
      '--database', databaseUrl(dataDir),
      '--secret-key', secretKeys.join(','),
      '--log-level', logLevel ?? process.env.ORGD_LOG_LEVEL ?? savedLevel ?? 'warn',
      '--threads', '2',
      ...rateLimit,
      ...args,
    ],
    { stdio: ['ignore', 'inherit', 'pipe'], env: { ...process.env, ORGD_SECRET_KEY: '' } },
  );
  running.add(child);
  // A binary that cannot be run (missing, or mid-relink) fails the start instead of the process.
  const spawnFailed = new Promise((_, reject) => child.once('error', reject));
  spawnFailed.catch(() => {});
  let stderr = '';
  child.stderr.on('data', chunk => {
    stderr += chunk;
    log?.write(chunk);
    if (process.env.ORGD_LOG_LEVEL) process.stderr.write(chunk);
  });
  const exited = new Promise(resolve => {
    child.on('exit', (code, signal) => {
      running.delete(child);
      // 'exit' may come before the last of stderr: 'close' follows once the pipe is drained.
      const done = () => {
        log?.close();
        resolve({ code, signal, stderr });
      };
      if (child.stderr.readableEnded || child.stderr.destroyed) done();
      else child.stderr.once('close', done);
    });
  });
  let frontendUrl;
  let frontendAddress;
  let publishableKey;
  const url = await new Promise((resolve, reject) => {
    spawnFailed.catch(reject);
    // One that neither listens nor exits is killed, so that it does not keep the test file running.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`orgd did not start within 15 s:\n${stderr}`));
    }, 15_000);
    // Matched until both lines are there, not on every later chunk of a long log.
    const listening = () => {
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      const f = /frontend API listening on (http:\/\/\S+) \(URL (\S+), publishable key (\S+)\)/.exec(stderr);
      if (!m || !f) return;
      child.stderr.off('data', listening);
      clearTimeout(timer);
      frontendAddress = f[1];
      frontendUrl = f[2];
      publishableKey = f[3];
      resolve(m[1]);
    };
    child.stderr.on('data', listening);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`orgd exited (code ${code}, signal ${signal}) before listening:\n${stderr}`));
    });
  });
  return {
    url,
    // The Frontend API (clerk-js's proxyUrl) and the publishable key that names it.
    frontendUrl,
    frontendAddress,  // where it listens (frontendUrl unless --frontend-url says otherwise)
    publishableKey,
    secretKey: secretKeys[0],
    secretKeys,
    dataDir,
    pid: child.pid,
    // Sends `signal` and resolves with how the process ended.
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    get stderr() {
      return stderr;
    },
  };
}

export function removeDataDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}
