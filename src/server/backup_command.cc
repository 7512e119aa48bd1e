#include "server/backup_command.h"

#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "server/config.h"
#include "server/private_file.h"
#include "store/sqlite/connection.h"

namespace orgd::server {
namespace {

Error Refused(ErrorCode code, std::string detail) {
  return Error(code, "", "", "", "", std::move(detail));
}

// Closes the connection on every path out.
struct Closer {
  sqlite3* db = nullptr;
  ~Closer() { sqlite3_close_v2(db); }
};

}  // namespace

Result<BackupReport> BackupSqlite(const std::string& database_url, const std::string& out_path) {
  auto parsed = ParseDatabaseUrl(database_url);
  if (!parsed) return parsed.error();
  if (parsed->kind == DatabaseUrl::Kind::kPostgres) {
    return Refused(ErrorCode::kInvalidArgument,
                   "orgd backup copies SQLite stores; back up PostgreSQL with pg_dump "
                   "(docs/DEPLOYING.md, \"Backups\")");
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(parsed->path, ec)) {
    return Refused(ErrorCode::kInvalidArgument, "no SQLite database at " + parsed->path);
  }
  // The copy is made first as an empty file only its owner may read; an older backup is never
  // overwritten by mistake.
  auto fd = CreatePrivateFile(out_path);
  if (!fd) return fd.error();
  ::close(*fd);
  auto fail = [&](std::string detail) {
    std::filesystem::remove(out_path, ec);
    return Refused(ErrorCode::kUnavailable, std::move(detail));
  };

  const auto started = std::chrono::steady_clock::now();
  // The source is opened read-only, so a backup never writes to a serving store.
  auto source = store::sqlite::SqliteConnection::Open(
      parsed->path, store::sqlite::SqliteConnection::Mode::kReadOnly);
  if (!source) return fail(source.error().detail);
  Closer target;
  if (int rc = sqlite3_open_v2(out_path.c_str(), &target.db, SQLITE_OPEN_READWRITE, nullptr);
      rc != SQLITE_OK) {
    return fail("cannot open " + out_path + ": " + sqlite3_errstr(rc));
  }
  sqlite3_backup* backup = sqlite3_backup_init(target.db, "main", (*source)->raw(), "main");
  if (backup == nullptr) return fail(std::string("backup failed: ") + sqlite3_errmsg(target.db));
  // One step of all pages: the whole copy is taken in the source's one read transaction (several
  // smaller steps would restart whenever the writer commits in between).
  int rc = sqlite3_backup_step(backup, -1);
  const int64_t pages = sqlite3_backup_pagecount(backup);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return fail(std::string("backup failed: ") + sqlite3_errstr(rc));
  // The copy must be readable whole before orgd says it is done.
  sqlite3_stmt* check = nullptr;
  std::string verdict = "no answer";
  if (sqlite3_prepare_v2(target.db, "PRAGMA quick_check", -1, &check, nullptr) == SQLITE_OK &&
      sqlite3_step(check) == SQLITE_ROW) {
    verdict = reinterpret_cast<const char*>(sqlite3_column_text(check, 0));
  }
  sqlite3_finalize(check);
  if (verdict != "ok") return fail("the copy failed its check: " + verdict);
  if (int close_rc = sqlite3_close_v2(target.db); close_rc != SQLITE_OK) {
    target.db = nullptr;
    return fail(std::string("cannot close the copy: ") + sqlite3_errstr(close_rc));
  }
  target.db = nullptr;
  // Durable before it is reported done: the copy's data and its directory entry.
  SyncFileAndDirectory(out_path);

  BackupReport report;
  report.source = parsed->path;
  report.pages = pages;
  report.bytes = static_cast<int64_t>(std::filesystem::file_size(out_path, ec));
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace orgd::server
