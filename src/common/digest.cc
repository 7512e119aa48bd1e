#include "common/digest.h"

#include <openssl/evp.h>

#include "common/hex.h"

namespace orgd {

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), digest, &n, EVP_sha256(), nullptr);
  return HexEncode(digest, n);
}

}  // namespace orgd
