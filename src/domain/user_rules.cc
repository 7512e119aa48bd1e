#include "domain/user_rules.h"

#include <algorithm>
#include <cctype>

#include "domain/errors.h"
#include "domain/text_rules.h"

namespace orgd::domain {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int64_t CountCodePoints(std::string_view s) {
  return std::count_if(s.begin(), s.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

bool ValidLocalPart(std::string_view local) {
  if (local.empty() || local.size() > 64) return false;
  return std::all_of(local.begin(), local.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != '@' && c != '"' && c != '(' && c != ')' && c != ',' &&
           c != ':' && c != ';' && c != '<' && c != '>' && c != '[' && c != ']' && c != '\\';
  });
}

bool ValidDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  size_t labels = 0;
  std::string_view last;
  while (true) {
    size_t dot = domain.find('.');
    std::string_view label = domain.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  return labels >= 2 && last.size() >= 2 &&
         std::all_of(last.begin(), last.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

}  // namespace

Result<std::string> NormalizeEmailAddress(std::string_view email, std::string_view param) {
  std::string lowered = Lower(Trim(email));
  size_t at = lowered.rfind('@');
  if (lowered.size() > 320 || at == std::string::npos ||
      !ValidLocalPart(std::string_view(lowered).substr(0, at)) ||
      !ValidDomain(std::string_view(lowered).substr(at + 1))) {
    return errors::ParamFormatInvalid(param,
                                      std::string(param) + " must be a valid email address.");
  }
  return lowered;
}

Result<std::string> NormalizeUsername(std::string_view username) {
  std::string lowered = Lower(Trim(username));
  auto length = CountCodePoints(lowered);
  if (length < kMinUsernameLength || length > kMaxUsernameLength) {
    return Error(ErrorCode::kInvalidArgument, "form_username_invalid_length",
                 "Username must be between 4 and 64 characters long.",
                 "Username must be between 4 and 64 characters long.", "username");
  }
  for (char c : lowered) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')) {
      return Error(ErrorCode::kInvalidArgument, "form_username_invalid_character",
                   "Username can only contain letters, numbers, '_', '-' and '.'.",
                   "Username can only contain letters, numbers, '_', '-' and '.'.", "username");
    }
  }
  return lowered;
}

Result<std::string> NormalizePhoneNumber(std::string_view phone, std::string_view param) {
  phone = Trim(phone);
  std::string out;
  bool ok = !phone.empty() && phone.front() == '+';
  for (size_t i = 1; ok && i < phone.size(); ++i) {
    char c = phone[i];
    if (c >= '0' && c <= '9') {
      out.push_back(c);
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      ok = false;
    }
  }
  if (!ok || out.size() < 8 || out.size() > 15 || out.front() == '0') {
    return errors::ParamFormatInvalid(
        param, std::string(param) + " must be a phone number in E.164 format, like +15555550100.");
  }
  return "+" + out;
}

Result<void> CheckUserTextField(std::string_view value, std::string_view param) {
  if (auto r = RefuseControlCharacters(value, param); !r) return r;
  if (CountCodePoints(value) > kMaxUserNameFieldLength) {
    return errors::ParamTooLong(param, kMaxUserNameFieldLength);
  }
  return {};
}

}  // namespace orgd::domain
