// SessionService and SignInTokenService on both stores: what a token says (checked with the
// JWKS's public key, as a verifier would), the statuses time and revocation give a session, a
// sign-in token's single use under a race, and key rotation; and ClientService, the Frontend
// API's clients and sessions on them.
#include "service/session_service.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/json/parse.hpp>
#include <future>
#include <thread>

#include "common/base64.h"
#include "common/rsa_signer.h"
#include "common/worker_pool.h"
#include "service/client_service.h"
#include "service/membership_service.h"
#include "service/organization_service.h"
#include "service/sign_in_token_service.h"
#include "service/user_service.h"
#include "testing/await.h"
#include "testing/contexts.h"
#include "testing/event_payloads.h"
#include "testing/no_images.h"
#include "testing/stores.h"
#include "testing/temp_dir.h"

namespace orgd::service {
namespace {

using testing::Await;
using testing::SecretKeyContext;

std::string Base64UrlDecode(std::string_view in) {
  std::string b64(in);
  for (char& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (b64.size() % 4 != 0) b64.push_back('=');
  return Base64Decode(b64).value_or("");
}

struct DecodedJwt {
  boost::json::object header;
  boost::json::object payload;
  bool signature_ok = false;
};

// Splits and checks `jwt` against the SPKI PEM, as @clerk/backend's jwtKey path does.
DecodedJwt Decode(const std::string& jwt, const std::string& public_pem) {
  DecodedJwt d;
  const size_t a = jwt.find('.'), b = jwt.rfind('.');
  d.header = boost::json::parse(Base64UrlDecode(jwt.substr(0, a))).as_object();
  d.payload = boost::json::parse(Base64UrlDecode(jwt.substr(a + 1, b - a - 1))).as_object();
  const std::string signature = Base64UrlDecode(jwt.substr(b + 1));
  BIO* bio = BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const std::string signed_text = jwt.substr(0, b);
  d.signature_ok =
      pkey != nullptr && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, pkey) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(signed_text.data()),
                       signed_text.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  return d;
}

class SessionServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  SessionServiceTest() : clock_(1'700'000'000'000), ids_(clock_) {
    db_ = testing::OpenTestStore(GetParam(), dir_.path());
    authority_ = std::make_unique<PermissionAuthority>(*db_);
    EXPECT_TRUE(authority_->Load());
    orgs_ = std::make_unique<OrganizationService>(*db_, clock_, ids_, images_, inline_, *authority_,
                                                  payloads_);
    users_ = std::make_unique<UserService>(*db_, clock_, ids_, images_, inline_, payloads_);
    members_ = std::make_unique<MembershipService>(*db_, clock_, ids_, *authority_, payloads_);
    keys_ = std::make_unique<SigningKeys>(*db_, clock_);
    EXPECT_TRUE(keys_->EnsureCurrent());
    SessionOptions options;
    options.lifetime_ms = 3'600'000;
    options.inactivity_timeout_ms = 600'000;
    options.token_lifetime_s = 60;
    options.issuer = "https://clerk.example.test";
    options.allowed_origins = {"https://app.example.test"};
    sessions_ = std::make_unique<SessionService>(*db_, clock_, ids_, *authority_, *keys_, inline_,
                                                 options, payloads_);
    tokens_ =
        std::make_unique<SignInTokenService>(*db_, clock_, ids_, sessions_->options(), payloads_);
    clients_ =
        std::make_unique<ClientService>(*db_, clock_, ids_, *authority_, *sessions_, payloads_);
  }
  ~SessionServiceTest() override { db_->Close(); }

