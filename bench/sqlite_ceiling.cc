// orgd-bench-ceiling-sqlite: the storage ceiling of this machine for durable inserts. Inserts
// rows shaped like organizations into a fresh SQLite file with orgd's settings (WAL,
// synchronous=FULL), committing every row on its own and then in batches, for a fixed time each.
//
//   orgd-bench-ceiling-sqlite --database PATH [--seconds S] [--batch N]
//
// Prints "one row per transaction: <rows/s>" and "batches of N: <rows/s>".
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

namespace {

void Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::fprintf(stderr, "%s: %s\n", sql, error);
    std::exit(1);
  }
}

// Inserts for `seconds`, `batch` rows per transaction. Returns rows per second.
double Run(sqlite3* db, sqlite3_stmt* insert, int batch, double seconds, int64_t& next_id) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  int64_t rows = 0;
  std::string metadata = "{\"plan\":\"pro\"}";
  while (Clock::now() < end) {
    Exec(db, "BEGIN IMMEDIATE");
    for (int i = 0; i < batch; ++i, ++rows) {
      std::string id = "org_" + std::to_string(next_id++);
      sqlite3_bind_text(insert, 1, id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 2, ("Bench Org " + id).c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 3, ("bench-" + id.substr(4)).c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 4, metadata.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_int64(insert, 5, 1'700'000'000'000 + next_id);
      if (sqlite3_step(insert) != SQLITE_DONE) {
        std::fprintf(stderr, "insert: %s\n", sqlite3_errmsg(db));
        std::exit(1);
      }
      sqlite3_reset(insert);
    }
    Exec(db, "COMMIT");
  }
  return static_cast<double>(rows) /
         std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Durable SQLite insert ceiling"};
  std::string path;
  double seconds = 5;
  int batch = 64;
  cli.add_option("--database", path, "SQLite file to create")->required();
  cli.add_option("--seconds", seconds, "Seconds per mode")->capture_default_str();
  cli.add_option("--batch", batch, "Rows per transaction in batch mode")->capture_default_str();
  CLI11_PARSE(cli, argc, argv);

  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return 1;
  Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
  Exec(db,
       "CREATE TABLE organizations (id TEXT PRIMARY KEY, name TEXT NOT NULL, slug TEXT NOT NULL "
       "UNIQUE, public_metadata TEXT NOT NULL, created_at INTEGER NOT NULL) STRICT;"
       "CREATE INDEX organizations_by_created_at ON organizations (created_at, id);"
       "CREATE INDEX organizations_by_name ON organizations (name COLLATE NOCASE, id);");
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO organizations (id, name, slug, public_metadata, created_at) "
                     "VALUES (?1, ?2, ?3, ?4, ?5)",
                     -1, &insert, nullptr);
  int64_t next_id = 0;
  double single = Run(db, insert, 1, seconds, next_id);
  double batched = Run(db, insert, batch, seconds, next_id);
  std::printf("one row per transaction: %.0f rows/s\n", single);
  std::printf("batches of %d: %.0f rows/s\n", batch, batched);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return 0;
}
