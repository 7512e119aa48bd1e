// The Clerk errors orgd returns, one factory each, so codes and wording live in one place.
// Codes, statuses and messages follow Clerk's error catalogue (BEHAVIOR.md §1.8).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace orgd::errors {

// 404 resource_not_found. `what` names the resource in the long message ("organization").
Error NotFound(std::string_view what);
// True for NotFound(what), however it was made (a service's check or a store's kNotFound).
bool IsNotFound(const Error& e, std::string_view what);
// 422 form_param_missing for a required parameter.
Error ParamMissing(std::string_view param);
// 422 form_param_value_invalid with a custom sentence.
Error ParamInvalid(std::string_view param, std::string long_message);
// 422 form_param_value_invalid for a JSON value of the wrong type ("must be of type string").
Error ParamWrongType(std::string_view param, std::string_view received, std::string_view expected);
// 422 form_param_format_invalid with a custom sentence.
Error ParamFormatInvalid(std::string_view param, std::string long_message);
// 422 form_param_unknown for a parameter the endpoint does not take.
Error ParamUnknown(std::string_view param);
// 422 form_param_max_length_exceeded.
Error ParamTooLong(std::string_view param, int64_t max_chars);
// 422 form_param_exceeds_allowed_size (metadata over its byte budget).
Error ParamTooLarge(std::string_view param, int64_t max_bytes);
// 422 form_param_invalid_time for a value that is not RFC 3339.
Error ParamInvalidTime(std::string_view param);
// 422 form_identifier_exists, e.g. a slug already taken in the instance.
Error IdentifierExists(std::string_view param, std::string long_message);
// 400 already_a_member_in_organization.
Error AlreadyMember(std::string_view user_id);
// 403 organization_membership_quota_exceeded: the organization has max_allowed_memberships members.
Error MembershipQuotaExceeded(int64_t max_allowed_memberships);
// 400 organization_minimum_permissions_needed: the last member holding the minimum permissions
// would be removed or demoted.
Error MinimumPermissionsNeeded();
// 400 organization_creator_not_found: created_by names no user.
Error CreatorNotFound(std::string_view user_id);
// 403 organization_not_enabled_in_instance.
Error OrganizationsDisabled();
// 403 organization_slugs_disabled: a slug was sent while the instance has slugs off.
Error SlugsDisabled();
// 403 organization_system_permission_not_modifiable.
Error SystemPermissionNotModifiable();
// 422 organization_role_assigned_members: the role is held by members.
Error RoleAssignedToMembers();
// 422 organization_role_default_creator_role: the role is the instance's creator role.
Error RoleIsCreatorRole();
// 422 organization_role_domain_default_role: the role is the domains' default role.
Error RoleIsDomainDefaultRole();
// 409 organization_role_permission_association_exists.
Error RolePermissionExists();
// 404 organization_role_permission_association_not_found.
Error RolePermissionNotFound();
// 403 organization_instance_roles_quota_exceeded.
Error RolesQuotaExceeded(int64_t max_roles);
// 422 organization_missing_creator_role_permissions.
Error CreatorRoleMissingPermissions();
// 400 request_body_invalid: the body is not what the endpoint accepts (malformed JSON, not an
// object, a non-image file).
Error RequestBodyInvalid(std::string long_message = {});
// 413 request_body_too_large.
Error RequestBodyTooLarge(int64_t max_bytes);
// 413 image_too_large.
Error ImageTooLarge(int64_t max_bytes);
// 400 form_param_missing when a multipart upload has no file.
Error ImageMissing();
// 415 unsupported_content_type.
Error UnsupportedContentType(std::string_view actual, std::string_view expected);
// 503 service_unavailable, e.g. when the database cannot be reached.
Error Unavailable(std::string detail);
// 500 internal_clerk_error. `detail` is logged only.
Error Internal(std::string detail);
// 429 too_many_requests.
Error TooManyRequests();
// 400 organization_invitation_not_unique: a pending invitation to this address exists.
Error InvitationNotUnique();
// 403 not_an_admin_in_organization: the named inviter or requester is no admin there.
Error NotAnAdmin(std::string_view param);
// 404 organization_invitation_not_pending: only a pending invitation can be revoked.
Error InvitationNotPending();
// 422 organization_role_exists_in_invitations: pending invitations offer the role.
Error RoleExistsInInvitations();
// 400 organization_invitation_revoked_code, _already_accepted, _expired: no longer acceptable.
Error InvitationRevoked();
Error InvitationAlreadyAccepted();
Error InvitationExpired();
// 400 ticket_invalid_code: a ticket (an invitation's, a sign-in token) that is forged, malformed,
// unknown, or not the accepting user's.
Error TicketInvalid();
// 400 ticket_expired_code: a ticket past its expiry.
Error TicketExpired();
// 400 sign_in_token_revoked_code, sign_in_token_already_used_code: no longer redeemable.
Error SignInTokenRevoked();
Error SignInTokenAlreadyUsed();
// 400 sign_in_token_cannot_be_revoked_code: only a pending token can be revoked.
Error SignInTokenCannotBeRevoked(std::string_view status);
// 401 authentication_invalid: the session is not active (revoked, ended, expired…), so it
// mints nothing.
Error SessionNotActive(std::string_view session_id, std::string_view status);
// 400 invalid_action_for_session: "Unable to <action> session <id>" (e.g. revoke one that is
// not active).
Error InvalidActionForSession(std::string_view action, std::string_view session_id);
// 404 resource_not_found for a JWT template (orgd has none).
Error JwtTemplateNotFound(std::string_view name);
// 403 not_a_member_in_organization: the named user is no member of the organization named by
// `param`.
Error NotAMemberInOrganization(std::string_view param);
// 403 authorization_invalid: the caller may not do this at all (a session user asking for an
// instance-wide operation).
Error AuthorizationInvalid();
// 404 organization_not_found_or_unauthorized: no such organization, or the caller is no member.
Error OrganizationNotFoundOrUnauthorized();
// 403 missing_organization_permission: the caller's role lacks `permission`.
Error MissingOrganizationPermission(std::string_view permission);

