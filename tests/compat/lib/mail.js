// A real SMTP server for the tests that read what orgd mails (Debian's python3-aiosmtpd writing a
// Maildir), as test/email.test.js starts it, and a reader for the messages: headers, the decoded
// text and HTML parts (multipart or not; base64, quoted-printable or plain).
//   const smtp = await startSmtp();        // on a free loopback port
//   orgd args: smtpArgs(smtp)              // --smtp-url smtp://127.0.0.1:PORT --smtp-starttls off
//   await waitForMail(smtp, m => m.headers.to.includes(address), 'the code')
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort() {
  return new Promise(resolve => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Starts aiosmtpd on 127.0.0.1:`port` (a free one when absent); resolves once it accepts.
export async function startSmtp(port) {
  port ??= await freePort();
  const maildir = mkdtempSync(join(tmpdir(), 'orgd-mail-'));
  rmSync(maildir, { recursive: true });  // aiosmtpd's Mailbox creates it
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
    port,
    url: `smtp://127.0.0.1:${port}`,
    maildir,
    stop: () => new Promise(resolve => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.on('exit', resolve);
      child.kill('SIGTERM');
    }),
    get stderr() { return stderr; },
  };
}

export const smtpArgs = smtp => ['--smtp-url', smtp.url, '--smtp-starttls', 'off'];

// Every message in the Maildir, parsed.
export function messages(smtp) {
  const dir = join(smtp.maildir, 'new');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().map(name => parseMessage(readFileSync(join(dir, name), 'latin1')));
}

function splitHead(text) {
  const at = text.indexOf('\n\n');
  const head = at < 0 ? text : text.slice(0, at);
  const body = at < 0 ? '' : text.slice(at + 2);
  const headers = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function decode(body, encoding = '') {
  const enc = encoding.toLowerCase();
  let bytes;
  if (enc === 'base64') bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  else if (enc === 'quoted-printable') {
    const soft = body.replace(/=\n/g, '');
    bytes = Buffer.from(soft.replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  } else bytes = Buffer.from(body, 'latin1');
  return bytes.toString('utf8');
}

// RFC 2047 encoded words in a header (=?utf-8?b?…?= / ?q?).
function decodeWords(value) {
  return value.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, charset, kind, text) => {
    if (kind.toLowerCase() === 'b') return Buffer.from(text, 'base64').toString('utf8');
    return decode(text.replace(/_/g, ' '), 'quoted-printable');
  });
}

export function parseMessage(raw) {
  const text = raw.replace(/\r\n/g, '\n');
  const { headers, body } = splitHead(text);
  for (const key of ['subject', 'to', 'from']) if (headers[key]) headers[key] = decodeWords(headers[key]);
  const parts = {};
  const collect = (h, b) => {
    const type = (h['content-type'] ?? 'text/plain').toLowerCase();
    const boundary = /boundary="?([^";]+)"?/i.exec(h['content-type'] ?? '')?.[1];
    if (type.startsWith('multipart/') && boundary) {
      for (const chunk of b.split(`--${boundary}`)) {
        if (chunk.startsWith('--') || !chunk.trim()) continue;
        const part = splitHead(chunk.replace(/^\n/, ''));
        collect(part.headers, part.body);
      }
      return;
    }
    const kind = /^([a-z]+\/[a-z0-9.+-]+)/.exec(type)?.[1] ?? 'text/plain';
    parts[kind] ??= decode(b, h['content-transfer-encoding']);
  };
  collect(headers, body);
  return { headers, text: parts['text/plain'], html: parts['text/html'] };
}

// Resolves with the message `match` accepts after the first `skip` such ones, within `ms`.
export async function waitForMail(smtp, match, what, { skip = 0, ms = 15_000 } = {}) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const found = messages(smtp).filter(match)[skip];
    if (found) return found;
    await new Promise(r => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}; mailbox: ${JSON.stringify(messages(smtp).map(m => [m.headers.to, m.headers.subject]))}`);
}

// The six-digit code alone on a line of the text body of a message.
export function codeIn(message) {
  const m = /^\s*(\d{6})\s*$/m.exec(message.text ?? '');
  assert.ok(m, `no six-digit code alone on a line in:\n${message.text}`);
  return m[1];
}
