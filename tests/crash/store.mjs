// Direct access to the store behind orgd, for the checks the API cannot make (row counts, orphans,
// on-disk integrity), and the PostgreSQL server's own life (its postmaster killed and restarted).
// Every query runs through the command-line client (sqlite3, psql) so no npm package is needed.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

// A read-only view of one orgd database: `url` is orgd's --database URL (sqlite:PATH or postgres://).
export class Store {
  constructor(url) {
    this.url = url;
    this.kind = url.startsWith('sqlite:') ? 'sqlite' : 'postgres';
    this.amcheckReady = false;
  }

  // The rows of one SELECT as objects.
  rows(select) {
    if (this.kind === 'sqlite') {
      // -readonly: the checker must not be the one that writes (or checkpoints) the file.
      const out = execFileSync('sqlite3', ['-readonly', '-json', this.url.slice('sqlite:'.length), select], {
        encoding: 'utf8', maxBuffer: 256 << 20,
      });
      return out.trim() === '' ? [] : JSON.parse(out);
    }
    const out = execFileSync('psql', [this.url, '-XtAq', '-v', 'ON_ERROR_STOP=1', '-c',
      `SELECT coalesce(json_agg(t), '[]'::json) FROM (${select}) t`], { encoding: 'utf8', maxBuffer: 256 << 20 });
    return JSON.parse(out);
  }

  // Everything the checks compare with the model, read in one go after the load has stopped.
  snapshot() {
    return {
      organizations: this.rows('SELECT id, slug, members_count, public_metadata, private_metadata FROM organizations'),
      memberships: this.rows('SELECT organization_id, user_id FROM organization_memberships'),
      users: this.rows('SELECT id FROM users').map(r => r.id),
      // Rows whose parent is gone: the foreign keys cascade, so any here means a half-applied delete.
      orphanMemberships: this.rows(
        'SELECT m.id, m.organization_id, m.user_id FROM organization_memberships m ' +
        'WHERE NOT EXISTS (SELECT 1 FROM organizations o WHERE o.id = m.organization_id) ' +
        'OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = m.user_id)'),
      // members_count is kept by the writes, never recounted: compare it with the rows.
      countMismatches: this.rows(
        'SELECT o.id, o.members_count, (SELECT count(*) FROM organization_memberships m ' +
        'WHERE m.organization_id = o.id) AS row_count FROM organizations o ' +
        'WHERE o.members_count <> (SELECT count(*) FROM organization_memberships m WHERE m.organization_id = o.id)'),
      // The transactional outbox: a change and its events commit together (or neither does).
      organizationEvents: this.rows(
        "SELECT organization_id, type, count(*) AS count FROM outbox " +
        "WHERE type IN ('organization.created', 'organization.deleted') GROUP BY organization_id, type"),
      lastOrganizationEvents: this.rows(
        'SELECT organization_id, payload FROM outbox WHERE seq IN (SELECT max(seq) FROM outbox ' +
        "WHERE type IN ('organization.created', 'organization.updated') " +
        'AND organization_id IN (SELECT id FROM organizations) GROUP BY organization_id)'),
      membershipEvents: this.rows(
        `SELECT organization_id, type, ${this.kind === 'sqlite'
          ? "json_extract(payload, '$.public_user_data.user_id')"
          : "payload::json -> 'public_user_data' ->> 'user_id'"} AS user_id FROM outbox ` +
        "WHERE type IN ('organizationMembership.created', 'organizationMembership.deleted') " +
        'AND organization_id IN (SELECT id FROM organizations) ORDER BY seq'),
    };
  }

