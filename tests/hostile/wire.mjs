// HTTP/1.1 over raw sockets (node:net): the generator writes every byte of a request itself —
// invalid UTF-8 in the path, NUL in a header, a header over the limit, framing fetch() would
// never produce — and reads back exactly what orgd sent.
import { connect } from 'node:net';

// Sends `bytes` on a new connection, half-closes it (no more requests follow), and resolves with
// everything the server sent until it closed the connection, or until `timeoutMs` passed:
//   { bytes, timedOut, error }  (error: the socket error, e.g. a reset, when there was one)
// A reset after the answer is normal when orgd refused a body it did not read.
export function exchange({ host, port }, bytes, { timeoutMs = 10_000 } = {}) {
  return new Promise(resolve => {
    const socket = connect({ host, port });
    const chunks = [];
    let timedOut = false;
    let error;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, timeoutMs);
    socket.on('data', c => chunks.push(c));
    socket.on('error', e => {
      error = e.code ?? e.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ bytes: Buffer.concat(chunks), timedOut, error });
    });
    socket.on('connect', () => {
      socket.end(bytes);
    });
  });
}

// The first response in `bytes`: { status, headers: [[lowercase name, value]], header(name),
// body (Buffer), complete, rest (bytes after it) }, or null when there is no complete head.
// A body is delimited by Content-Length or chunked coding, else it runs to the close.
export function parseResponse(bytes, { headRequest = false } = {}) {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(statusLine);
  if (!m) return null;
  const headers = lines.map(l => {
    const i = l.indexOf(':');
    return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()];
  });
  const header = name => headers.find(([n]) => n === name)?.[1];
  const status = Number(m[1]);
  const start = end + 4;
  let body;
  let rest;
  let complete = true;
  const noBody = headRequest || status === 204 || status === 304 || (status >= 100 && status < 200);
  if (noBody) {
    body = Buffer.alloc(0);
    rest = bytes.subarray(start);
  } else if ((header('transfer-encoding') ?? '').toLowerCase().includes('chunked')) {
    const parts = [];
    let pos = start;
    complete = false;
    for (;;) {
      const lineEnd = bytes.indexOf('\r\n', pos);
      if (lineEnd < 0) break;
      const size = parseInt(bytes.subarray(pos, lineEnd).toString('latin1'), 16);
      if (Number.isNaN(size)) break;
      if (size === 0) {
        const trailerEnd = bytes.indexOf('\r\n\r\n', lineEnd);
        if (trailerEnd >= 0) {
          complete = true;
          pos = trailerEnd + 4;
        } else if (bytes.subarray(lineEnd, lineEnd + 4).equals(Buffer.from('\r\n\r\n'))) {
          complete = true;
          pos = lineEnd + 4;
        }
        break;
      }
      parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
      pos = lineEnd + 2 + size + 2;
      if (pos > bytes.length) break;
    }
    body = Buffer.concat(parts);
    rest = bytes.subarray(Math.min(pos, bytes.length));
  } else if (header('content-length') !== undefined) {
    const length = Number(header('content-length'));
    body = bytes.subarray(start, start + length);
    complete = body.length === length;
    rest = bytes.subarray(start + length);
  } else {
    body = bytes.subarray(start);
    rest = Buffer.alloc(0);
  }
  return { status, headers, header, body, complete, rest };
}

// One request as bytes. `head` is the request line's target; headers are [name, value] pairs
// written as given (a value may be a Buffer of raw bytes); body a string or Buffer. Content-Length
// is added for a body unless the headers name Content-Length or Transfer-Encoding, or
// `contentLength` is false.
export function requestBytes({ method, target, headers = [], body, contentLength = true, version = 'HTTP/1.1' }) {
  const parts = [];
  const push = x => parts.push(Buffer.isBuffer(x) ? x : Buffer.from(x, 'utf8'));
  push(method);
  push(' ');
  push(target);
  push(` ${version}\r\n`);
  const named = n => headers.some(([k]) => String(k).toLowerCase() === n);
  const b = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const all = [...headers];
  if (b !== undefined && contentLength && !named('content-length') && !named('transfer-encoding')) {
    all.push(['Content-Length', String(b.length)]);
  }
  for (const [name, value] of all) {
    push(name);
    push(': ');
    push(value);
    push('\r\n');
  }
  push('\r\n');
  if (b !== undefined) push(b);
  return Buffer.concat(parts);
}

// Runs `jobs` (functions returning promises) `concurrency` at a time; resolves when all ran.
export async function pool(jobs, concurrency) {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
}
