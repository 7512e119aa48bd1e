// Files the tools write that hold the store's data (backups, exports): created new, for their
// owner only, and made durable before a tool reports them done.
#pragma once

#include <string>

#include "common/result.h"

namespace orgd::server {

// Creates `path` as a new, empty file with mode 0600 and returns its descriptor (the caller closes
// it). Refuses an existing file (kAlreadyExists), so that nothing is overwritten by mistake;
// other failures are kUnavailable with the system's reason.
Result<int> CreatePrivateFile(const std::string& path);

// fsyncs `path` and the directory that holds it, so that the file and its name survive a crash.
void SyncFileAndDirectory(const std::string& path);

}  // namespace orgd::server
