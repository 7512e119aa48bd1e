#include "server/seed.h"

#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <future>

#include "domain/errors.h"
#include "server/config.h"
#include "server/open_store.h"

namespace orgd::server {
namespace {

std::string Id(std::string_view prefix, int64_t n) { return fmt::format("{}_{:027d}", prefix, n); }

constexpr int64_t kManyUser = 999'999'999;
constexpr int64_t kSpareBase = 1'000'000'000;
constexpr int64_t kAddOrg = 2'000'000'000;
constexpr int64_t kCreatedAt = 1'700'000'000'000;

domain::Organization Org(int64_t n, std::string name) {
  domain::Organization org;
  org.id = Id("org", n);
  org.name = std::move(name);
  org.slug = fmt::format("seed-{}", n);
  org.max_allowed_memberships = 0;
  org.created_at = org.updated_at = kCreatedAt + n;
  return org;
}

domain::User User(int64_t n) {
  domain::User user;
  user.id = Id("user", n);
  user.email_addresses.push_back(
      {Id("idn", n), fmt::format("user{}@seed.example.com", n), kCreatedAt, kCreatedAt});
  user.primary_email_address_id = user.email_addresses[0].id;
  user.first_name = fmt::format("First{}", n % 997);
  user.last_name = fmt::format("Last{}", n % 991);
  user.created_at = user.updated_at = kCreatedAt + n;
  return user;
}

domain::Membership Member(int64_t org, int64_t user, int64_t n) {
  domain::Membership m;
  m.id = fmt::format("orgmem_{:027d}", n);
  m.organization_id = Id("org", org);
  m.user_id = Id("user", user);
  m.role = "org:member";
  m.created_at = m.updated_at = kCreatedAt + n;
  return m;
}

// Runs `count` inserts, kChunk per write transaction, waiting for each commit.
Result<void> InChunks(
    store::Database& db, int64_t count,
    const std::function<Result<void>(store::WriteTransaction&, int64_t)>& insert) {
  constexpr int64_t kChunk = 20'000;
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
    if (auto r = done.get_future().get(); !r) return r;
  }
  return {};
}

}  // namespace

Result<SeedReport> Seed(const SeedOptions& o) {
  if (o.organizations < 1 || o.user_orgs >= o.organizations || o.big_org_members > o.users ||
      o.members_per_org > o.users || o.users >= kManyUser || o.spare_users < 0) {
    return errors::ParamInvalid("seed", "inconsistent seed options");
  }
  // Each chunk is already one large transaction: no group commit across chunks.
  auto opened = OpenStore(o.database, StoreOptions{.postgres_pool = 1, .sqlite_max_batch = 1});
  if (!opened) return opened.error();
  store::Database& db = **opened;
  const auto started = std::chrono::steady_clock::now();
  SeedReport report;
  int64_t membership = 0;

  auto run = [&]() -> Result<void> {
    if (auto r = InChunks(db, o.users,
                          [&](auto& tx, int64_t i) { return tx.users().Insert(User(i + 1)); });
        !r) {
      return r;
    }
    for (int64_t special : {kManyUser}) {
      if (auto r =
              InChunks(db, 1, [&](auto& tx, int64_t) { return tx.users().Insert(User(special)); });
          !r) {
        return r;
      }
    }
    if (auto r =
            InChunks(db, o.spare_users,
                     [&](auto& tx, int64_t i) { return tx.users().Insert(User(kSpareBase + i)); });
        !r) {
      return r;
    }
    if (auto r = InChunks(db, o.organizations,
                          [&](auto& tx, int64_t i) {
                            return tx.organizations().Insert(Org(i, fmt::format("Seed Org {}", i)));
                          });
        !r) {
      return r;
    }
    if (auto r = InChunks(db, 1,
                          [&](auto& tx, int64_t) {
                            return tx.organizations().Insert(Org(kAddOrg, "Seed Add Target"));
                          });
        !r) {
      return r;
    }
    // The big organization's members, then members_per_org for every other one (consecutive users
    // of the pool, so no user appears twice in one organization), then the many user.
    if (auto r = InChunks(db, o.big_org_members,
                          [&](auto& tx, int64_t i) {
                            return tx.memberships().Insert(Member(0, i + 1, membership++));
                          });
        !r) {
      return r;
    }
    const int64_t others = (o.organizations - 1) * o.members_per_org;
    if (auto r = InChunks(db, others,
                          [&](auto& tx, int64_t i) {
                            int64_t org = 1 + i / o.members_per_org;
                            int64_t user =
                                1 + (org * o.members_per_org + i % o.members_per_org) % o.users;
                            return tx.memberships().Insert(Member(org, user, membership++));
                          });
        !r) {
      return r;
    }
    return InChunks(db, o.user_orgs, [&](auto& tx, int64_t i) {
      return tx.memberships().Insert(Member(i + 1, kManyUser, membership++));
    });
  };
  auto result = run();
  db.Close();
  if (!result) return result.error();
  report.organizations = o.organizations + 1;
  report.users = o.users + 1 + o.spare_users;
  report.memberships = membership;
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace orgd::server
