// Identifiers in Clerk's shape: `<prefix>_<27 base62 characters>` (BEHAVIOR.md §1.4).
//
// The 27 characters encode 20 bytes, big-endian: 6 bytes of milliseconds since the Unix epoch,
// then 14 random bytes. Fixed-width base62 keeps byte order, so IDs sort by creation time to the
// millisecond (Clerk uses KSUIDs, which sort to the second; the SDKs never look inside an ID).
//
// Thread safety: IdGenerator implementations are safe to call from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace orgd {

inline constexpr size_t kIdBodyLength = 27;

// The prefixes orgd issues.
namespace id_prefix {
inline constexpr std::string_view kOrganization = "org";
inline constexpr std::string_view kImage = "img";
inline constexpr std::string_view kUser = "user";
inline constexpr std::string_view kMembership = "orgmem";
inline constexpr std::string_view kIdentification = "idn";  // an email address or phone number
inline constexpr std::string_view kInvitation = "orginv";
inline constexpr std::string_view kDomain = "orgdmn";
inline constexpr std::string_view kRole = "role";
inline constexpr std::string_view kPermission = "perm";
inline constexpr std::string_view kRequest = "req";
inline constexpr std::string_view kSession = "sess";
inline constexpr std::string_view kClient = "client";
inline constexpr std::string_view kSignInToken = "sit";
inline constexpr std::string_view kSigningKey = "ins";  // a JWKS kid, as Clerk spells them
}  // namespace id_prefix

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new identifier `<prefix>_<27 chars>`.
  virtual std::string New(std::string_view prefix) = 0;
};

class RandomIdGenerator final : public IdGenerator {
 public:
  // REQUIRES: `clock` outlives this generator.
  explicit RandomIdGenerator(const Clock& clock) : clock_(clock) {}
  std::string New(std::string_view prefix) override;

 private:
  const Clock& clock_;
};

// Encodes the 20 bytes of an ID body (6 bytes of milliseconds, 14 random) as 27 base62 chars.
std::string EncodeIdBody(int64_t millis, const uint8_t (&random14)[14]);

// True when `id` is `<prefix>_` followed by one or more [0-9A-Za-z] characters. Clerk's own IDs and
// imported ones may differ in length, so only the alphabet is checked.
bool LooksLikeId(std::string_view id, std::string_view prefix);

}  // namespace orgd
