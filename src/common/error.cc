#include "common/error.h"

#include <stdexcept>

namespace orgd {

void throw_exception_from_error(const Error& e, const boost::source_location& loc) {
  throw std::logic_error("value() read from a failed Result at " + std::string(loc.file_name()) +
                         ":" + std::to_string(loc.line()) + ": " + e.clerk_code + ": " +
                         e.long_message + " " + e.detail);
}

}  // namespace orgd