  std::string NewUser() {
    CreateUserCommand cmd;
    cmd.email_addresses = {"user" + std::to_string(++made_) + "@acme.com"};
    auto user = Await<domain::User>(
        [&](auto cb) { users_->Create(SecretKeyContext(), std::move(cmd), cb); });
    EXPECT_TRUE(user);
    return user->id;
  }
  domain::Organization NewOrg(const std::string& creator, std::string slug) {
    CreateOrganizationCommand cmd;
    cmd.name = "Acme " + slug;
    cmd.slug = std::move(slug);
    cmd.created_by = creator;
    return *Await<domain::Organization>(
        [&](auto cb) { orgs_->Create(SecretKeyContext(), std::move(cmd), cb); });
  }
  Result<SessionView> Open(const std::string& user, std::optional<std::string> org = {}) {
    return Await<SessionView>([&](auto cb) {
      sessions_->Create(SecretKeyContext(), CreateSessionCommand{user, std::move(org)}, cb);
    });
  }
  Result<std::string> Mint(const std::string& session, std::string origin = {}) {
    CreateTokenCommand cmd;
    cmd.session_id = session;
    cmd.origin = std::move(origin);
    return Await<std::string>(
        [&](auto cb) { sessions_->CreateToken(SecretKeyContext(), std::move(cmd), cb); });
  }
  std::string CurrentPem() {
    auto keys = keys_->List();
    for (const auto& k : *keys) {
      if (!k.retired_at) return k.public_key_pem;
    }
    return {};
  }
  std::vector<PublicJwk> Jwks() {
    return *Await<std::vector<PublicJwk>>([&](auto cb) { keys_->Jwks(SecretKeyContext(), cb); });
  }
  Result<SessionView> Redeem(const std::string& secret) {
    return Await<SessionView>([&](auto cb) { tokens_->Redeem(SecretKeyContext(), secret, cb); });
  }
  Result<SignInTokenView> NewSignInToken(const std::string& user, int64_t seconds = 600) {
    return Await<SignInTokenView>([&](auto cb) {
      tokens_->Create(SecretKeyContext(), CreateSignInTokenCommand{user, seconds, std::nullopt},
                      cb);
    });
  }
  // A Frontend API request from a browser with no client yet.
  static RequestContext AnonymousFrontend() {
    RequestContext ctx;
    ctx.api = Api::kFrontend;
    ctx.caller = Caller::Anonymous();
    return ctx;
  }
  // A ticket sign-in of `user` (a new sign-in token) through `clients`, on a new client.
  Result<SignInResult> SignInByTicket(ClientService& clients, const std::string& user) {
    auto token = NewSignInToken(user);
    if (!token) return token.error();
    return Await<SignInResult>([&](auto cb) {
      clients.SignIn(AnonymousFrontend(), TicketCommand{"ticket", *token->secret, {}, {}}, cb);
    });
  }

