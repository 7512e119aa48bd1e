// Lookups inside a store transaction that several services share, with the errors the API
// wants. Templates over the transaction type, so reads and writes use the same code.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "domain/errors.h"
#include "domain/organization.h"
#include "domain/user.h"
#include "store/user_store.h"

namespace orgd::service {

// The organization whose ID is `id`. Only GET /organizations/{id_or_slug} resolves slugs; every
// other route names an ID, so a slug there is not found.
template <class Transaction>
Result<domain::Organization> GetOrganizationById(Transaction& tx, std::string_view id) {
  auto org = tx.organizations().Get(id);
  if (!org) return org.error();
  if (org->id != id) return errors::NotFound("organization");
  return org;
}

// The user who has `email` (normalized) among their addresses, if any.
template <class Transaction>
Result<std::optional<domain::User>> UserWithEmail(Transaction& tx, const std::string& email) {
  store::UserListQuery query;
  query.limit = 1;
  query.filter.email_addresses = {email};
  auto users = tx.users().List(query);
  if (!users) return users.error();
  if (users->empty()) return std::optional<domain::User>();
  return std::optional<domain::User>(std::move(users->front()));
}

}  // namespace orgd::service
