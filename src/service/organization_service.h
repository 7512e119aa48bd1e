// OrganizationService: the organization use cases behind the Backend API (and, later, the
// Frontend API). It authorizes the caller (service/authorization.h), validates commands with the
// domain rules, runs each change as one store transaction (service/transaction.h), and returns
// protocol-free outcomes; api/ turns them into HTTP. Each change records its webhook events in its
// transaction (service/event_payloads.h): organization.created (and organizationMembership.created
// for the creator), organization.updated for every other change (fields, metadata, logo), and
// organization.deleted.
//
// Thread safety: every method may be called from any thread; callbacks follow service/callback.h.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/executor.h"
#include "common/ids.h"
#include "domain/organization.h"
#include "media/image_processor.h"
#include "service/authorization.h"
#include "service/callback.h"
#include "service/event_payloads.h"
#include "service/permission_authority.h"
#include "service/request_context.h"
#include "store/database.h"

namespace orgd::service {

struct CreateOrganizationCommand {
  std::optional<std::string> name;  // required
  std::optional<std::string> slug;  // derived from the name when absent
  std::optional<std::string> created_by;
  std::optional<int64_t> max_allowed_memberships;      // >= 0; default: the instance settings
  std::optional<boost::json::value> public_metadata;   // an object; absent or null means {}
  std::optional<boost::json::value> private_metadata;  // an object; absent or null means {}
  std::optional<std::string> created_at;               // RFC 3339, for imports; default now
  std::optional<std::string> role_set_key;
};

struct UpdateOrganizationCommand {
  std::optional<std::string> name;
  std::optional<std::string> slug;
  std::optional<int64_t> max_allowed_memberships;
  std::optional<bool> admin_delete_enabled;
  std::optional<std::string> created_at;
  std::optional<std::string> role_set_key;
  // Replacement metadata, accepted only under API versions before 2026-05-12 (the api layer
  // refuses it for newer versions).
  std::optional<boost::json::value> public_metadata;
  std::optional<boost::json::value> private_metadata;
};

struct MetadataCommand {
  // Each present field is merged (MergeMetadata) or replaces the stored one (ReplaceMetadata).
  std::optional<boost::json::value> public_metadata;
  std::optional<boost::json::value> private_metadata;
};

struct LogoUpload {
  std::string bytes;
  std::optional<std::string> uploader_user_id;
};

// What a read of organizations adds to them.
struct OrganizationReadOptions {
  // Count each organization's pending invitations (Organization::pending_invitations_count), in
  // the same snapshot. Default: false (one query less per organization).
  bool count_pending_invitations = false;
};

struct DeletedOrganization {
  std::string id;
  std::string slug;
};

class OrganizationService {
 public:
  // Most bytes a logo upload may have (Clerk: 10 MB).
  static constexpr int64_t kMaxLogoBytes = 10 * 1024 * 1024;

  // REQUIRES: every argument outlives the service. `image_executor` runs image decoding;
  // `payloads` renders the events' data.
  OrganizationService(store::Database& db, const Clock& clock, IdGenerator& ids,
                      media::ImageProcessor& images, Executor& image_executor,
                      const PermissionAuthority& authority, const EventPayloads& payloads);

  // Every method authorizes `ctx.caller` first (service/authorization.h): a session user who is
  // no member gets 404 organization_not_found_or_unauthorized, a member without the permission
  // 403 missing_organization_permission, an instance-wide operation 403 authorization_invalid.

  // Creates an organization. Errors: kInvalidArgument for a missing or invalid name
  // (form_param_missing, form_param_max_length_exceeded, form_param_value_invalid), slug
  // (form_param_format_invalid), created_by (form_param_format_invalid),
  // max_allowed_memberships < 0, metadata over 8 KB (form_param_exceeds_allowed_size), created_at
  // not RFC 3339 (form_param_invalid_time), an unknown role_set_key; kAlreadyExists
  // (form_identifier_exists, param slug) when the given slug is taken. A slug derived from the
  // name gets a random suffix instead when taken.
  void Create(const RequestContext& ctx, CreateOrganizationCommand cmd,
              Callback<domain::Organization> done);

  // Returns the organization with this ID or slug, or kNotFound.
  void Get(const RequestContext& ctx, std::string id_or_slug, Callback<domain::Organization> done,
           OrganizationReadOptions options = {});

  // Lists organizations. REQUIRES: the query's limit and offset are in range (api validates).
  void List(const RequestContext& ctx, store::OrganizationListQuery query,
            Callback<store::Page<domain::Organization>> done, OrganizationReadOptions options = {});

  // Applies the present fields. Errors: kNotFound; the validation errors of Create for the fields
  // present; kAlreadyExists when the new slug is taken.
  void Update(const RequestContext& ctx, std::string id, UpdateOrganizationCommand cmd,
              Callback<domain::Organization> done);

  // Deletes the organization and everything it owns in one transaction. Errors: kNotFound.
  // Records organization.deleted only, not an organizationMembership.deleted per member: the
  // memberships and invitations go with the organization, and an app that receives
  // organization.deleted drops what it keeps of them (one event, however large the organization).
  void Delete(const RequestContext& ctx, std::string id, Callback<DeletedOrganization> done);

  // Deep-merges metadata (domain::DeepMergeMetadata). Errors: kNotFound; kInvalidArgument when a
  // field is not an object or the merged result exceeds 8 KB (nothing is stored then).
  void MergeMetadata(const RequestContext& ctx, std::string id, MetadataCommand cmd,
                     Callback<domain::Organization> done);

  // Replaces each present metadata field (an object, or null to store null). Errors: kNotFound;
  // kInvalidArgument when a field is neither an object nor null, or exceeds 8 KB.
  void ReplaceMetadata(const RequestContext& ctx, std::string id, MetadataCommand cmd,
                       Callback<domain::Organization> done);

  // Normalizes the image (off the calling thread) and makes it the logo, replacing any previous
  // one. Errors: kNotFound; kPayloadTooLarge (image_too_large) above kMaxLogoBytes; the
  // ImageProcessor's errors for files that are not supported images; kInvalidArgument for a
  // malformed uploader_user_id; kUnavailable when the image workers are saturated.
  void SetLogo(const RequestContext& ctx, std::string id, LogoUpload upload,
               Callback<domain::Organization> done);

  // Removes the logo (the organization shows its default image again). Errors: kNotFound.
  void DeleteLogo(const RequestContext& ctx, std::string id, Callback<domain::Organization> done);

 private:
  store::Database& db_;
  const Clock& clock_;
  IdGenerator& ids_;
  media::ImageProcessor& images_;
  Executor& image_executor_;
  const PermissionAuthority& authority_;
  const EventPayloads& payloads_;
};

}  // namespace orgd::service
