// The filters on user attributes that GET /v1/users, /v1/users/count and the membership lists
// share: user_id[] (±), external_id[] (±), email_address[], phone_number[], username[],
// web3_wallet[], query, email_address_query, phone_number_query, username_query, name_query and
// the last-activity bounds.
#pragma once

#include "api/query_params.h"
#include "common/result.h"
#include "store/user_store.h"

namespace orgd::api {

// Reads the values as given; the services normalize them to their stored form
// (service/user_filter.h). Filters on things orgd users never have (web3 wallets, sign-in
// activity) match nobody.
// Errors: form_param_array_size_exceeded above 100 values; form_param_value_invalid for a
// malformed timestamp.
Result<store::UserFilter> ParseUserFilter(const QueryParams& params);

}  // namespace orgd::api
