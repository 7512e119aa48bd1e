// The whole database as text, before and after the cases: `sqlite3 FILE .dump` (the CLI reads a
// consistent snapshot of the WAL database while orgd runs) or `pg_dump` of the PostgreSQL
// database. The two must be identical: a refused request changes nothing.
import { execFileSync } from 'node:child_process';

// Columns that change with no request at all, blanked in both dumps before comparing. Each entry
// is [table, column, why]. Keep it empty unless a column is proven to move on its own: every
// column named here is one the run can no longer check.
export const VOLATILE_COLUMNS = [];

function dumpText(store, target) {
  if (store === 'sqlite') {
    return execFileSync('sqlite3', [target, '.dump'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  }
  // --inserts with column names, one row per line (the comparison shows the rows that differ);
  // no owner or privileges (they do not change, and differ between machines).
  return execFileSync('pg_dump', ['--no-owner', '--no-privileges', '--inserts', '--column-inserts', target], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  })
    // Comments, and the \restrict/\unrestrict lines of newer pg_dump (a random key per dump).
    .replace(/^--.*$/gm, '')
    .replace(/^\\(un)?restrict .*$/gm, '');
}

// The dump with the VOLATILE_COLUMNS blanked. SQLite's .dump writes `INSERT INTO t VALUES(…)`
// without column names, so the column's position is read from the dump's CREATE TABLE.
function normalize(text) {
  if (VOLATILE_COLUMNS.length === 0) return text;
  throw new Error('VOLATILE_COLUMNS: add the blanking for the columns named there');
}

// Dumps until two dumps `quietMs` apart are equal (the background jobs — webhook dispatch, the
// job queue — have settled), at most `maxMs`. Resolves with the dump text.
export async function quietDump(store, target, { quietMs = 400, maxMs = 20_000 } = {}) {
  const deadline = Date.now() + maxMs;
  let last = normalize(dumpText(store, target));
  for (;;) {
    await new Promise(resolve => setTimeout(resolve, quietMs));
    const now = normalize(dumpText(store, target));
    if (now === last) return now;
    if (Date.now() > deadline) throw new Error(`the database did not settle within ${maxMs} ms`);
    last = now;
  }
}

// The lines only in `a` and only in `b` (a dump is one statement a line; the order of rows is
// kept by both stores for rows that were not rewritten).
export function diffDumps(a, b) {
  const count = text => {
    const m = new Map();
    for (const line of text.split('\n')) m.set(line, (m.get(line) ?? 0) + 1);
    return m;
  };
  const ca = count(a);
  const cb = count(b);
  const only = (x, y) => [...x].flatMap(([line, n]) => Array(Math.max(0, n - (y.get(line) ?? 0))).fill(line));
  return { removed: only(ca, cb), added: only(cb, ca), reordered: a !== b && only(ca, cb).length === 0 && only(cb, ca).length === 0 };
}
