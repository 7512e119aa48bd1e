// A real SMTP server on a loopback port (Debian's python3-aiosmtpd, run with /usr/bin/python3 as
// tests/compat/test/email.test.js does), writing every message it accepts into a Maildir.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function startSmtp(port) {
  const maildir = mkdtempSync(join(tmpdir(), 'orgd-e2e-mail-'));
  rmSync(maildir, { recursive: true }); // aiosmtpd's Mailbox creates it
  const child = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`,
    '-c', 'aiosmtpd.handlers.Mailbox', maildir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', c => { stderr += c; });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise(resolve => {
      const s = connect({ host: '127.0.0.1', port }, () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (up) break;
    await new Promise(r => setTimeout(r, 100));
  }
  return {
    maildir,
    // Every message received so far: { headers (lowercase names), text, html }.
    messages() {
      const dir = join(maildir, 'new');
      if (!existsSync(dir)) return [];
      return readdirSync(dir).map(name => parse(readFileSync(join(dir, name), 'utf8')));
    },
    async stop() {
      if (child.exitCode === null) await new Promise(resolve => { child.on('exit', resolve); child.kill('SIGTERM'); });
      rmSync(maildir, { recursive: true, force: true });
    },
    get stderr() { return stderr; },
  };
}

function parse(raw) {
  const text = raw.replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const headers = {};
  for (const line of text.slice(0, split).split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const boundary = /boundary="([^"]+)"/.exec(headers['content-type'] ?? '')?.[1];
  const parts = {};
  for (const part of boundary ? text.slice(split + 2).split(`--${boundary}`) : []) {
    const at = part.indexOf('\n\n');
    if (at < 0) continue;
    const type = /content-type: ([a-z/]+)/i.exec(part.slice(0, at))?.[1];
    if (type) parts[type] = Buffer.from(part.slice(at + 2).replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { headers, text: parts['text/plain'], html: parts['text/html'] };
}
