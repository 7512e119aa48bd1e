#include "service/permission_authority.h"

#include <future>

namespace orgd::service {

PermissionAuthority::PermissionAuthority(store::Database& db)
    : db_(db), table_(std::make_shared<const domain::RoleTable>(std::vector<domain::Role>{}, -1)) {}

Result<void> PermissionAuthority::Load() {
  std::promise<Result<std::shared_ptr<const domain::RoleTable>>> promise;
  store::ReadAsync<std::shared_ptr<const domain::RoleTable>>(
      db_, [](store::ReadTransaction& tx) { return Build(tx); },
      [&promise](Result<std::shared_ptr<const domain::RoleTable>> r) {
        promise.set_value(std::move(r));
      });
  auto table = promise.get_future().get();
  if (!table) return table.error();
  Publish(std::move(*table));
  return {};
}

Result<void> PermissionAuthority::RefreshIfStale() {
  std::promise<Result<int64_t>> promise;
  store::ReadAsync<int64_t>(
      db_, [](store::ReadTransaction& tx) { return tx.settings().RolesVersion(); },
      [&promise](Result<int64_t> r) { promise.set_value(std::move(r)); });
  auto version = promise.get_future().get();
  if (!version) return version.error();
  if (*version == Current()->version()) return {};
  return Load();
}

void PermissionAuthority::Publish(std::shared_ptr<const domain::RoleTable> table) {
  std::lock_guard lock(mu_);
  if (table && table->version() > table_->version()) table_ = std::move(table);
}

std::shared_ptr<const domain::RoleTable> PermissionAuthority::Current() const {
  std::lock_guard lock(mu_);
  return table_;
}

}  // namespace orgd::service