// Organization domains (BEHAVIOR.md §2.13).
Error DomainsNotEnabled();                              // 403 organization_domains_not_enabled
Error EnrollmentModeNotEnabled(std::string_view mode);  // 403 …_enrollment_mode_not_enabled
Error DomainQuotaExceeded(int64_t max);                 // 403 organization_domain_quota_exceeded
Error DomainAlreadyExists();                            // 422 organization_domain_already_exists
Error DomainExistsInOrganization();                     // 422 …_already_exists_same_organization
Error DomainMismatch();                                 // 422 organization_domain_mismatch
Error CodeIncorrect();                                  // 422 form_code_incorrect
Error VerificationFailed();                      // 422 verification_failed (attempts used up)
Error VerificationExpired();                     // 422 verification_expired
Error VerificationMissing();                     // 400 verification_missing (nothing prepared)
Error TxtRecordNotFound(std::string_view name);  // 422 organization_domain_txt_record_not_found
Error SuggestionAlreadyAccepted();               // 400 organization_suggestion_already_accepted
Error RequestNotPending();                       // 400 organization_membership_request_not_pending

// The Frontend API's own.
// 403 origin_invalid: a state-changing request from an origin that is not allowed.
Error OriginInvalid();
// 401 signed_out: no client, or no active session on it, where the call needs one.
Error SignedOut();
// 400 session_exists: signing in again while the client's session is active (single-session
// mode).
Error SessionExists();
// 422 strategy_for_user_invalid: a sign-in or sign-up strategy orgd does not enable (only ticket).
Error StrategyNotEnabled(std::string_view strategy);
// 403 organization_admin_delete_not_enabled: the organization may not be deleted by its members.
Error AdminDeleteNotEnabled();
// 403 user_create_organization_not_enabled: the user may not create organizations.
Error CreateOrganizationNotEnabled();
// 403 org_creation_limit_exceeded: the user reached create_organizations_limit.
Error OrganizationCreationLimitExceeded(int64_t limit);

}  // namespace orgd::errors
