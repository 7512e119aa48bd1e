// Fuzzes what goes into the tokens orgd signs and the secrets it decodes (orgd parses no JWT: it
// only signs them, see api_headers_fuzzer.cc): base64 and base64url (common/base64.h: a JWT's
// segments, webhook secrets) and the permission claims fea/per/fpm of a session token
// (domain/org_claims.h).
//
// Input: any bytes for the base64 checks; its lines, as permission keys, for the claims.
//
// Invariants: Base64Decode accepts exactly padded standard base64 (length a multiple of 4, the
// 64 letters, one or two '=' only at the end) and returns what a plain decoder writes; both
// encoders give RFC 4648 text that decodes back to the bytes; the claims of the keys that
// ValidatePermissionKey accepts decode back, as @clerk/backend reads them, to exactly those keys,
// with features and actions sorted and unique.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/base64.h"
#include "domain/org_claims.h"
#include "domain/roles.h"
#include "fuzz_check.h"

namespace orgd::fuzz {
namespace {

constexpr std::string_view kStandard =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrl =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// RFC 4648 §4 (`alphabet` kStandard, padded) or §5 (kUrl, unpadded): nullopt for anything else.
// Pad bits may be non-zero, as OpenSSL allows (§3.5 lets a decoder accept them).
std::optional<std::string> Decode(std::string_view text, std::string_view alphabet, bool padded) {
  size_t pad = 0;
  if (padded) {
    if (text.size() % 4 != 0) return std::nullopt;
    while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
    text.remove_suffix(pad);
  } else if (text.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const size_t v = alphabet.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (padded && pad > 0 && text.size() % 4 != 4 - pad) return std::nullopt;
  return out;
}

void CheckBase64(std::string_view bytes) {
  const std::string standard = Base64Encode(bytes);
  ORGD_FUZZ_CHECK(standard.size() == (bytes.size() + 2) / 3 * 4);
  ORGD_FUZZ_CHECK(Decode(standard, kStandard, true) == std::string(bytes));
  ORGD_FUZZ_CHECK(Base64Decode(standard) == std::string(bytes));

  const std::string url = Base64UrlEncode(bytes);
  ORGD_FUZZ_CHECK(url.size() == (bytes.size() * 4 + 2) / 3);
  ORGD_FUZZ_CHECK(Decode(url, kUrl, false) == std::string(bytes));
  // The same text as the standard alphabet's, with the two letters swapped and no padding.
  std::string swapped = standard;
  while (!swapped.empty() && swapped.back() == '=') swapped.pop_back();
  std::replace(swapped.begin(), swapped.end(), '+', '-');
  std::replace(swapped.begin(), swapped.end(), '/', '_');
  ORGD_FUZZ_CHECK(url == swapped);

  // Anything else: decoded exactly when it is padded standard base64.
  ORGD_FUZZ_CHECK(Base64Decode(bytes) == Decode(bytes, kStandard, true));
}

// The decimal string `d` as bits, least significant first.
std::vector<bool> Bits(std::string digits) {
  std::vector<bool> bits;
  while (!(digits.empty() || digits == "0")) {
    int carry = 0;
    std::string half;
    for (char c : digits) {
      const int v = carry * 10 + (c - '0');
      if (!half.empty() || v / 2 != 0) half.push_back(static_cast<char>('0' + v / 2));
      carry = v % 2;
    }
    bits.push_back(carry == 1);
    digits = half;
  }
  return bits;
}

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  for (size_t comma; (comma = s.find(',', start)) != std::string::npos; start = comma + 1) {
    out.push_back(s.substr(start, comma - start));
  }
  out.push_back(s.substr(start));
  return out;
}

void CheckClaims(const std::vector<std::string>& lines) {
  // Malformed or system keys are left out, whatever they hold.
  (void)domain::EncodeOrgPermissions(lines);

  std::vector<std::string> valid;
  for (const std::string& key : lines) {
    if (domain::ValidatePermissionKey(key)) valid.push_back(key);
  }
  const domain::OrgPermissionClaims claims = domain::EncodeOrgPermissions(valid);
  const std::vector<std::string> features = Split(claims.fea);
  const std::vector<std::string> actions = Split(claims.per);
  const std::vector<std::string> masks = Split(claims.fpm);
  ORGD_FUZZ_CHECK(features.size() == masks.size());
  ORGD_FUZZ_CHECK(valid.empty() == features.empty() && features.empty() == actions.empty());
  ORGD_FUZZ_CHECK(std::adjacent_find(features.begin(), features.end(), std::greater_equal<>()) ==
                  features.end());
  ORGD_FUZZ_CHECK(std::adjacent_find(actions.begin(), actions.end(), std::greater_equal<>()) ==
                  actions.end());
  std::set<std::string> decoded;
  for (size_t i = 0; i < features.size(); ++i) {
    ORGD_FUZZ_CHECK(features[i].starts_with("o:"));
    ORGD_FUZZ_CHECK(!masks[i].empty() &&
                    masks[i].find_first_not_of("0123456789") == std::string::npos);
    ORGD_FUZZ_CHECK(masks[i] == "0" || masks[i].front() != '0');
    const std::vector<bool> bits = Bits(masks[i]);
    ORGD_FUZZ_CHECK(!bits.empty() && bits.size() <= actions.size());  // every feature grants
    for (size_t j = 0; j < bits.size(); ++j) {
      if (bits[j]) decoded.insert("org:" + features[i].substr(2) + ":" + actions[j]);
    }
  }
  ORGD_FUZZ_CHECK(decoded == std::set<std::string>(valid.begin(), valid.end()));
}

}  // namespace
}  // namespace orgd::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace orgd;
  using namespace orgd::fuzz;
  std::string_view in = AsText(data, size);
  CheckBase64(in);
  std::vector<std::string> lines;
  while (!in.empty()) lines.emplace_back(TakeLine(in));
  CheckClaims(lines);
  return 0;
}