  orgd::testing::TempDir dir_;
  FakeClock clock_;
  RandomIdGenerator ids_;
  testing::NoImages images_;
  InlineExecutor inline_;
  testing::TestEventPayloads payloads_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<PermissionAuthority> authority_;
  std::unique_ptr<OrganizationService> orgs_;
  std::unique_ptr<UserService> users_;
  std::unique_ptr<MembershipService> members_;
  std::unique_ptr<SigningKeys> keys_;
  std::unique_ptr<SessionService> sessions_;
  std::unique_ptr<SignInTokenService> tokens_;
  std::unique_ptr<ClientService> clients_;
  int made_ = 0;
};

TEST_P(SessionServiceTest, ATokenCarriesClerksV2ClaimsAndVerifiesWithTheJwksKey) {
  const std::string user = NewUser();
  auto org = NewOrg(user, "acme");
  auto session = Open(user);
  ASSERT_TRUE(session) << session.error().detail;
  // The organization the user joined last is active in a new session.
  ASSERT_EQ(session->session.last_active_organization_id, org.id);
  clock_.Advance(5 * 60'000);
  auto jwt = Mint(session->session.id, "https://app.example.test");
  ASSERT_TRUE(jwt) << jwt.error().detail;
  auto d = Decode(*jwt, CurrentPem());
  EXPECT_TRUE(d.signature_ok);
  EXPECT_EQ(d.header.at("alg"), "RS256");
  EXPECT_EQ(d.header.at("typ"), "JWT");
  EXPECT_EQ(d.header.at("kid").as_string(), Jwks().front().kid);
  const auto& p = d.payload;
  EXPECT_EQ(p.at("v"), 2);
  EXPECT_EQ(p.at("sub").as_string(), user);
  EXPECT_EQ(p.at("sid").as_string(), session->session.id);
  EXPECT_EQ(p.at("iss"), "https://clerk.example.test");
  EXPECT_EQ(p.at("azp"), "https://app.example.test");
  EXPECT_EQ(p.at("sts"), "active");
  const int64_t iat = clock_.NowMillis() / 1000;
  EXPECT_EQ(p.at("iat"), iat);
  EXPECT_EQ(p.at("nbf"), iat - 10);
  EXPECT_EQ(p.at("exp"), iat + 60);
  EXPECT_EQ(p.at("fva"), (boost::json::array{5, -1}));
  EXPECT_EQ(p.at("jti").as_string().size(), 20u);
  const auto& o = p.at("o").as_object();
  EXPECT_EQ(o.at("id").as_string(), org.id);
  EXPECT_EQ(o.at("slg"), "acme");
  EXPECT_EQ(o.at("rol"), "admin");
  // org:admin holds only system permissions: nothing to encode.
  EXPECT_FALSE(o.contains("per"));
  EXPECT_FALSE(p.contains("fea"));

  // An Origin that is not allowed gives no azp.
  auto other = Mint(session->session.id, "https://evil.example.test");
  ASSERT_TRUE(other);
  EXPECT_FALSE(Decode(*other, CurrentPem()).payload.contains("azp"));
}

TEST_P(SessionServiceTest, TimeExpiresOrAbandonsASessionAndThenItMintsNothing) {
  const std::string user = NewUser();
  auto abandoned = Open(user);
  ASSERT_TRUE(abandoned);
  clock_.Advance(600'000);  // the inactivity timeout
  auto view = Await<SessionView>(
      [&](auto cb) { sessions_->Get(SecretKeyContext(), abandoned->session.id, cb); });
  EXPECT_EQ(view->session.Status(view->now), "abandoned");
  auto refused = Mint(abandoned->session.id);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().clerk_code, "authentication_invalid");
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);

  auto fresh = Open(user);
  clock_.Advance(3'600'000);  // the lifetime
  view = Await<SessionView>(
      [&](auto cb) { sessions_->Get(SecretKeyContext(), fresh->session.id, cb); });
  EXPECT_EQ(view->session.Status(view->now), "expired");
  EXPECT_FALSE(Mint(fresh->session.id));

  store::SessionListQuery query;
  query.user_id = user;
  query.status = "expired";
  auto listed = Await<store::Page<SessionView>>(
      [&](auto cb) { sessions_->List(SecretKeyContext(), query, cb); });
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->total_count, 2);  // both, since the lifetime is over for both
}

TEST_P(SessionServiceTest, RevokedOrEndedSessionsMintNothing) {
  const std::string user = NewUser();
  auto session = Open(user);
  auto revoked = Await<SessionView>(
      [&](auto cb) { sessions_->Revoke(SecretKeyContext(), session->session.id, cb); });
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->session.Status(revoked->now), "revoked");
  EXPECT_FALSE(Mint(session->session.id));
  auto again = Await<SessionView>(
      [&](auto cb) { sessions_->Revoke(SecretKeyContext(), session->session.id, cb); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().clerk_code, "invalid_action_for_session");

  auto live = Open(user);
  ASSERT_TRUE(Mint(live->session.id));
  auto pending = NewSignInToken(user);
  ASSERT_TRUE(Await<std::string>([&](auto cb) { users_->Delete(SecretKeyContext(), user, cb); }));
  auto ended = Await<SessionView>(
      [&](auto cb) { sessions_->Get(SecretKeyContext(), live->session.id, cb); });
  EXPECT_EQ(ended->session.Status(ended->now), "ended");
  EXPECT_FALSE(Mint(live->session.id));
  // The deleted user's sign-in tokens are revoked with them.
  auto redeemed = Redeem(*pending->secret);
  ASSERT_FALSE(redeemed);
  EXPECT_EQ(redeemed.error().clerk_code, "sign_in_token_revoked_code");
}

