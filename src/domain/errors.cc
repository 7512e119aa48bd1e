#include "domain/errors.h"

#include <fmt/format.h>

namespace orgd::errors {

Error NotFound(std::string_view what) {
  return Error(ErrorCode::kNotFound, "resource_not_found", "not found",
               fmt::format("Given {} not found.", what));
}

bool IsNotFound(const Error& e, std::string_view what) {
  return e.code == ErrorCode::kNotFound && e.clerk_code == "resource_not_found" &&
         e.long_message == NotFound(what).long_message;
}

Error ParamMissing(std::string_view param) {
  return Error(ErrorCode::kInvalidArgument, "form_param_missing", "is missing",
               fmt::format("{} must be included.", param), std::string(param));
}

Error ParamInvalid(std::string_view param, std::string long_message) {
  return Error(ErrorCode::kInvalidArgument, "form_param_value_invalid", "is invalid",
               std::move(long_message), std::string(param));
}

Error ParamWrongType(std::string_view param, std::string_view received, std::string_view expected) {
  return ParamInvalid(param, fmt::format("{} is invalid. Received {}, must be of type {}.", param,
                                         received, expected));
}

Error ParamFormatInvalid(std::string_view param, std::string long_message) {
  return Error(ErrorCode::kInvalidArgument, "form_param_format_invalid", "is invalid",
               std::move(long_message), std::string(param));
}

Error ParamUnknown(std::string_view param) {
  return Error(ErrorCode::kInvalidArgument, "form_param_unknown", "is unknown",
               fmt::format("{} is not a valid parameter for this request.", param),
               std::string(param));
}

Error ParamTooLong(std::string_view param, int64_t max_chars) {
  return Error(
      ErrorCode::kInvalidArgument, "form_param_max_length_exceeded", "exceeds maximum length",
      fmt::format("{} should not exceed {} characters.", param, max_chars), std::string(param));
}

Error ParamTooLarge(std::string_view param, int64_t max_bytes) {
  std::string sentence =
      fmt::format("The given {} exceeds the maximum allowed size of {} bytes ({} KB).", param,
                  max_bytes, max_bytes / 1024);
  return Error(ErrorCode::kInvalidArgument, "form_param_exceeds_allowed_size", sentence, sentence,
               std::string(param));
}

Error ParamInvalidTime(std::string_view param) {
  return Error(ErrorCode::kInvalidArgument, "form_param_invalid_time", "invalid format",
               fmt::format("{} must contain a datetime specified in RFC3339 format (e.g. "
                           "`2022-10-20T10:00:27.645Z`).",
                           param),
               std::string(param));
}

Error IdentifierExists(std::string_view param, std::string long_message) {
  return Error(ErrorCode::kAlreadyExists, "form_identifier_exists", "already exists",
               std::move(long_message), std::string(param));
}

Error AlreadyMember(std::string_view user_id) {
  return Error(ErrorCode::kFailedPrecondition, "already_a_member_in_organization",
               "already a member",
               fmt::format("{} is already a member of the organization.", user_id));
}

Error MembershipQuotaExceeded(int64_t max_allowed_memberships) {
  return Error(ErrorCode::kPermissionDenied, "organization_membership_quota_exceeded",
               "membership quota exceeded",
               fmt::format("You have reached your limit of {} organization memberships, including "
                           "outstanding invitations.",
                           max_allowed_memberships));
}

Error MinimumPermissionsNeeded() {
  return Error(ErrorCode::kFailedPrecondition, "organization_minimum_permissions_needed",
               "minimum permissions needed",
               "There has to be at least one organization member with the minimum required "
               "permissions (a member with the admin role).");
}

Error CreatorNotFound(std::string_view user_id) {
  return Error(
      ErrorCode::kFailedPrecondition, "organization_creator_not_found", "creator not found",
      fmt::format("The user {} given as created_by was not found.", user_id), "created_by");
}

Error OrganizationsDisabled() {
  return Error(ErrorCode::kPermissionDenied, "organization_not_enabled_in_instance",
               "organizations not enabled",
               "The organizations feature is not enabled for your instance.");
}

Error SlugsDisabled() {
  return Error(ErrorCode::kPermissionDenied, "organization_slugs_disabled",
               "organization slugs are disabled",
               "Organization slugs are disabled for this instance.", "slug");
}

Error SystemPermissionNotModifiable() {
  return Error(ErrorCode::kPermissionDenied, "organization_system_permission_not_modifiable",
               "system permission not modifiable", "System permissions cannot be modified.");
}

Error RoleAssignedToMembers() {
  return Error(ErrorCode::kInvalidArgument, "organization_role_assigned_members",
               "role assigned to members",
               "The role cannot be deleted because it is assigned to organization members.");
}

Error RoleIsCreatorRole() {
  return Error(ErrorCode::kInvalidArgument, "organization_role_default_creator_role",
               "role is the creator role",
               "The role cannot be deleted because it is the creator role of the instance.");
}

Error RoleIsDomainDefaultRole() {
  return Error(ErrorCode::kInvalidArgument, "organization_role_domain_default_role",
               "role is the domain default role",
               "The role cannot be deleted because it is the default role for domains.");
}

Error RolePermissionExists() {
  return Error(ErrorCode::kConflict, "organization_role_permission_association_exists",
               "permission already assigned", "The role already has this permission.");
}

Error RolePermissionNotFound() {
  return Error(ErrorCode::kNotFound, "organization_role_permission_association_not_found",
               "permission not assigned", "The role does not have this permission.");
}

Error RolesQuotaExceeded(int64_t max_roles) {
  return Error(
      ErrorCode::kPermissionDenied, "organization_instance_roles_quota_exceeded",
      "roles quota exceeded",
      fmt::format("You have reached your limit of {} roles for this instance.", max_roles));
}

Error CreatorRoleMissingPermissions() {
  return Error(ErrorCode::kInvalidArgument, "organization_missing_creator_role_permissions",
               "creator role lacks permissions",
               "The creator role must have the org:sys_memberships:manage, "
               "org:sys_memberships:read and org:sys_profile:delete permissions.",
               "creator_role_id");
}

Error RequestBodyInvalid(std::string long_message) {
  if (long_message.empty()) {
    long_message =
        "The request body is invalid. Please consult the API documentation for more information.";
  }
  return Error(ErrorCode::kBadRequest, "request_body_invalid", "Request body invalid",
               std::move(long_message));
}

Error RequestBodyTooLarge(int64_t max_bytes) {
  return Error(
      ErrorCode::kPayloadTooLarge, "request_body_too_large", "Request body too large",
      fmt::format("The request body exceeds the maximum allowed size of {} bytes.", max_bytes));
}

Error ImageTooLarge(int64_t max_bytes) {
  return Error(ErrorCode::kPayloadTooLarge, "image_too_large", "Image too large",
               fmt::format("The image exceeds the maximum allowed size of {} bytes ({} MB).",
                           max_bytes, max_bytes / (1024 * 1024)),
               "file");
}

Error ImageMissing() {
  return Error(ErrorCode::kBadRequest, "form_param_missing", "Image file missing",
               "There was no image file present in the request", "file");
}

Error UnsupportedContentType(std::string_view actual, std::string_view expected) {
  return Error(ErrorCode::kUnsupportedMediaType, "unsupported_content_type",
               "Content-Type is unsupported",
               fmt::format("Content-Type {} is unsupported. You should use {} instead.",
                           actual.empty() ? std::string_view("(none)") : actual, expected));
}

Error Unavailable(std::string detail) {
  return Error(ErrorCode::kUnavailable, "service_unavailable", "Service unavailable",
               "The service cannot handle the request right now. Please retry shortly.", {},
               std::move(detail));
}

Error Internal(std::string detail) {
  return Error(ErrorCode::kInternal, "internal_clerk_error", "Oops, an unexpected error occurred",
               "There was an internal error on our servers. We've been notified and are working "
               "on fixing it.",
               {}, std::move(detail));
}

Error TooManyRequests() {
  return Error(ErrorCode::kResourceExhausted, "too_many_requests", "Too many requests",
               "Too many requests, retry later");
}

Error AuthorizationInvalid() {
  return Error(ErrorCode::kPermissionDenied, "authorization_invalid", "Unauthorized request",
               "You are not authorized to perform this request.");
}

Error OrganizationNotFoundOrUnauthorized() {
  return Error(ErrorCode::kNotFound, "organization_not_found_or_unauthorized",
               "Organization not found or unauthorized",
               "The organization does not exist, or you are not a member of it.");
}

Error MissingOrganizationPermission(std::string_view permission) {
  return Error(
      ErrorCode::kPermissionDenied, "missing_organization_permission", "Missing permission",
      fmt::format("You need the {} permission in this organization to do this.", permission));
}

Error InvitationNotUnique() {
  return Error(ErrorCode::kFailedPrecondition, "organization_invitation_not_unique",
               "Duplicate invitation",
               "There is already a pending invitation for this email address.", "email_address");
}

Error NotAnAdmin(std::string_view param) {
  return Error(ErrorCode::kPermissionDenied, "not_an_admin_in_organization", "Not an administrator",
               "The given user is not an administrator in the organization.", std::string(param));
}

Error InvitationNotPending() {
  return Error(ErrorCode::kNotFound, "organization_invitation_not_pending",
               "Invitation not pending", "Only a pending invitation can be revoked.");
}

Error RoleExistsInInvitations() {
  return Error(ErrorCode::kInvalidArgument, "organization_role_exists_in_invitations",
               "Role used in invitations",
               "The role cannot be deleted while pending invitations offer it.");
}

Error InvitationRevoked() {
  return Error(ErrorCode::kFailedPrecondition, "organization_invitation_revoked_code",
               "Invitation revoked", "This invitation was revoked.");
}

Error InvitationAlreadyAccepted() {
  return Error(ErrorCode::kFailedPrecondition, "organization_invitation_already_accepted",
               "Invitation already accepted", "This invitation has already been accepted.");
}

Error InvitationExpired() {
  return Error(ErrorCode::kFailedPrecondition, "organization_invitation_expired",
               "Invitation expired", "This invitation has expired.");
}

Error TicketInvalid() {
  return Error(ErrorCode::kFailedPrecondition, "ticket_invalid_code", "is invalid",
               "This ticket is invalid. Make sure you're using a valid ticket.", "ticket");
}

Error TicketExpired() {
  return Error(ErrorCode::kFailedPrecondition, "ticket_expired_code", "is expired",
               "This ticket has expired and cannot be used anymore.", "ticket");
}

Error SignInTokenRevoked() {
  return Error(ErrorCode::kFailedPrecondition, "sign_in_token_revoked_code", "is revoked",
               "This sign in token has been revoked and cannot be used anymore.", "ticket");
}

Error SignInTokenAlreadyUsed() {
  return Error(ErrorCode::kFailedPrecondition, "sign_in_token_already_used_code", "is already used",
               "This sign in token has already been used. Each token can only be used once.",
               "ticket");
}

Error SignInTokenCannotBeRevoked(std::string_view status) {
  return Error(ErrorCode::kFailedPrecondition, "sign_in_token_cannot_be_revoked_code",
               "cannot be revoked",
               "Sign in token cannot be revoked because its status is " + std::string(status) +
                   ". Only pending tokens can be revoked.");
}

Error SessionNotActive(std::string_view session_id, std::string_view status) {
  return Error(ErrorCode::kUnauthenticated, "authentication_invalid", "Invalid authentication",
               "Session " + std::string(session_id) + " is " + std::string(status) +
                   ", not active: it cannot issue tokens.");
}

Error InvalidActionForSession(std::string_view action, std::string_view session_id) {
  return Error(ErrorCode::kFailedPrecondition, "invalid_action_for_session",
               "Invalid action for user session",
               "Unable to " + std::string(action) + " session " + std::string(session_id) + ".");
}

Error JwtTemplateNotFound(std::string_view name) {
  return Error(ErrorCode::kNotFound, "resource_not_found", "not found",
               "No JWT template exists with name: " + std::string(name) + ".");
}

Error NotAMemberInOrganization(std::string_view param) {
  return Error(ErrorCode::kPermissionDenied, "not_a_member_in_organization", "not a member",
               "The user is not a member of the organization.", std::string(param));
}

Error DomainsNotEnabled() {
  return Error(ErrorCode::kPermissionDenied, "organization_domains_not_enabled",
               "Domains not enabled", "Organization domains are not enabled for this instance.");
}

Error EnrollmentModeNotEnabled(std::string_view mode) {
  return Error(ErrorCode::kPermissionDenied, "organization_domain_enrollment_mode_not_enabled",
               "Enrollment mode not enabled",
               fmt::format("The enrollment mode {} is not enabled for this instance.", mode),
               "enrollment_mode");
}

Error DomainQuotaExceeded(int64_t max) {
  return Error(ErrorCode::kPermissionDenied, "organization_domain_quota_exceeded",
               "Domain quota exceeded",
               fmt::format("An organization can have at most {} domains.", max));
}

Error DomainAlreadyExists() {
  return Error(ErrorCode::kInvalidArgument, "organization_domain_already_exists",
               "Domain already exists", "This domain is already verified by another organization.",
               "name");
}

Error DomainExistsInOrganization() {
  return Error(ErrorCode::kInvalidArgument, "organization_domain_already_exists_same_organization",
               "Domain already exists", "This organization already has this domain.", "name");
}

Error DomainMismatch() {
  return Error(ErrorCode::kInvalidArgument, "organization_domain_mismatch", "Domain mismatch",
               "The email address must be at the organization domain.",
               "affiliation_email_address");
}

Error CodeIncorrect() {
  return Error(ErrorCode::kInvalidArgument, "form_code_incorrect", "is incorrect", "Incorrect code",
               "code");
}

Error VerificationFailed() {
  return Error(ErrorCode::kInvalidArgument, "verification_failed", "Too many failed attempts",
               "Too many failed attempts: prepare the verification again.", "code");
}

Error VerificationExpired() {
  return Error(ErrorCode::kInvalidArgument, "verification_expired", "Verification expired",
               "The verification expired: prepare it again.", "code");
}

Error VerificationMissing() {
  return Error(ErrorCode::kFailedPrecondition, "verification_missing", "Verification missing",
               "Prepare the verification first.");
}

Error TxtRecordNotFound(std::string_view name) {
  return Error(ErrorCode::kInvalidArgument, "organization_domain_txt_record_not_found",
               "TXT record not found",
               fmt::format("No TXT record at {} holds the verification value.", name));
}

Error SuggestionAlreadyAccepted() {
  return Error(ErrorCode::kFailedPrecondition, "organization_suggestion_already_accepted",
               "Suggestion already accepted", "This organization suggestion was already accepted.");
}

Error RequestNotPending() {
  return Error(ErrorCode::kFailedPrecondition, "organization_membership_request_not_pending",
               "Request not pending", "This membership request is no longer pending.");
}

Error OriginInvalid() {
  return Error(ErrorCode::kPermissionDenied, "origin_invalid", "Invalid origin",
               "The request's Origin is not one this instance allows.");
}

Error SignedOut() {
  return Error(ErrorCode::kUnauthenticated, "signed_out", "Signed out", "You are signed out.");
}

Error SessionExists() {
  return Error(ErrorCode::kFailedPrecondition, "session_exists", "Session already exists",
               "You're already signed in.");
}

Error StrategyNotEnabled(std::string_view strategy) {
  return Error(ErrorCode::kInvalidArgument, "strategy_for_user_invalid",
               "Invalid verification strategy",
               fmt::format("The strategy {} is not enabled for this instance: orgd signs in and "
                           "up with strategy ticket only.",
                           strategy),
               "strategy");
}

Error AdminDeleteNotEnabled() {
  return Error(ErrorCode::kPermissionDenied, "organization_admin_delete_not_enabled",
               "Organization deletion not enabled",
               "Deleting this organization by its members is not enabled.");
}

Error CreateOrganizationNotEnabled() {
  return Error(ErrorCode::kPermissionDenied, "user_create_organization_not_enabled",
               "Organization creation not enabled", "You are not allowed to create organizations.");
}

Error OrganizationCreationLimitExceeded(int64_t limit) {
  return Error(ErrorCode::kPermissionDenied, "org_creation_limit_exceeded",
               "Organization creation limit exceeded",
               fmt::format("You have reached your limit of {} organizations.", limit));
}

}  // namespace orgd::errors
