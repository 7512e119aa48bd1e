// The permission check (PermissionAuthority::Can / domain::RoleTable::Can) with 100 roles and
// 1,000 permissions, each role granting 100 of them. Run: build/bench/orgd_permission_benchmark
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <random>

#include "domain/roles.h"

namespace {

using orgd::domain::Permission;
using orgd::domain::Role;
using orgd::domain::RoleTable;

struct Fixture {
  std::vector<std::string> role_keys;
  std::vector<std::string> permission_keys;
  std::unique_ptr<RoleTable> table;

  Fixture() {
    std::mt19937 rng(7);
    for (int p = 0; p < 1000; ++p)
      permission_keys.push_back(fmt::format("org:feature{}:action{}", p % 50, p));
    std::vector<Role> roles;
    for (int r = 0; r < 100; ++r) {
      Role role;
      role.id = fmt::format("role_{}", r);
      role.key = fmt::format("org:role{}", r);
      role.name = role.key;
      for (int i = 0; i < 100; ++i) {
        Permission p;
        p.key = permission_keys[rng() % permission_keys.size()];
        role.permissions.push_back(p);
      }
      role_keys.push_back(role.key);
      roles.push_back(std::move(role));
    }
    table = std::make_unique<RoleTable>(roles, 1);
  }
};

const Fixture& Shared() {
  static const Fixture fixture;
  return fixture;
}

void BM_Can(benchmark::State& state) {
  const Fixture& f = Shared();
  size_t i = 0;
  for (auto _ : state) {
    const std::string& role = f.role_keys[i % f.role_keys.size()];
    const std::string& permission = f.permission_keys[(i * 7919) % f.permission_keys.size()];
    benchmark::DoNotOptimize(f.table->Can(role, permission));
    ++i;
  }
}
BENCHMARK(BM_Can);

void BM_BuildTable(benchmark::State& state) {
  const Fixture& f = Shared();
  std::vector<Role> roles;
  for (const auto& key : f.role_keys) {
    Role role;
    role.key = key;
    for (const auto& p : f.table->Find(key)->permissions)
      role.permissions.push_back(Permission{"", p, "", "", "user", 0, 0});
    roles.push_back(std::move(role));
  }
  for (auto _ : state) benchmark::DoNotOptimize(RoleTable(roles, 2));
}
BENCHMARK(BM_BuildTable)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