TEST_P(SessionServiceTest, LeavingTheActiveOrganizationTakesItOutOfTheNextToken) {
  const std::string owner = NewUser();
  const std::string user = NewUser();
  auto org = NewOrg(owner, "left");
  ASSERT_TRUE(Await<MembershipView>([&](auto cb) {
    members_->Create(SecretKeyContext(), org.id,
                     CreateMembershipCommand{user, "org:member", {}, {}}, cb);
  }));
  auto session = Open(user, org.id);
  ASSERT_TRUE(session);
  EXPECT_EQ(Decode(*Mint(session->session.id), CurrentPem()).payload.at("o").at("rol"), "member");
  ASSERT_TRUE(Await<MembershipView>(
      [&](auto cb) { members_->Delete(SecretKeyContext(), org.id, user, cb); }));
  EXPECT_FALSE(Decode(*Mint(session->session.id), CurrentPem()).payload.contains("o"));
  auto view = Await<SessionView>(
      [&](auto cb) { sessions_->Get(SecretKeyContext(), session->session.id, cb); });
  EXPECT_FALSE(view->session.last_active_organization_id);

  // Deleting the organization clears it from its creator's session too.
  auto owners = Open(owner, org.id);
  ASSERT_TRUE(
      Await<DeletedOrganization>([&](auto cb) { orgs_->Delete(SecretKeyContext(), org.id, cb); }));
  view = Await<SessionView>(
      [&](auto cb) { sessions_->Get(SecretKeyContext(), owners->session.id, cb); });
  EXPECT_FALSE(view->session.last_active_organization_id);
  EXPECT_FALSE(Decode(*Mint(owners->session.id), CurrentPem()).payload.contains("o"));

  // Only an organization the user belongs to can be made active.
  auto stranger = NewOrg(owner, "stranger");
  auto refused = Open(user, stranger.id);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().clerk_code, "not_a_member_in_organization");
}

