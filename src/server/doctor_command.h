// `orgd doctor [serve flags]`: checks a configuration before (or while) it serves, and says what is
// wrong in plain words. It takes `orgd serve`'s flags and environment, and changes nothing: it
// applies no migration, makes no key and sends no email.
//
//   config      the flags as `orgd serve` would take them (keys, URLs, durations, limits)
//   store       the database answers; its migrations are the ones this build knows (not behind:
//               `orgd migrate`; not ahead: a newer orgd migrated it)
//   signing key a current key exists (else `orgd serve` makes one at start)
//   clock       the kernel says the clock is synchronized (NTP); on PostgreSQL, the node's clock
//               is within 2 s of the database server's (leases and token times depend on it)
//   listeners   --listen, --frontend-listen and --metrics-listen can be bound (or are in use, by
//               a running orgd perhaps)
//   smtp        the SMTP server accepts a connection (TLS too for smtps://), and the password
//               file is readable
//   webhooks    each enabled webhook endpoint's host resolves and accepts a connection from here,
//               at an address orgd is allowed to deliver to (--webhook-allow-private)
//
// Thread safety: runs on the calling thread.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "server/config.h"

namespace orgd::server {

struct DoctorCheck {
  enum class Status { kOk, kWarn, kFail, kSkip };
  std::string name;
  Status status = Status::kOk;
  std::string detail;  // plain words; never a secret
};

// Runs every check (a failed one does not stop the rest, except that the store's failure skips
// what needs the store).
std::vector<DoctorCheck> RunDoctor(const Config& config);

// Prints one line per check to `out`; returns the exit code: 1 when a check failed, else 0.
int PrintDoctor(const std::vector<DoctorCheck>& checks, std::FILE* out);

}  // namespace orgd::server
