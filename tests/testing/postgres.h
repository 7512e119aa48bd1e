// The test PostgreSQL server (scripts/test-postgres.sh, started by the CTest fixture `postgres`
// or by scripts/test.sh) and a fresh database on it for each test.
#pragma once

#include <libpq-fe.h>

#include <fstream>
#include <random>
#include <stdexcept>
#include <string>

namespace orgd::testing {

// The server's admin URL: $ORGD_TEST_POSTGRES_URL, else the URL the CTest fixture wrote.
// Throws when there is neither: PostgreSQL tests never skip silently.
inline std::string TestPostgresUrl() {
  if (const char* url = std::getenv("ORGD_TEST_POSTGRES_URL"); url != nullptr && *url != '\0') {
    return url;
  }
  std::ifstream file(ORGD_TEST_POSTGRES_STATE "/url");
  std::string url;
  if (!(file >> url)) {
    throw std::runtime_error(
        "no test PostgreSQL: run the tests with ctest (its `postgres` fixture starts one) or set "
        "ORGD_TEST_POSTGRES_URL");
  }
  return url;
}

// Creates an empty database with a random name and returns its URL.
inline std::string CreateTestDatabase() {
  const std::string admin = TestPostgresUrl();
  std::random_device rd;
  const std::string name = "orgd_test_" + std::to_string(rd()) + std::to_string(rd());
  PGconn* conn = PQconnectdb(admin.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("cannot reach the test PostgreSQL at " + admin + ": " + why);
  }
  PGresult* r = PQexec(conn, ("CREATE DATABASE " + name).c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  std::string why = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(conn);
  if (!ok) throw std::runtime_error("CREATE DATABASE failed: " + why);
  return admin.substr(0, admin.rfind('/') + 1) + name;
}

}  // namespace orgd::testing
