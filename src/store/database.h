// Database: the store as the service layer sees it: transactions, run asynchronously.
//
// Work is handed over as a function of a transaction. A read runs in a consistent snapshot; a
// write runs in a transaction of its own, and its `done` callback fires only once that
// transaction is durable (or has failed). Implementations choose where the work runs (SQLite runs
// reads inline and writes on one writer thread with group commit, store/sqlite/sqlite_database.h;
// PostgreSQL runs both on a pool of connections, store/postgres/postgres_database.h), so the work
// must not block on anything but the store, must not call back into the Database, and may be run
// more than once (the PostgreSQL store retries on serialization failures, each time on a fresh copy
// of `work`, so an attempt never sees what an aborted one left in its captures): keep it free of
// side effects outside the transaction.
//
// Thread safety: Read() and Write() may be called from any thread. Callbacks run on a store
// thread or inline on the calling thread; they must not block.
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "common/result.h"
#include "store/audit_store.h"
#include "store/client_store.h"
#include "store/domain_store.h"
#include "store/image_store.h"
#include "store/invitation_store.h"
#include "store/job_store.h"
#include "store/membership_store.h"
#include "store/organization_store.h"
#include "store/outbox_store.h"
#include "store/role_store.h"
#include "store/session_store.h"
#include "store/sign_in_token_store.h"
#include "store/signing_key_store.h"
#include "store/user_store.h"
#include "store/webhook_store.h"

namespace orgd::store {

class ReadTransaction {
 public:
  virtual ~ReadTransaction() = default;
  virtual OrganizationReader& organizations() = 0;
  virtual UserReader& users() = 0;
  virtual MembershipReader& memberships() = 0;
  virtual RoleReader& roles() = 0;
  virtual PermissionReader& permissions() = 0;
  virtual SettingsReader& settings() = 0;
  virtual ImageReader& images() = 0;
  virtual JobReader& jobs() = 0;
  virtual OutboxReader& outbox() = 0;
  virtual InvitationReader& invitations() = 0;
  virtual SessionReader& sessions() = 0;
  virtual SignInTokenReader& sign_in_tokens() = 0;
  virtual SigningKeyReader& signing_keys() = 0;
  virtual WebhookReader& webhooks() = 0;
  virtual ClientReader& clients() = 0;
  virtual DomainReader& domains() = 0;
  virtual AuditReader& audit() = 0;
  // Runs a trivial query. Returns kUnavailable when the database cannot answer.
  virtual Result<void> Ping() = 0;
};

class WriteTransaction {
 public:
  virtual ~WriteTransaction() = default;
  virtual OrganizationWriter& organizations() = 0;
  virtual UserWriter& users() = 0;
  virtual MembershipWriter& memberships() = 0;
  virtual RoleWriter& roles() = 0;
  virtual PermissionWriter& permissions() = 0;
  virtual SettingsWriter& settings() = 0;
  virtual ImageWriter& images() = 0;
  virtual JobWriter& jobs() = 0;
  virtual OutboxWriter& outbox() = 0;
  virtual InvitationWriter& invitations() = 0;
  virtual SessionWriter& sessions() = 0;
  virtual SignInTokenWriter& sign_in_tokens() = 0;
  virtual SigningKeyWriter& signing_keys() = 0;
  virtual WebhookWriter& webhooks() = 0;
  virtual ClientWriter& clients() = 0;
  virtual DomainWriter& domains() = 0;
  virtual AuditWriter& audit() = 0;
};

class Database {
 public:
  virtual ~Database() = default;

  // Runs `work` in a read transaction (one consistent snapshot) and passes its result to `done`.
  // `done` receives kUnavailable instead when no connection can be had.
  virtual void Read(std::function<Result<void>(ReadTransaction&)> work,
                    std::function<void(Result<void>)> done) = 0;

  // Runs `work` in a write transaction. When `work` returns an error, everything it wrote is
  // rolled back and `done` receives that error. Work must return the error of a statement that
  // failed rather than carry on: PostgreSQL aborts the transaction at the failure, so there
  // nothing is committed and `done` receives kInternal (SQLite would commit the rest). Otherwise
  // `done` receives success once the transaction is committed durably, or kUnavailable/kInternal
  // when the commit failed (then nothing `work` wrote persists).
  virtual void Write(std::function<Result<void>(WriteTransaction&)> work,
                     std::function<void(Result<void>)> done) = 0;

  // As Write, for work that contends with other writes carrying the same `key` (the writes to one
  // organization's memberships all update its member count): a store that runs writes
  // concurrently runs those one after another instead of letting them collide and retry. A store
  // with a single writer (SQLite) needs nothing more than Write.
  virtual void WriteContended(std::string key, std::function<Result<void>(WriteTransaction&)> work,
                              std::function<void(Result<void>)> done) {
    Write(std::move(work), std::move(done));
  }

  // Stops accepting work, finishes what is queued, and closes every connection. Idempotent.
  virtual void Close() = 0;

  // Registers `changed`, called (on a store thread, never concurrently with itself) when another
  // process sharing this database may have changed state that processes keep in memory (the
  // roles behind service::PermissionAuthority), and periodically and after a reconnect, when
  // such news may have been missed. A store that one process owns alone (SQLite) never calls it.
  // Call before the first Read/Write; at most once.
  virtual void OnSharedStateChanged(std::function<void()> changed) {}
};

// Typed conveniences over Database::Read/Write: `work` returns Result<T>, `done` receives it.
namespace internal {

template <class T, class Tx, class Work, class Done, class Run>
void RunTyped(Run run, Work work, Done done) {
  auto out = std::make_shared<std::optional<Result<T>>>();
  run(
      [work = std::move(work), out](Tx& tx) mutable -> Result<void> {
        Result<T> r = work(tx);
        if (!r) return r.error();
        out->emplace(std::move(r));
        return {};
      },
      [out, done = std::move(done)](Result<void> status) mutable {
        if (!status) {
          done(Result<T>(status.error()));
        } else {
          done(std::move(**out));
        }
      });
}

}  // namespace internal

template <class T, class Work, class Done>
void ReadAsync(Database& db, Work work, Done done) {
  internal::RunTyped<T, ReadTransaction>(
      [&db](auto w, auto d) { db.Read(std::move(w), std::move(d)); }, std::move(work),
      std::move(done));
}

template <class T, class Work, class Done>
void WriteAsync(Database& db, Work work, Done done) {
  internal::RunTyped<T, WriteTransaction>(
      [&db](auto w, auto d) { db.Write(std::move(w), std::move(d)); }, std::move(work),
      std::move(done));
}

// ReadAsync that waits for the answer: for threads that may block (the jobs thread, tools), never
// for I/O threads.
template <class T, class Work>
Result<T> ReadBlocking(Database& db, Work work) {
  std::promise<Result<T>> promise;
  auto future = promise.get_future();
  ReadAsync<T>(db, std::move(work), [&promise](Result<T> r) { promise.set_value(std::move(r)); });
  return future.get();
}

// WriteAsync for work that contends on `key` (Database::WriteContended).
template <class T, class Work, class Done>
void WriteAsync(Database& db, std::string key, Work work, Done done) {
  internal::RunTyped<T, WriteTransaction>(
      [&db, key = std::move(key)](auto w, auto d) mutable {
        db.WriteContended(std::move(key), std::move(w), std::move(d));
      },
      std::move(work), std::move(done));
}

}  // namespace orgd::store
