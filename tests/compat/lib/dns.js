// A real DNS server for the tests of domain ownership verification: lib/dns_server.py (Debian's
// python3-dnslib run with /usr/bin/python3) on a free UDP port of 127.0.0.1, answering TXT and A
// queries from a JSON file in a temp dir that it reads again for every query.
//   const dns = await startDnsServer({ '_orgd-verification.acme.test': ['orgd-domain-verification=abc'] });
//   orgd args: ['--dns-server', dns.address]          // '127.0.0.1:PORT'
//   dns.set({ ... })                                    // replaces every record, seen by the next query
//   await dns.close()
// A value is a list of TXT strings, or { TXT: [...], A: [...] }, { rcode: 'SERVFAIL' } or
// { silent: true } (never answered); a name not listed is NXDOMAIN (dns_server.py).
import { spawn } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = join(dirname(fileURLToPath(import.meta.url)), 'dns_server.py');

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startDnsServer(records = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'orgd-dns-'));
  const file = join(dir, 'records.json');
  // Written whole and renamed into place, so a query never reads half a file.
  const set = next => {
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(next));
    renameSync(tmp, file);
  };
  set(records);

  const child = spawn('/usr/bin/python3', [script, '0', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', c => { stderr += c; });
  const exited = new Promise(resolve => {
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  const address = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dns_server.py did not start within 10 s:\n${stderr}`));
    }, 10_000);
    child.stdout.on('data', c => {
      stdout += c;
      const m = /listening on (127\.0\.0\.1:\d+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`dns_server.py exited (code ${code}, signal ${signal}) before listening:\n${stderr}`));
    });
  });

  return {
    address,
    set,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
    get stderr() {
      return stderr;
    },
  };
}
