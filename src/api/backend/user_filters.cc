#include "api/backend/user_filters.h"

namespace orgd::api {

Result<store::UserFilter> ParseUserFilter(const QueryParams& params) {
  store::UserFilter f;
  auto ids = ParseSignedList(params, "user_id");
  if (!ids) return ids.error();
  f.include_user_ids = std::move(ids->include);
  f.exclude_user_ids = std::move(ids->exclude);
  auto external = ParseSignedList(params, "external_id");
  if (!external) return external.error();
  f.include_external_ids = std::move(external->include);
  f.exclude_external_ids = std::move(external->exclude);
  auto emails = ParseList(params, "email_address");
  if (!emails) return emails.error();
  f.email_addresses = std::move(*emails);
  auto phones = ParseList(params, "phone_number");
  if (!phones) return phones.error();
  f.phone_numbers = std::move(*phones);
  auto usernames = ParseList(params, "username");
  if (!usernames) return usernames.error();
  f.usernames = std::move(*usernames);
  auto wallets = ParseList(params, "web3_wallet");
  if (!wallets) return wallets.error();
  if (!wallets->empty()) f.match_nothing = true;  // orgd users have no web3 wallets
  for (auto [key, field] :
       {std::pair{"query", &f.query}, std::pair{"email_address_query", &f.email_address_query},
        std::pair{"phone_number_query", &f.phone_number_query},
        std::pair{"username_query", &f.username_query}, std::pair{"name_query", &f.name_query}}) {
    if (auto v = params.Get(key); v && !v->empty()) *field = std::string(*v);
  }
  // Nobody here has signed in or been active: a bound on those times matches nobody.
  for (const char* key :
       {"last_active_at_before", "last_active_at_after", "last_active_at_since"}) {
    auto v = ParseMillis(params, key);
    if (!v) return v.error();
    if (*v) f.match_nothing = true;
  }
  return f;
}

}  // namespace orgd::api
