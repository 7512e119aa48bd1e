// The filters on user attributes (GET /v1/users, /v1/users/count, the membership lists) as the
// services apply them: the values a request names are compared with what the store holds, which
// is normalized (emails and usernames lowercased, phone numbers in E.164).
//
// Thread safety: pure functions.
#pragma once

#include "store/user_store.h"

namespace orgd::service {

// Rewrites the exact-match values of `filter` into their stored form. A value that cannot be
// normalized stays as given and so matches nobody (rather than failing the whole list).
void NormalizeUserFilter(store::UserFilter& filter);

}  // namespace orgd::service
