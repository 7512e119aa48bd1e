#include "service/user_service.h"

#include <fmt/format.h>

#include "domain/errors.h"
#include "domain/user_rules.h"
#include "service/authorization.h"
#include "service/domain_service.h"
#include "service/event_payloads.h"
#include "service/field_rules.h"
#include "service/owned_image.h"
#include "service/session_service.h"
#include "service/transaction.h"
#include "service/user_filter.h"
#include "store/store_errors.h"

namespace orgd::service {
namespace {

using domain::User;

// A taken username, phone number or email address, as the API names it; any other store
// outcome unchanged.
Error Taken(Error e) {
  if (store::IsUniqueViolation(e, store::constraint::kUserUsername)) {
    return errors::IdentifierExists("username", "That username is taken. Please try another.");
  }
  if (store::IsUniqueViolation(e, store::constraint::kUserPhone)) {
    return errors::IdentifierExists("phone_number",
                                    "That phone number is taken. Please try another.");
  }
  if (store::IsUniqueViolation(e, store::constraint::kUserEmail)) {
    return errors::IdentifierExists("email_address",
                                    "That email address is taken. Please try another.");
  }
  return e;
}

Result<void> ValidateLimit(const std::optional<int64_t>& limit) {
  if (limit && *limit < 0) {
    return errors::ParamInvalid("create_organizations_limit",
                                "create_organizations_limit must be 0 (unlimited) or greater.");
  }
  return {};
}

Result<void> CheckTextFields(const std::optional<std::string>& first,
                             const std::optional<std::string>& last,
                             const std::optional<std::string>& external) {
  for (auto [value, param] : {std::pair{&first, "first_name"}, std::pair{&last, "last_name"},
                              std::pair{&external, "external_id"}}) {
    if (*value) {
      if (auto r = domain::CheckUserTextField(**value, param); !r) return r;
    }
  }
  return {};
}

Result<std::optional<std::string>> NormalizeOptionalUsername(
    const std::optional<std::string>& username) {
  if (!username) return std::optional<std::string>();
  auto normalized = domain::NormalizeUsername(*username);
  if (!normalized) return normalized.error();
  return std::optional<std::string>(std::move(*normalized));
}

Result<User> GetUser(store::WriteTransaction& tx, const std::string& id) {
  return tx.users().Get(id);
}

// Records `type` (user.created or .updated) for `user` as the write leaves them.
// `before`: the user's payload before the write (updates), for the audit log.
void RecordUser(Effects& effects, const EventPayloads& payloads, const char* type, const User& user,
                int64_t now, std::optional<std::string> before = std::nullopt) {
  RecordEvent(effects, type, std::nullopt, user.id, payloads.User(user), now, std::move(before));
}

// A user as the owner of their profile image (service/owned_image.h): a new or removed image is a
// user.updated.
struct ProfileImageOwner {
  using Value = User;
  template <class Transaction>
  static Result<Value> Get(Transaction& tx, std::string_view id) {
    return tx.users().Get(id);
  }
  static Result<void> Save(store::WriteTransaction& tx, const Value& user) {
    return tx.users().Update(user);
  }
  static void Record(Effects& effects, const EventPayloads& payloads, const Value& user,
                     int64_t now) {
    RecordUser(effects, payloads, event_type::kUserUpdated, user, now);
  }
};

}  // namespace

UserService::UserService(store::Database& db, const Clock& clock, IdGenerator& ids,
                         media::ImageProcessor& images, Executor& image_executor,
                         const EventPayloads& payloads)
    : db_(db),
      clock_(clock),
      ids_(ids),
      images_(images),
      image_executor_(image_executor),
      payloads_(payloads) {}

namespace {

// Users are the instance's: a trusted caller only (service/authorization.h).
Result<void> MayManage(const RequestContext& ctx) {
  return AuthorizeInstance(ctx.caller, Operation::kManageUsers);
}
Result<void> MayRead(const RequestContext& ctx) {
  return AuthorizeInstance(ctx.caller, Operation::kReadUsers);
}

}  // namespace

void UserService::Create(const RequestContext& ctx, CreateUserCommand cmd, Callback<User> done) {
  if (auto r = MayManage(ctx); !r) return done(r.error());
  auto build = [&]() -> Result<User> {
    User user;
    user.id = ids_.New(id_prefix::kUser);
    const int64_t now = clock_.NowMillis();
    for (const auto& raw : cmd.email_addresses) {
      auto email = domain::NormalizeEmailAddress(raw, "email_address");
      if (!email) return email.error();
      user.email_addresses.push_back({ids_.New(id_prefix::kIdentification), *email, now, now});
    }
    for (const auto& raw : cmd.phone_numbers) {
      auto phone = domain::NormalizePhoneNumber(raw, "phone_number");
      if (!phone) return phone.error();
      user.phone_numbers.push_back({ids_.New(id_prefix::kIdentification), *phone, now, now});
    }
    if (!user.email_addresses.empty()) user.primary_email_address_id = user.email_addresses[0].id;
    if (!user.phone_numbers.empty()) user.primary_phone_number_id = user.phone_numbers[0].id;
    auto username = NormalizeOptionalUsername(cmd.username);
    if (!username) return username.error();
    user.username = std::move(*username);
    if (auto r = CheckTextFields(cmd.first_name, cmd.last_name, cmd.external_id); !r) {
      return r.error();
    }
    user.first_name = cmd.first_name;
    user.last_name = cmd.last_name;
    user.external_id = cmd.external_id;
    for (auto [value, field, param] :
         {std::tuple{&cmd.public_metadata, &user.public_metadata, "public_metadata"},
          std::tuple{&cmd.private_metadata, &user.private_metadata, "private_metadata"},
          std::tuple{&cmd.unsafe_metadata, &user.unsafe_metadata, "unsafe_metadata"}}) {
      auto metadata = InitialMetadata(*value, param);
      if (!metadata) return metadata.error();
      *field = std::move(*metadata);
    }
    if (auto r = ValidateLimit(cmd.create_organizations_limit); !r) return r.error();
    user.create_organization_enabled = cmd.create_organization_enabled.value_or(true);
    user.create_organizations_limit = cmd.create_organizations_limit;
    user.delete_self_enabled = cmd.delete_self_enabled.value_or(true);
    auto created_at = ParseCreatedAt(cmd.created_at);
    if (!created_at) return created_at.error();
    user.created_at = created_at->value_or(now);
    user.updated_at = now;
    return user;
  };
  auto user = build();
  if (!user) return done(user.error());
  Write<User>(
      db_, ctx,
      [this, user = std::move(*user), &payloads = payloads_](store::WriteTransaction& tx,
                                                             Effects& effects) -> Result<User> {
        if (auto r = tx.users().Insert(user); !r) return Taken(r.error());
        // A new address at a verified domain enrolls its user (service/domain_service.h).
        if (auto r = EnrollUser(tx, ids_, user, user.updated_at); !r) return r.error();
        RecordUser(effects, payloads, event_type::kUserCreated, user, user.updated_at);
        return user;
      },
      std::move(done));
}

void UserService::Get(const RequestContext& ctx, std::string id, Callback<User> done) {
  if (auto r = MayRead(ctx); !r) return done(r.error());
  Read<User>(
      db_, [id = std::move(id)](store::ReadTransaction& tx) { return tx.users().Get(id); },
      std::move(done));
}

void UserService::List(const RequestContext& ctx, store::UserListQuery query,
                       Callback<std::vector<User>> done) {
  if (auto r = MayRead(ctx); !r) return done(r.error());
  NormalizeUserFilter(query.filter);
  Read<std::vector<User>>(
      db_,
      [query = std::move(query)](store::ReadTransaction& tx) { return tx.users().List(query); },
      std::move(done));
}

void UserService::Count(const RequestContext& ctx, store::UserListQuery query,
                        Callback<int64_t> done) {
  if (auto r = MayRead(ctx); !r) return done(r.error());
  NormalizeUserFilter(query.filter);
  Read<int64_t>(
      db_,
      [query = std::move(query)](store::ReadTransaction& tx) { return tx.users().Count(query); },
      std::move(done));
}

void UserService::Update(const RequestContext& ctx, std::string id, UpdateUserCommand cmd,
                         Callback<User> done) {
  if (auto r = MayManage(ctx); !r) return done(r.error());
  auto username = NormalizeOptionalUsername(cmd.username);
  if (!username) return done(username.error());
  cmd.username = std::move(*username);
  if (auto r = CheckTextFields(cmd.first_name, cmd.last_name, cmd.external_id); !r) {
    return done(r.error());
  }
  if (auto r = ValidateLimit(cmd.create_organizations_limit); !r) return done(r.error());
  auto created_at = ParseCreatedAt(cmd.created_at);
  if (!created_at) return done(created_at.error());
  const int64_t now = clock_.NowMillis();
  Write<User>(
      db_, ctx,
      [id = std::move(id), cmd = std::move(cmd), created_at = *created_at, now,
       &payloads = payloads_](store::WriteTransaction& tx, Effects& effects) -> Result<User> {
        auto user = GetUser(tx, id);
        if (!user) return user.error();
        std::string before = payloads.User(*user);
        if (cmd.username) user->username = cmd.username;
        if (cmd.first_name) user->first_name = cmd.first_name;
        if (cmd.last_name) user->last_name = cmd.last_name;
        if (cmd.external_id) user->external_id = cmd.external_id;
        if (cmd.primary_email_address_id) {
          user->primary_email_address_id = cmd.primary_email_address_id;
          if (!user->PrimaryEmail()) {
            return errors::ParamInvalid("primary_email_address_id",
                                        "primary_email_address_id must be one of the user's "
                                        "email addresses.");
          }
        }
        if (cmd.primary_phone_number_id) {
          user->primary_phone_number_id = cmd.primary_phone_number_id;
          if (!user->PrimaryPhone()) {
            return errors::ParamInvalid("primary_phone_number_id",
                                        "primary_phone_number_id must be one of the user's "
                                        "phone numbers.");
          }
        }
        if (cmd.create_organization_enabled) {
          user->create_organization_enabled = *cmd.create_organization_enabled;
        }
        if (cmd.create_organizations_limit) {
          user->create_organizations_limit = cmd.create_organizations_limit;
        }
        if (cmd.delete_self_enabled) user->delete_self_enabled = *cmd.delete_self_enabled;
        if (created_at) user->created_at = *created_at;
        for (auto [value, field, param] :
             {std::tuple{&cmd.public_metadata, &user->public_metadata, "public_metadata"},
              std::tuple{&cmd.private_metadata, &user->private_metadata, "private_metadata"},
              std::tuple{&cmd.unsafe_metadata, &user->unsafe_metadata, "unsafe_metadata"}}) {
          if (auto r = ReplaceField(*field, *value, param); !r) return r.error();
        }
        user->updated_at = now;
        if (auto r = tx.users().Update(*user); !r) return Taken(r.error());
        RecordUser(effects, payloads, event_type::kUserUpdated, *user, now, std::move(before));
        return user;
      },
      std::move(done));
}

void UserService::Delete(const RequestContext& ctx, std::string id, Callback<std::string> done) {
  if (auto r = MayManage(ctx); !r) return done(r.error());
  Write<std::string>(
      db_, ctx,
      [id = std::move(id), now = clock_.NowMillis(), &payloads = payloads_](
          store::WriteTransaction& tx, Effects& effects) -> Result<std::string> {
        // Read first: user.deleted carries the external ID.
        auto user = tx.users().Get(id);
        if (!user) return user.error();
        if (auto r = tx.users().Delete(id); !r) return r.error();
        // Sessions outlive their user as ended (they mint nothing); its sign-in tokens die.
        auto ended = tx.sessions().EndForUser(id, now);
        if (!ended) return ended.error();
        if (auto r = tx.sign_in_tokens().RevokeForUser(id, now); !r) return r.error();
        // The sessions first, then the user (their order in the event feed), so an app reading
        // in order never meets a session of a user it has already dropped. Their `user` is null:
        // the user is gone.
        for (const domain::Session& s : *ended) {
          RecordEvent(effects, event_type::kSessionEnded, std::nullopt, s.id,
                      payloads.Session(SessionView{s, now}, nullptr), now);
        }
        RecordEvent(
            effects, event_type::kUserDeleted, std::nullopt, id,
            payloads.Deleted({.object = "user", .id = id, .external_id = user->external_id}), now,
            payloads.User(*user));
        return id;
      },
      std::move(done));
}

void UserService::MergeMetadata(const RequestContext& ctx, std::string id, UserMetadataCommand cmd,
                                Callback<User> done) {
  WriteMetadata(ctx, std::move(id), std::move(cmd), true, std::move(done));
}

void UserService::ReplaceMetadata(const RequestContext& ctx, std::string id,
                                  UserMetadataCommand cmd, Callback<User> done) {
  WriteMetadata(ctx, std::move(id), std::move(cmd), false, std::move(done));
}

void UserService::WriteMetadata(const RequestContext& ctx, std::string id, UserMetadataCommand cmd,
                                bool merge, Callback<User> done) {
  if (auto r = MayManage(ctx); !r) return done(r.error());
  const int64_t now = clock_.NowMillis();
  MetadataFieldChange change = merge ? MergeField : ReplaceField;
  Write<User>(
      db_, ctx,
      [id = std::move(id), cmd = std::move(cmd), change, now, &payloads = payloads_](
          store::WriteTransaction& tx, Effects& effects) -> Result<User> {
        auto user = GetUser(tx, id);
        if (!user) return user.error();
        std::string before = payloads.User(*user);
        for (auto [value, field, param] :
             {std::tuple{&cmd.public_metadata, &user->public_metadata, "public_metadata"},
              std::tuple{&cmd.private_metadata, &user->private_metadata, "private_metadata"},
              std::tuple{&cmd.unsafe_metadata, &user->unsafe_metadata, "unsafe_metadata"}}) {
          if (auto r = change(*field, *value, param); !r) return r.error();
        }
        user->updated_at = now;
        if (auto r = tx.users().Update(*user); !r) return r.error();
        RecordUser(effects, payloads, event_type::kUserUpdated, *user, now, std::move(before));
        return user;
      },
      std::move(done));
}

// Authorized before any read (users are the instance's); nothing to check in the transactions.
constexpr auto kNoCheck = [](auto&) -> Result<void> { return {}; };

void UserService::SetProfileImage(const RequestContext& ctx, std::string id, std::string bytes,
                                  Callback<User> done) {
  if (auto r = MayManage(ctx); !r) return done(r.error());
  ReplaceOwnedImage<ProfileImageOwner>(
      {db_, clock_, ids_, images_, image_executor_, kMaxImageBytes, payloads_}, ctx, kNoCheck,
      std::move(id), std::move(bytes), std::move(done));
}

void UserService::DeleteProfileImage(const RequestContext& ctx, std::string id,
                                     Callback<User> done) {
  if (auto r = MayManage(ctx); !r) return done(r.error());
  RemoveOwnedImage<ProfileImageOwner>(db_, ctx, payloads_, kNoCheck, clock_.NowMillis(),
                                      std::move(id), std::move(done));
}

}  // namespace orgd::service
