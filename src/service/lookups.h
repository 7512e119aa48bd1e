// Lookups inside a store transaction that several services share, with the errors the API
// wants. Templates over the transaction type, so reads and writes use the same code.
#pragma once

#include <string_view>

#include "common/result.h"
#include "domain/errors.h"
#include "domain/organization.h"

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

}  // namespace orgd::service
