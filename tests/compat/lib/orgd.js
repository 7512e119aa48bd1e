// Starts and stops a real orgd binary for a test file: a fresh SQLite file in a temp dir, a free
// loopback port chosen by the kernel (--listen 127.0.0.1:0), and a random secret key.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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

// Starts orgd and resolves once it prints its listening line.
//   dataDir:    where orgd.db lives (a new temp dir when absent)
//   secretKeys: keys orgd accepts (one new key when absent)
//   args:       extra command-line flags
export async function startOrgd({ dataDir = newDataDir(), secretKeys = [newSecretKey()], args = [] } = {}) {
  const child = spawn(
    orgdBinary(),
    [
      'serve',
      '--listen', '127.0.0.1:0',
      '--database', `sqlite:${join(dataDir, 'orgd.db')}`,
      '--secret-key', secretKeys.join(','),
      '--log-level', process.env.ORGD_LOG_LEVEL ?? 'warn',
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
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`orgd did not start within 15 s:\n${stderr}`)), 15_000);
    child.stderr.on('data', chunk => {
      stderr += chunk;
      if (process.env.ORGD_LOG_LEVEL) process.stderr.write(chunk);
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
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
