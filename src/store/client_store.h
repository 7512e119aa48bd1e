// The Frontend API client part of a store transaction (implementation: store/sql). A client is
// found by its ID; the caller compares the credential's secret with secret_hash.
//
// Thread safety: a ClientReader/Writer belongs to one transaction and is used by one thread.
#pragma once

#include <string_view>

#include "common/result.h"
#include "domain/session.h"

namespace orgd::store {

class ClientReader {
 public:
  virtual ~ClientReader() = default;
  // kNotFound ("client") when no client has this ID.
  virtual Result<domain::Client> Get(std::string_view id) = 0;
};

class ClientWriter : public ClientReader {
 public:
  virtual Result<void> Insert(const domain::Client& client) = 0;
  // Overwrites last_active_session_id and updated_at. kNotFound when it does not exist.
  virtual Result<void> Update(const domain::Client& client) = 0;
};

}  // namespace orgd::store