  // The store's own consistency check; returns a list of problems (empty when sound).
  // SQLite: PRAGMA integrity_check and foreign_key_check. PostgreSQL: amcheck's B-tree check
  // (every heap tuple indexed) on every index of the public schema, and verify_heapam on the
  // tables this program writes.
  integrityProblems() {
    if (this.kind === 'sqlite') {
      const problems = [];
      const integrity = this.rows('PRAGMA integrity_check').map(r => Object.values(r)[0]);
      if (!(integrity.length === 1 && integrity[0] === 'ok')) problems.push(...integrity.map(p => `integrity_check: ${p}`));
      for (const r of this.rows('PRAGMA foreign_key_check')) problems.push(`foreign_key_check: ${JSON.stringify(r)}`);
      return problems;
    }
    if (!this.amcheckReady) {
      execFileSync('psql', [this.url, '-XtAq', '-v', 'ON_ERROR_STOP=1', '-c', 'CREATE EXTENSION IF NOT EXISTS amcheck'],
        { encoding: 'utf8' });
      this.amcheckReady = true;
    }
    const problems = [];
    const indexes = this.rows(
      "SELECT c.relname, bt_index_check(c.oid, true)::text AS checked FROM pg_index i " +
      "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam " +
      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = 'public'");
    if (indexes.length === 0) problems.push('amcheck found no index to check');
    for (const table of ['organizations', 'organization_memberships', 'users', 'outbox']) {
      for (const r of this.rows(`SELECT * FROM verify_heapam('${table}')`)) problems.push(`verify_heapam ${table}: ${JSON.stringify(r)}`);
    }
    return problems;
  }
}

// The PostgreSQL that scripts/test-postgres.sh runs from STATE_DIR.
export class Postgres {
  constructor(stateDir, root) {
    this.stateDir = stateDir;
    this.root = root;
    this.dataDir = readFileSync(join(stateDir, 'datadir'), 'utf8').trim();
    this.adminUrl = readFileSync(join(stateDir, 'url'), 'utf8').trim();
  }

  postmasterPid() {
    return Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  }

  // SIGKILLs the postmaster, as a crash of the server would; its backends are left running
  // until they notice their parent is gone. With `everything`, its backends and helpers too, as
  // the loss of the database's machine would (a COMMIT then may be cut off half-way: durable or
  // not, unanswered). Returns what was killed.
  kill({ everything = false } = {}) {
    const pid = this.postmasterPid();
    const children = childrenOf(pid);
    process.kill(pid, 'SIGKILL');
    if (everything) {
      for (const child of children) {
        try {
          process.kill(child, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    return { pid, children };
  }

  // Waits (at most `timeoutMs`) until the killed postmaster and its orphaned backends have exited
  // — a new postmaster refuses to start while one of them still holds the old shared memory, or
  // while the old postmaster's pid (in postmaster.pid) exists at all, even as a zombie: so that
  // one must have been reaped by whoever inherited it — then starts the server again on the
  // same data directory and port, which runs crash recovery. Retries the start while it is
  // refused (a backend forked just before the kill).
  // Resolves with how long the old processes took to go and the start took, and the attempts.
  async restart({ pid, children }, timeoutMs = 60_000) {
    const t0 = Date.now();
    const deadline = t0 + timeoutMs;
    const alive = () => [...(procStat(String(pid)) ? [pid] : []), ...children.filter(isRunning)];
    while (alive().length > 0) {
      if (Date.now() > deadline) throw new Error(`the killed PostgreSQL's processes did not go: ${alive()}`);
      await sleep(20);
    }
    const orphansMs = Date.now() - t0;
    for (let attempt = 1; ; attempt++) {
      try {
        // Asynchronously: the load goes on meanwhile, against an orgd whose database is down.
        await promisify(execFile)('bash', [join(this.root, 'scripts', 'test-postgres.sh'), 'resume', this.stateDir]);
        return { orphansMs, attempts: attempt, startMs: Date.now() - t0 - orphansMs };
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`PostgreSQL did not restart: ${e.stderr ?? e.message}`);
        await sleep(200);
      }
    }
  }
}

function childrenOf(pid) {
  const out = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(entry);
    if (stat && stat.ppid === pid) out.push(Number(entry));
  }
  return out;
}

// A zombie (exited, not yet reaped by whoever inherited it) no longer holds shared memory.
function isRunning(pid) {
  const stat = procStat(String(pid));
  return stat !== null && stat.state !== 'Z';
}

function procStat(pid) {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return null;
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null; // exited between the two calls
  }
  // The command name is in parentheses and may hold spaces; the fields after it are fixed.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], ppid: Number(fields[1]) };
}
