// Starts and stops a real orgd binary for a test file: a fresh store, a free loopback port chosen
// by the kernel (--listen 127.0.0.1:0), and a random secret key. The store is a SQLite file in a
// temp dir, or — when ORGD_TEST_STORE=postgres — a new database on the test PostgreSQL whose
// admin URL is ORGD_TEST_POSTGRES_URL (scripts/test.sh runs the suite once per store).
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

// Starts orgd and resolves once it prints its listening line.
//   dataDir:    where orgd.db lives (a new temp dir when absent)
//   secretKeys: keys orgd accepts (one new key when absent)
//   args:       extra command-line flags (a --frontend-listen here replaces the free port)
//   logLevel:   --log-level (ORGD_LOG_LEVEL, else warn, when absent)
export async function startOrgd({ dataDir = newDataDir(), secretKeys = [newSecretKey()], args = [], logLevel } = {}) {
  const child = spawn(
    orgdBinary(),
    [
      'serve',
      '--listen', '127.0.0.1:0',
      ...(args.includes('--frontend-listen') ? [] : ['--frontend-listen', '127.0.0.1:0']),
      '--database', databaseUrl(dataDir),
      '--secret-key', secretKeys.join(','),
      '--log-level', logLevel ?? process.env.ORGD_LOG_LEVEL ?? 'warn',
      '--threads', '2',
      ...args,
    ],
    { stdio: ['ignore', 'inherit', 'pipe'], env: { ...process.env, ORGD_SECRET_KEY: '' } },
  );
  running.add(child);
  let stderr = '';
  const exited = new Promise(resolve => {
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stderr });
    });
  });
  let frontendUrl;
  let frontendAddress;
  let publishableKey;
  const url = await new Promise((resolve, reject) => {
    // One that neither listens nor exits is killed, so that it does not keep the test file running.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`orgd did not start within 15 s:\n${stderr}`));
    }, 15_000);
    child.stderr.on('data', chunk => {
      stderr += chunk;
      if (process.env.ORGD_LOG_LEVEL) process.stderr.write(chunk);
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      const f = /frontend API listening on (http:\/\/\S+) \(URL (\S+), publishable key (\S+)\)/.exec(stderr);
      if (m && f) {
        clearTimeout(timer);
        frontendAddress = f[1];
        frontendUrl = f[2];
        publishableKey = f[3];
        resolve(m[1]);
      }
    });
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
