#include "service/signing_keys.h"

#include <boost/json/serialize.hpp>
#include <future>
#include <limits>

#include "domain/errors.h"
#include "service/authorization.h"
#include "service/transaction.h"
#include "store/store_errors.h"

namespace orgd::service {
namespace {

constexpr int64_t kPruneAfterMs = 24LL * 60 * 60 * 1000;

// A new key row: the key pair is made outside any transaction (it takes tens of milliseconds).
Result<domain::SigningKey> NewKeyRow(IdGenerator& ids, int64_t now) {
  auto key = RsaKey::Generate();
  if (!key) return key.error();
  domain::SigningKey row;
  row.kid = ids.New(id_prefix::kSigningKey);
  row.private_key_pem = (*key)->PrivatePem();
  row.public_key_pem = (*key)->PublicPem();
  row.created_at = now;
  return row;
}

// A key as the audit log keeps it: its id and times, never its private half.
std::string AuditSnapshot(const domain::SigningKey& k, std::optional<int64_t> retired_at) {
  return boost::json::serialize(boost::json::object{
      {"object", "signing_key"},
      {"kid", k.kid},
      {"created_at", k.created_at},
      {"retired_at", retired_at ? boost::json::value(*retired_at) : boost::json::value(nullptr)}});
}

// Appends the audit entry of a key change, by `job` (the system: a start-up or `orgd keys`).
Result<void> AuditKey(store::WriteTransaction& tx, const char* job, const char* action,
                      const domain::SigningKey& key, std::optional<std::string> before,
                      std::string after, int64_t now) {
  const WriteOrigin origin = WriteOrigin::From(RequestContext::ForSystem(job));
  Effects effects(origin);
  effects.Audit({.action = action,
                 .resource_type = "signing_key",
                 .resource_id = key.kid,
                 .organization_id = std::nullopt,
                 .before = std::move(before),
                 .after = std::move(after),
                 .created_at = now});
  return effects.AppendTo(tx);
}

}  // namespace

Result<PublicJwk> JwkFromPublicPem(const std::string& kid, const std::string& pem) {
  auto parts = RsaJwkFromPublicPem(pem);
  if (!parts) return errors::Internal("the stored public key of " + kid + " is unreadable");
  return PublicJwk{kid, std::move(parts->n), std::move(parts->e)};
}

SigningKeys::SigningKeys(store::Database& db, const Clock& clock)
    : db_(db), clock_(clock), ids_(clock) {}

std::shared_ptr<const RsaKey> SigningKeys::Cached(const std::string& kid) const {
  std::lock_guard lock(mu_);
  auto it = parsed_.find(kid);
  return it == parsed_.end() ? nullptr : it->second;
}

Result<std::shared_ptr<const RsaKey>> SigningKeys::Remember(const std::string& kid,
                                                            const std::string& pem) {
  auto key = RsaKey::FromPrivatePem(pem);
  if (!key) return errors::Internal("signing key " + kid + ": " + key.error().detail);
  std::lock_guard lock(mu_);
  return parsed_.try_emplace(kid, std::move(*key)).first->second;
}

Result<void> SigningKeys::EnsureCurrent() {
  auto current = store::ReadBlocking<std::optional<domain::SigningKey>>(
      db_, [](store::ReadTransaction& tx) { return tx.signing_keys().Current(); });
  if (!current) return current.error();
  if (*current) return {};
  auto row = NewKeyRow(ids_, clock_.NowMillis());
  if (!row) return row.error();
  std::promise<Result<void>> promise;
  store::WriteAsync<bool>(
      db_,
      [&row](store::WriteTransaction& tx) -> Result<bool> {
        auto existing = tx.signing_keys().Current();
        if (!existing) return existing.error();
        if (*existing) return false;  // another node's first start won
        if (auto r = tx.signing_keys().Insert(*row); !r) return r.error();
        if (auto r = AuditKey(tx, "first start", "signing_key.created", *row, std::nullopt,
                              AuditSnapshot(*row, std::nullopt), row->created_at);
            !r) {
          return r.error();
        }
        return true;
      },
      [&promise](Result<bool> r) {
        if (!r && r.error().store_reason == StoreReason::kUniqueViolation) {
          promise.set_value(Result<void>());  // raced with another node's insert
          return;
        }
        promise.set_value(r ? Result<void>() : Result<void>(r.error()));
      });
  return promise.get_future().get();
}

Result<std::string> SigningKeys::Rotate() {
  const int64_t now = clock_.NowMillis();
  auto row = NewKeyRow(ids_, now);
  if (!row) return row.error();
  std::promise<Result<std::string>> promise;
  store::WriteAsync<std::string>(
      db_,
      [&row, now](store::WriteTransaction& tx) -> Result<std::string> {
        auto& keys = tx.signing_keys();
        if (auto r = keys.Prune(now - kPruneAfterMs); !r) return r.error();
        auto current = keys.Current();
        if (!current) return current.error();
        if (auto r = keys.RetireCurrent(now); !r) return r.error();
        if (auto r = keys.Insert(*row); !r) return r.error();
        // Two entries: the current key retired, the new one made current.
        if (*current) {
          if (auto r = AuditKey(tx, "orgd keys rotate", "signing_key.retired", **current,
                                AuditSnapshot(**current, std::nullopt),
                                AuditSnapshot(**current, now), now);
              !r) {
            return r.error();
          }
        }
        if (auto r = AuditKey(tx, "orgd keys rotate", "signing_key.created", *row, std::nullopt,
                              AuditSnapshot(*row, std::nullopt), now);
            !r) {
          return r.error();
        }
        return row->kid;
      },
      [&promise](Result<std::string> r) { promise.set_value(std::move(r)); });
  return promise.get_future().get();
}

Result<std::vector<KeyInfo>> SigningKeys::List() {
  const int64_t now = clock_.NowMillis();
  // Every key: the published ones at a far-future "now" would drop the current one's peers, so
  // list with a grace wide enough to keep every retired key.
  auto keys =
      store::ReadBlocking<std::vector<domain::SigningKey>>(db_, [now](store::ReadTransaction& tx) {
        return tx.signing_keys().Published(now, std::numeric_limits<int64_t>::max() / 4);
      });
  if (!keys) return keys.error();
  std::vector<KeyInfo> out;
  for (const auto& k : *keys) {
    out.push_back({k.kid, k.public_key_pem, k.created_at, k.retired_at,
                   k.retired_at ? k.max_token_exp + kVerifierClockSkewMs : 0});
  }
  return out;
}

void SigningKeys::Jwks(const RequestContext& ctx, Callback<std::vector<PublicJwk>> done) {
  if (auto r = AuthorizeInstance(ctx.caller, Operation::kReadSigningKeys); !r) {
    return done(r.error());
  }
  Read<std::vector<PublicJwk>>(
      db_,
      [now = clock_.NowMillis()](store::ReadTransaction& tx) -> Result<std::vector<PublicJwk>> {
        auto keys = tx.signing_keys().Published(now, kVerifierClockSkewMs);
        if (!keys) return keys.error();
        std::vector<PublicJwk> out;
        for (const auto& k : *keys) {
          auto jwk = JwkFromPublicPem(k.kid, k.public_key_pem);
          if (!jwk) return jwk.error();
          out.push_back(std::move(*jwk));
        }
        return out;
      },
      std::move(done));
}

}  // namespace orgd::service
