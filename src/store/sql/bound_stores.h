// BoundStores: every SQL store bound to one connection, and the read and write transactions that
// hand them out. Each driver's Database (store/sqlite, store/postgres) owns one per connection
// and runs the work it is given against them between its own BEGIN and COMMIT.
//
// Thread safety: as the Connection (one thread at a time).
#pragma once

#include "store/database.h"
#include "store/sql/connection.h"
#include "store/sql/sql_audit_store.h"
#include "store/sql/sql_client_store.h"
#include "store/sql/sql_domain_store.h"
#include "store/sql/sql_image_store.h"
#include "store/sql/sql_invitation_store.h"
#include "store/sql/sql_job_store.h"
#include "store/sql/sql_membership_store.h"
#include "store/sql/sql_organization_store.h"
#include "store/sql/sql_outbox_store.h"
#include "store/sql/sql_role_store.h"
#include "store/sql/sql_session_store.h"
#include "store/sql/sql_sign_in_token_store.h"
#include "store/sql/sql_signing_key_store.h"
#include "store/sql/sql_user_store.h"
#include "store/sql/sql_webhook_store.h"

namespace orgd::store::sql {

struct BoundStores {
  explicit BoundStores(Connection& conn)
      : organizations(conn),
        users(conn),
        memberships(conn),
        roles(conn),
        permissions(conn),
        settings(conn),
        images(conn),
        jobs(conn),
        outbox(conn),
        invitations(conn),
        sessions(conn),
        sign_in_tokens(conn),
        signing_keys(conn),
        webhooks(conn),
        clients(conn),
        domains(conn),
        audit(conn) {}
  SqlOrganizationStore organizations;
  SqlUserStore users;
  SqlMembershipStore memberships;
  SqlRoleStore roles;
  SqlPermissionStore permissions;
  SqlSettingsStore settings;
  SqlImageStore images;
  SqlJobStore jobs;
  SqlOutboxStore outbox;
  SqlInvitationStore invitations;
  SqlSessionStore sessions;
  SqlSignInTokenStore sign_in_tokens;
  SqlSigningKeyStore signing_keys;
  SqlWebhookStore webhooks;
  SqlClientStore clients;
  SqlDomainStore domains;
  SqlAuditStore audit;
};

class BoundReadTransaction final : public ReadTransaction {
 public:
  // REQUIRES: `conn` outlives this object.
  explicit BoundReadTransaction(Connection& conn) : conn_(conn), s_(conn) {}
  OrganizationReader& organizations() override { return s_.organizations; }
  UserReader& users() override { return s_.users; }
  MembershipReader& memberships() override { return s_.memberships; }
  RoleReader& roles() override { return s_.roles; }
  PermissionReader& permissions() override { return s_.permissions; }
  SettingsReader& settings() override { return s_.settings; }
  ImageReader& images() override { return s_.images; }
  JobReader& jobs() override { return s_.jobs; }
  OutboxReader& outbox() override { return s_.outbox; }
  InvitationReader& invitations() override { return s_.invitations; }
  SessionReader& sessions() override { return s_.sessions; }
  SignInTokenReader& sign_in_tokens() override { return s_.sign_in_tokens; }
  SigningKeyReader& signing_keys() override { return s_.signing_keys; }
  WebhookReader& webhooks() override { return s_.webhooks; }
  ClientReader& clients() override { return s_.clients; }
  DomainReader& domains() override { return s_.domains; }
  AuditReader& audit() override { return s_.audit; }
  Result<void> Ping() override { return conn_.Exec("SELECT 1"); }

 private:
  Connection& conn_;
  BoundStores s_;
};

class BoundWriteTransaction final : public WriteTransaction {
 public:
  // REQUIRES: `conn` outlives this object.
  explicit BoundWriteTransaction(Connection& conn) : s_(conn) {}
  OrganizationWriter& organizations() override { return s_.organizations; }
  UserWriter& users() override { return s_.users; }
  MembershipWriter& memberships() override { return s_.memberships; }
  RoleWriter& roles() override { return s_.roles; }
  PermissionWriter& permissions() override { return s_.permissions; }
  SettingsWriter& settings() override { return s_.settings; }
  ImageWriter& images() override { return s_.images; }
  JobWriter& jobs() override { return s_.jobs; }
  OutboxWriter& outbox() override { return s_.outbox; }
  InvitationWriter& invitations() override { return s_.invitations; }
  SessionWriter& sessions() override { return s_.sessions; }
  SignInTokenWriter& sign_in_tokens() override { return s_.sign_in_tokens; }
  SigningKeyWriter& signing_keys() override { return s_.signing_keys; }
  WebhookWriter& webhooks() override { return s_.webhooks; }
  ClientWriter& clients() override { return s_.clients; }
  DomainWriter& domains() override { return s_.domains; }
  AuditWriter& audit() override { return s_.audit; }

 private:
  BoundStores s_;
};

}  // namespace orgd::store::sql
