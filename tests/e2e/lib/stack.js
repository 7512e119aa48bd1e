// One stack per test file: a real orgd (tests/compat/lib/orgd.js, with its Frontend API on a
// second loopback port), optionally a real SMTP server, the example app of examples/demo, and
// Debian's headless Chromium driven by puppeteer-core. Every Frontend API exchange the browser
// makes is recorded; a scenario that fails prints the exchanges it made (failures first).
// With ORGD_TEST_LOG_DIR set, orgd's log and the app's output are saved there for the secrets
// scan (tests/secrets/README.md).
import { createClerkClient } from '@clerk/backend';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import puppeteer from 'puppeteer-core';
import { openTestLog, startOrgd } from '../../compat/lib/orgd.js';
import { startSmtp } from './smtp.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
process.env.ORGD_BIN ??= join(root, 'build', 'orgd');

export const CHROMIUM = process.env.ORGD_E2E_CHROMIUM || '/usr/bin/chromium-headless-shell';
export const SCREENSHOTS = process.env.ORGD_E2E_SCREENSHOTS === '1' ? join(root, 'docs', 'screenshots') : null;

export async function freePort() {
  return new Promise(done => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

export const sleep = ms => new Promise(r => setTimeout(r, ms));

// Polls `condition` (sync or async) until it returns something truthy.
export async function waitFor(condition, { timeout = 15_000, what = 'a condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(200);
  }
}

async function startApp({ apiUrl, frontendUrl, secretKey, port }) {
  const child = spawn(process.execPath, [join(root, 'examples', 'demo', 'server.js')], {
    env: { ...process.env, ORGD_API_URL: apiUrl, ORGD_FRONTEND_URL: frontendUrl, CLERK_SECRET_KEY: secretKey, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Saved for the secrets scan when ORGD_TEST_LOG_DIR is set (orgd.js saves orgd's own log): the
  // app holds the secret key too.
  const log = openTestLog('demo-app');
  let output = '';
  child.stdout.on('data', c => { output += c; log?.write(c); });
  child.stderr.on('data', c => { output += c; log?.write(c); });
  const exited = new Promise(done => child.on('close', code => { log?.close(); done(code); }));
  await Promise.race([
    waitFor(() => output.includes('demo app on'), { timeout: 20_000, what: 'the demo app' }),
    exited.then(code => { throw new Error(`the demo app exited (${code}):\n${output}`); }),
  ]);
  return {
    url: `http://127.0.0.1:${port}`,
    get output() { return output; },
    async stop() {
      if (child.exitCode === null) { child.kill('SIGTERM'); await exited; }
    },
  };
}

// Starts the whole stack. `orgdArgs` are added to orgd's command line; `smtp` starts a mail
// server and points orgd's invitation email at it.
export async function startStack({ orgdArgs = [], smtp: withSmtp = false } = {}) {
  const appPort = await freePort();
  const appOrigin = `http://127.0.0.1:${appPort}`;
  const smtpPort = withSmtp ? await freePort() : 0;
  const smtp = withSmtp ? await startSmtp(smtpPort) : null;
  const smtpArgs = smtp ? ['--smtp-url', `smtp://127.0.0.1:${smtpPort}`, '--smtp-starttls', 'off'] : [];
  const orgd = await startOrgd({
    args: ['--frontend-listen', '127.0.0.1:0', '--allowed-origin', appOrigin,
      '--invitation-url', `${appOrigin}/`, ...smtpArgs, ...orgdArgs],
  });
  const { frontendUrl } = orgd;
  if (!frontendUrl) throw new Error(`orgd reported no Frontend API URL:\n${orgd.stderr}`);
  const app = await startApp({ apiUrl: orgd.url, frontendUrl, secretKey: orgd.secretKey, port: appPort });
  const userDataDir = mkdtempSync(join(tmpdir(), 'orgd-e2e-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: 'shell',
    userDataDir,
    defaultViewport: { width: 1280, height: 900 },
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
  const stack = {
    orgd, frontendUrl, app, appUrl: app.url, smtp, browser,
    clerk: createClerkClient({ secretKey: orgd.secretKey, apiUrl: orgd.url }),
    wire: [],        // every Frontend API exchange: { page, method, url, status, request, response }
    problems: [],    // browser console errors and uncaught page errors
    // A page in a fresh browser context (its own cookies), recording its Frontend API traffic.
    async newPage(label = `page${++pageCount}`) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      page.label = label;
      page.on('response', async response => {
        const url = response.url();
        if (!url.startsWith(frontendUrl)) return;
        const request = response.request();
        const entry = {
          page: label, at: Date.now(), method: request.method(), url: url.slice(frontendUrl.length), status: response.status(),
          request: (request.postData() ?? '').slice(0, 300), response: '',
        };
        stack.wire.push(entry);
        if (request.method() === 'OPTIONS' || (response.status() >= 300 && response.status() < 400)) return;
        try { entry.response = (await response.text()).slice(0, 600); } catch { entry.response = '(body unavailable)'; }
      });
      page.on('requestfailed', request => {
        if (request.url().startsWith(frontendUrl)) {
          stack.wire.push({ page: label, at: Date.now(), method: request.method(), url: request.url().slice(frontendUrl.length),
            status: 'failed', request: (request.postData() ?? '').slice(0, 300), response: request.failure()?.errorText ?? '' });
        }
      });
      page.on('console', msg => {
        if (msg.type() === 'error') stack.problems.push({ page: label, at: Date.now(), text: msg.text(), url: msg.location()?.url ?? '' });
      });
      page.on('pageerror', err => stack.problems.push({ page: label, at: Date.now(), text: `uncaught: ${err.message}` }));
      page.close = (close => async () => { await close.call(page); await context.close(); })(page.close);
      return page;
    },
    async stop() {
      // ORGD_E2E_WIRE=<file> appends every Frontend API exchange of the file, one JSON per line.
      if (process.env.ORGD_E2E_WIRE) appendFileSync(process.env.ORGD_E2E_WIRE, stack.wire.map(e => JSON.stringify(e) + '\n').join(''));
      await browser.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
      await app.stop();
      await orgd.stop();
      await smtp?.stop();
    },
  };
  let pageCount = 0;
  return stack;
}

// Registers a stack for this test file: started before the first test, stopped after the last.
export function useStack(options) {
  const ctx = {};
  before(async () => Object.assign(ctx, await startStack(options)), { timeout: 60_000 });
  after(async () => ctx.stop?.());
  return ctx;
}

// A test that fails when the browser logs a console error or an uncaught exception during it, and
// that, when it fails, prints the Frontend API exchanges made during it (failed ones
// first), the browser's console errors, and the tail of orgd's log.
export function scenario(ctx, name, fn, options = {}) {
  return test(name, { timeout: 120_000, ...options }, async t => {
    const start = Date.now();
    try {
      await fn(t);
      const problems = ctx.problems.filter(p => p.at >= start);
      if (problems.length) throw new Error(`the browser logged errors:\n${problems.map(p => `  [${p.page}] ${p.text} ${p.url ?? ''}`).join('\n')}`);
    } catch (err) {
      const wire = ctx.wire?.filter(e => e.at >= start) ?? [];
      const bad = wire.filter(e => e.status === 'failed' || e.status >= 400);
      const line = e => `  [${e.page}] ${e.method} ${e.url} -> ${e.status}${e.request ? `\n      request:  ${e.request}` : ''}${e.response ? `\n      response: ${e.response}` : ''}`;
      const problems = ctx.problems?.filter(p => p.at >= start) ?? [];
      err.message += '\n-- failed Frontend API exchanges:\n' + (bad.map(line).join('\n') || '  (none)') +
        '\n-- last Frontend API exchanges:\n' + (wire.slice(-12).map(line).join('\n') || '  (none)') +
        '\n-- browser console errors:\n' + (problems.map(p => `  [${p.page}] ${p.text} ${p.url ?? ''}`).join('\n') || '  (none)') +
        '\n-- orgd log (tail):\n' + (ctx.orgd?.stderr.split('\n').slice(-15).join('\n') ?? '');
      throw err;
    }
  });
}
