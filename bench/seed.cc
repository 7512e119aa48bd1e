// orgd-bench-seed: fills a SQLite database through orgd's own store, fast, so load scenarios run
// against a store of a chosen size. IDs are deterministic (`<prefix>_` + a 27-digit number) so
// wrk scripts can name them:
//   org_000…000            the "members" organization, with --members members (users 1…M)
//   org_000…001 … N-1      the other organizations; the first --user-orgs of them include
//   user_999…999           the "many" user
//   user_100…000 + i       --spare-users users in no organization (for add-member scenarios)
//   org_200…000            the "add" organization (unlimited) that add-member scenarios fill
//
//   orgd-bench-seed --database PATH --organizations N --members M --user-orgs K --spare-users S
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <future>

#include "store/sqlite/sqlite_database.h"

namespace {

using namespace orgd;

std::string Id(std::string_view prefix, int64_t n) { return fmt::format("{}_{:027d}", prefix, n); }

constexpr int64_t kManyUser = 999'999'999;
constexpr int64_t kSpareBase = 1'000'000'000;
constexpr int64_t kAddOrg = 2'000'000'000;

domain::Organization Org(int64_t n, std::string name, int64_t now) {
  domain::Organization org;
  org.id = Id("org", n);
  org.name = std::move(name);
  org.slug = fmt::format("bench-{}", n);
  org.max_allowed_memberships = 0;
  org.created_at = org.updated_at = now;
  return org;
}

domain::User User(int64_t n, int64_t now) {
  domain::User user;
  user.id = Id("user", n);
  user.email_addresses.push_back(
      {Id("idn", n), fmt::format("user{}@bench.example.com", n), now, now});
  user.primary_email_address_id = user.email_addresses[0].id;
  user.first_name = fmt::format("First{}", n % 997);
  user.last_name = fmt::format("Last{}", n % 991);
  user.created_at = user.updated_at = now;
  return user;
}

domain::Membership Member(int64_t org, int64_t user, int64_t now) {
  domain::Membership m;
  m.id = fmt::format("orgmem_{:013d}{:014d}", org % 10'000'000'000'000, user % 100'000'000'000'000);
  m.organization_id = Id("org", org);
  m.user_id = Id("user", user);
  m.role = "org:member";
  m.created_at = m.updated_at = now;
  return m;
}

// Runs `count` inserts in transactions of `chunk`, waiting for each to commit.
void InChunks(store::Database& db, int64_t count, const char* what,
              const std::function<Result<void>(store::WriteTransaction&, int64_t)>& insert) {
  constexpr int64_t kChunk = 5000;
  for (int64_t start = 0; start < count; start += kChunk) {
    const int64_t end = std::min(count, start + kChunk);
    std::promise<Result<void>> done;
    db.Write(
        [&](store::WriteTransaction& tx) -> Result<void> {
          for (int64_t i = start; i < end; ++i) {
            if (auto r = insert(tx, i); !r) return r;
          }
          return {};
        },
        [&](Result<void> r) { done.set_value(std::move(r)); });
    if (auto r = done.get_future().get(); !r) {
      throw std::runtime_error(
          fmt::format("seeding {} failed: {} {}", what, r.error().clerk_code, r.error().detail));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Fill an orgd SQLite database for load scenarios"};
  std::string path;
  int64_t organizations = 1000, members = 10'000, user_orgs = 100, spare_users = 0;
  cli.add_option("--database", path, "SQLite file to create")->required();
  cli.add_option("--organizations", organizations, "Organizations in the store")
      ->capture_default_str();
  cli.add_option("--members", members, "Members of the members organization")
      ->capture_default_str();
  cli.add_option("--user-orgs", user_orgs, "Organizations the many user belongs to")
      ->capture_default_str();
  cli.add_option("--spare-users", spare_users, "Users in no organization")->capture_default_str();
  CLI11_PARSE(cli, argc, argv);
  if (user_orgs >= organizations) {
    std::fprintf(stderr, "--user-orgs must be below --organizations\n");
    return 2;
  }

  const auto started = std::chrono::steady_clock::now();
  store::sqlite::SqliteOptions options;
  options.path = path;
  auto db = store::sqlite::SqliteDatabase::Open(options);
  if (!db) {
    std::fprintf(stderr, "open: %s\n", db.error().detail.c_str());
    return 1;
  }
  const int64_t now = 1'700'000'000'000;
  try {
    InChunks(**db, organizations, "organizations", [&](store::WriteTransaction& tx, int64_t i) {
      return tx.organizations().Insert(Org(i, fmt::format("Bench Org {}", i), now + i));
    });
    InChunks(**db, 1, "add organization", [&](store::WriteTransaction& tx, int64_t) {
      return tx.organizations().Insert(Org(kAddOrg, "Bench Add Target", now));
    });
    InChunks(**db, members, "members", [&](store::WriteTransaction& tx, int64_t i) {
      if (auto r = tx.users().Insert(User(i + 1, now + i)); !r) return r;
      return tx.memberships().Insert(Member(0, i + 1, now + i));
    });
    InChunks(**db, 1, "many user", [&](store::WriteTransaction& tx, int64_t) {
      return tx.users().Insert(User(kManyUser, now));
    });
    InChunks(**db, user_orgs, "user memberships", [&](store::WriteTransaction& tx, int64_t i) {
      return tx.memberships().Insert(Member(i + 1, kManyUser, now + i));
    });
    InChunks(**db, spare_users, "spare users", [&](store::WriteTransaction& tx, int64_t i) {
      return tx.users().Insert(User(kSpareBase + i, now + i));
    });
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  (*db)->Close();
  std::printf(
      "seeded %s: %lld organizations, %lld members, %lld user memberships, %lld spare "
      "users in %.1f s\n",
      path.c_str(), static_cast<long long>(organizations + 1), static_cast<long long>(members),
      static_cast<long long>(user_orgs), static_cast<long long>(spare_users),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return 0;
}
