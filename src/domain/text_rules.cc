#include "domain/text_rules.h"

#include <fmt/format.h>

#include "domain/errors.h"

namespace orgd::domain {

bool ContainsControlCharacter(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) return true;
    // C1 controls are the two-byte sequences C2 80 to C2 9F.
    if (c == 0xC2 && i + 1 < text.size()) {
      unsigned char next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

Result<void> RefuseControlCharacters(std::string_view text, std::string_view param) {
  if (!ContainsControlCharacter(text)) return {};
  return errors::ParamFormatInvalid(
      param, fmt::format("{} must not contain control characters (U+0000 to U+001F, U+007F, "
                         "U+0080 to U+009F).",
                         param));
}

}  // namespace orgd::domain
