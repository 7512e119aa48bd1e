// A real SMTP server on a loopback port for the browser suite: the SDK suite's
// (tests/compat/lib/mail.js: Debian's python3-aiosmtpd writing a Maildir, and its message parser),
// with the messages read through the handle and the Maildir removed on stop.
import { rmSync } from 'node:fs';
import { messages, startSmtp as startMailServer } from '../../compat/lib/mail.js';

export async function startSmtp(port) {
  const smtp = await startMailServer(port);
  return {
    maildir: smtp.maildir,
    // Every message received so far: { headers (lowercase names), text, html }.
    messages: () => messages(smtp),
    async stop() {
      await smtp.stop();
      rmSync(smtp.maildir, { recursive: true, force: true });
    },
    get stderr() { return smtp.stderr; },
  };
}
