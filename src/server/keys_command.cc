#include "server/keys_command.h"

#include "common/clock.h"
#include "domain/errors.h"
#include "server/open_store.h"

namespace orgd::server {
namespace {

// Runs `use(keys)` against the store at `url`, then closes it.
template <class T, class Use>
Result<T> WithKeys(const std::string& url, Use use) {
  auto db = OpenStore(url, StoreOptions{.postgres_pool = 1});
  if (!db) return db.error();
  SystemClock clock;
  service::SigningKeys keys(**db, clock);
  Result<T> out = use(keys);
  (*db)->Close();
  return out;
}

}  // namespace

Result<std::string> RotateSigningKey(const std::string& database_url) {
  return WithKeys<std::string>(database_url,
                               [](service::SigningKeys& keys) { return keys.Rotate(); });
}

Result<std::vector<service::KeyInfo>> ListSigningKeys(const std::string& database_url) {
  return WithKeys<std::vector<service::KeyInfo>>(
      database_url, [](service::SigningKeys& keys) { return keys.List(); });
}

Result<std::string> SigningKeyPublicPem(const std::string& database_url,
                                        const std::optional<std::string>& kid) {
  return WithKeys<std::string>(
      database_url, [&kid](service::SigningKeys& keys) -> Result<std::string> {
        if (auto r = keys.EnsureCurrent(); !r) return r.error();
        auto all = keys.List();
        if (!all) return all.error();
        for (const auto& key : *all) {
          if (kid ? key.kid == *kid : !key.retired_at) return key.public_key_pem;
        }
        return errors::NotFound("signing key");
      });
}

}  // namespace orgd::server