TEST_P(SessionServiceTest, ASignInTokenOpensOneSessionOnceEvenUnderARace) {
  const std::string user = NewUser();
  auto token = NewSignInToken(user);
  ASSERT_TRUE(token);
  ASSERT_TRUE(token->secret);
  EXPECT_EQ(token->token.token_hash, SignInTokenHash(*token->secret));
  EXPECT_EQ(token->token.token_hash.find(*token->secret), std::string::npos);

  constexpr int kRacers = 6;
  std::vector<std::future<Result<SessionView>>> racers;
  for (int i = 0; i < kRacers; ++i) {
    racers.push_back(std::async(std::launch::async, [&] { return Redeem(*token->secret); }));
  }
  int opened = 0, used = 0;
  for (auto& r : racers) {
    auto result = r.get();
    if (result) {
      ++opened;
      EXPECT_EQ(result->session.user_id, user);
    } else {
      EXPECT_EQ(result.error().clerk_code, "sign_in_token_already_used_code");
      ++used;
    }
  }
  EXPECT_EQ(opened, 1);
  EXPECT_EQ(used, kRacers - 1);

  EXPECT_EQ(Redeem("not-a-token").error().clerk_code, "ticket_invalid_code");
  auto expiring = NewSignInToken(user, 1);
  clock_.Advance(1000);
  EXPECT_EQ(Redeem(*expiring->secret).error().clerk_code, "ticket_expired_code");
  auto revoked = NewSignInToken(user);
  auto r = Await<SignInTokenView>(
      [&](auto cb) { tokens_->Revoke(SecretKeyContext(), revoked->token.id, cb); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->token.status, "revoked");
  EXPECT_FALSE(r->secret);
  EXPECT_EQ(Redeem(*revoked->secret).error().clerk_code, "sign_in_token_revoked_code");
  auto twice = Await<SignInTokenView>(
      [&](auto cb) { tokens_->Revoke(SecretKeyContext(), revoked->token.id, cb); });
  EXPECT_EQ(twice.error().clerk_code, "sign_in_token_cannot_be_revoked_code");
}

TEST_P(SessionServiceTest, ARetiredKeyVerifiesUntilItsLastTokenExpiredThenLeavesTheJwks) {
  const std::string user = NewUser();
  auto session = Open(user);
  const std::string old_pem = CurrentPem();
  auto old_token = Mint(session->session.id);
  ASSERT_TRUE(old_token);
  const std::string old_kid = Jwks().front().kid;

  auto new_kid = keys_->Rotate();
  ASSERT_TRUE(new_kid);
  ASSERT_NE(*new_kid, old_kid);
  auto jwks = Jwks();
  ASSERT_EQ(jwks.size(), 2u);
  EXPECT_EQ(jwks[0].kid, *new_kid);  // current first
  EXPECT_EQ(jwks[1].kid, old_kid);

  // The next mint follows the rotation at once.
  auto new_token = Mint(session->session.id);
  auto d = Decode(*new_token, CurrentPem());
  EXPECT_TRUE(d.signature_ok);
  EXPECT_EQ(d.header.at("kid").as_string(), *new_kid);
  EXPECT_TRUE(Decode(*old_token, old_pem).signature_ok);

  // The old key's last token expires 60 s after it was minted, plus the verifiers' skew.
  clock_.Advance(60'000 + kVerifierClockSkewMs - 1);
  EXPECT_EQ(Jwks().size(), 2u);
  // Its reach was raised past the token by the slack of one lifetime, not further.
  clock_.Advance(60'000 + 1);
  jwks = Jwks();
  ASSERT_EQ(jwks.size(), 1u);
  EXPECT_EQ(jwks[0].kid, *new_kid);
}

TEST_P(SessionServiceTest, LongLivedTokensKeepTheirKeyPublished) {
  const std::string user = NewUser();
  auto session = Open(user);
  CreateTokenCommand cmd;
  cmd.session_id = session->session.id;
  cmd.expires_in_seconds = 3600;
  ASSERT_TRUE(
      Await<std::string>([&](auto cb) { sessions_->CreateToken(SecretKeyContext(), cmd, cb); }));
  ASSERT_TRUE(keys_->Rotate());
  clock_.Advance(3'599'000);
  EXPECT_EQ(Jwks().size(), 2u);  // the hour-long token still needs the old key
  cmd.expires_in_seconds = 29;
  auto refused =
      Await<std::string>([&](auto cb) { sessions_->CreateToken(SecretKeyContext(), cmd, cb); });
  EXPECT_EQ(refused.error().clerk_code, "form_param_value_invalid");
}

// The Frontend API's client: a ticket sign-in opens a session on a new client whose credential
// authenticates it; a forged secret does not; the same client cannot sign in again beside it.
TEST_P(SessionServiceTest, ClientSignInByTicketOpensASessionOnANewClient) {
  const std::string user = NewUser();
  auto org = NewOrg(user, "acme");
  const RequestContext anonymous = AnonymousFrontend();
  auto signed_in = SignInByTicket(*clients_, user);
  ASSERT_TRUE(signed_in) << signed_in.error().long_message;
  ASSERT_TRUE(signed_in->credential);
  EXPECT_EQ(signed_in->session.session.client_id, signed_in->client.id);
  EXPECT_EQ(signed_in->session.session.last_active_organization_id, org.id);

  auto auth =
      Await<ClientAuth>([&](auto cb) { clients_->Authenticate(*signed_in->credential, "", cb); });
  ASSERT_TRUE(auth);
  ASSERT_TRUE(auth->session);
  EXPECT_EQ(auth->session->id, signed_in->session.session.id);

  std::string forged = *signed_in->credential;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  auto refused = Await<ClientAuth>([&](auto cb) { clients_->Authenticate(forged, "", cb); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().clerk_code, "signed_out");

  RequestContext on_client = anonymous;
  on_client.caller = Caller::Anonymous(signed_in->client.id);
  auto again = NewSignInToken(user);
  auto twice = Await<SignInResult>([&](auto cb) {
    clients_->SignIn(on_client, TicketCommand{"ticket", *again->secret, {}, {}}, cb);
  });
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().clerk_code, "session_exists");
  // Only the ticket strategy is enabled.
  auto password = Await<SignInResult>([&](auto cb) {
    clients_->SignIn(anonymous, TicketCommand{"password", "x", {}, {}}, cb);
  });
  ASSERT_FALSE(password);
  EXPECT_EQ(password.error().clerk_code, "strategy_for_user_invalid");
}

// The client with fresh tokens when they are signed on other threads, as orgd signs them (a
// WorkerPool): the last token's callback hands the view to `done` while the thread that read the
// client may still be in its loop over the sessions (a data race TSan found there,
// scripts/test-sanitize.sh). Several rounds, so that the two threads meet.
TEST_P(SessionServiceTest, ClientSnapshotWithTokensSignedOnOtherThreads) {
  WorkerPool signer("test-sign", 2, 64);
  SessionService sessions(*db_, clock_, ids_, *authority_, *keys_, signer, sessions_->options(),
                          payloads_);
  ClientService clients(*db_, clock_, ids_, *authority_, sessions, payloads_);
  const std::string user = NewUser();
  NewOrg(user, "acme");
  const RequestContext anonymous = AnonymousFrontend();
  auto signed_in = SignInByTicket(clients, user);
  ASSERT_TRUE(signed_in) << signed_in.error().long_message;
  for (int round = 0; round < 20; ++round) {
    auto view = Await<ClientView>([&](auto cb) {
      clients.Snapshot(anonymous, signed_in->client.id, "https://app.example.test", cb, true);
    });
    ASSERT_TRUE(view) << view.error().long_message;
    ASSERT_EQ(view->sessions.size(), 1u);
    EXPECT_EQ(view->sessions[0].session.id, signed_in->session.session.id);
    EXPECT_FALSE(view->sessions[0].jwt.empty());
  }
}

// Touch makes only an organization of the user's active, by ID or slug; ending the session
// signs the client out.
TEST_P(SessionServiceTest, ClientTouchAndEnd) {
  const std::string user = NewUser();
  auto mine = NewOrg(user, "mine");
  auto theirs = NewOrg(NewUser(), "theirs");
  auto token = NewSignInToken(user);
  RequestContext anonymous;
  anonymous.caller = Caller::Anonymous();
  auto signed_in = Await<SignInResult>([&](auto cb) {
    clients_->SignIn(anonymous, TicketCommand{"ticket", *token->secret, {}, {}}, cb);
  });
  ASSERT_TRUE(signed_in);
  const domain::Session& s = signed_in->session.session;
  RequestContext ctx;
  ctx.api = Api::kFrontend;
  ctx.caller = Caller::Session(user, s.id, "", s.client_id);

  auto personal = Await<SessionView>([&](auto cb) { clients_->Touch(ctx, s.id, "", cb); });
  ASSERT_TRUE(personal);
  EXPECT_FALSE(personal->session.last_active_organization_id);
  auto by_slug = Await<SessionView>([&](auto cb) { clients_->Touch(ctx, s.id, "mine", cb); });
  ASSERT_TRUE(by_slug);
  EXPECT_EQ(by_slug->session.last_active_organization_id, mine.id);
  auto foreign = Await<SessionView>([&](auto cb) { clients_->Touch(ctx, s.id, theirs.id, cb); });
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().clerk_code, "organization_not_found_or_unauthorized");
  // A token for another organization than the active one needs a membership there too.
  CreateTokenCommand cmd;
  cmd.session_id = s.id;
  cmd.organization_id = theirs.id;
  auto minted = Await<std::string>([&](auto cb) { sessions_->CreateToken(ctx, cmd, cb); });
  ASSERT_FALSE(minted);
  EXPECT_EQ(minted.error().clerk_code, "organization_not_found_or_unauthorized");

  auto ended =
      Await<ClientSessionView>([&](auto cb) { clients_->EndSession(ctx, s.id, false, cb); });
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->session.status, "ended");
  EXPECT_EQ(ended->user.id, user);
  auto auth =
      Await<ClientAuth>([&](auto cb) { clients_->Authenticate(*signed_in->credential, "", cb); });
  ASSERT_TRUE(auth);
  EXPECT_FALSE(auth->session);
  auto gone =
      Await<ClientAuth>([&](auto cb) { clients_->Authenticate(*signed_in->credential, s.id, cb); });
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().clerk_code, "signed_out");
}

INSTANTIATE_TEST_SUITE_P(Stores, SessionServiceTest, testing::kStoreKinds,
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace orgd::service
