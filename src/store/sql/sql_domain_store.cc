#include "store/sql/sql_domain_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <unordered_map>

#include "store/sql/constraints.h"
#include "store/sql/sql_where.h"
#include "store/store_errors.h"

namespace orgd::store::sql {
namespace {

using domain::DomainVerification;
using domain::MembershipRequest;
using domain::OrganizationDomain;
using domain::OrganizationSuggestion;

constexpr const char* kDomainColumns =
    "d.id, d.organization_id, d.name, d.enrollment_mode, d.affiliation_email_address, "
    "d.affiliation, d.affiliation_code_hash, d.ownership, d.txt_record_value, d.created_at, "
    "d.updated_at";

// A proof as stored: a small JSON object, or NULL before it started.
std::optional<std::string> StoredVerification(const std::optional<DomainVerification>& v) {
  if (!v) return std::nullopt;
  boost::json::object o;
  o["status"] = v->status;
  o["strategy"] = v->strategy;
  if (v->attempts) o["attempts"] = *v->attempts;
  if (v->expire_at) o["expire_at"] = *v->expire_at;
  if (v->verified_at) o["verified_at"] = *v->verified_at;
  return boost::json::serialize(o);
}

std::optional<DomainVerification> ReadVerification(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  auto value = boost::json::parse(*text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const auto& o = value.get_object();
  DomainVerification v;
  if (auto* s = o.if_contains("status"); s && s->is_string())
    v.status = std::string(s->get_string());
  if (auto* s = o.if_contains("strategy"); s && s->is_string()) {
    v.strategy = std::string(s->get_string());
  }
  if (auto* n = o.if_contains("attempts"); n && n->is_int64()) v.attempts = n->get_int64();
  if (auto* n = o.if_contains("expire_at"); n && n->is_int64()) v.expire_at = n->get_int64();
  if (auto* n = o.if_contains("verified_at"); n && n->is_int64()) v.verified_at = n->get_int64();
  return v;
}

OrganizationDomain ReadDomain(Statement& s) {
  OrganizationDomain d;
  d.id = s.Text(0);
  d.organization_id = s.Text(1);
  d.name = s.Text(2);
  d.enrollment_mode = s.Text(3);
  d.affiliation_email_address = s.OptionalText(4);
  d.affiliation = ReadVerification(s.OptionalText(5));
  d.affiliation_code_hash = s.Text(6);
  d.ownership = ReadVerification(s.OptionalText(7));
  d.txt_record_value = s.Text(8);
  d.created_at = s.Int(9);
  d.updated_at = s.Int(10);
  return d;
}

constexpr const char* kSuggestionColumns =
    "id, organization_id, user_id, domain_id, status, created_at, updated_at";

OrganizationSuggestion ReadSuggestion(Statement& s) {
  OrganizationSuggestion g;
  g.id = s.Text(0);
  g.organization_id = s.Text(1);
  g.user_id = s.Text(2);
  g.domain_id = s.Text(3);
  g.status = s.Text(4);
  g.created_at = s.Int(5);
  g.updated_at = s.Int(6);
  return g;
}

constexpr const char* kRequestColumns =
    "id, organization_id, user_id, status, created_at, updated_at";

MembershipRequest ReadRequest(Statement& s) {
  MembershipRequest r;
  r.id = s.Text(0);
  r.organization_id = s.Text(1);
  r.user_id = s.Text(2);
  r.status = s.Text(3);
  r.created_at = s.Int(4);
  r.updated_at = s.Int(5);
  return r;
}

void AddStatuses(const std::vector<std::string>& statuses, SqlWhere& where) {
  if (statuses.empty()) return;
  where.Add("status IN (SELECT value FROM json_each(?))", {JsonArray(statuses)});
}

}  // namespace

Result<void> SqlDomainStore::AddTotals(std::vector<OrganizationDomain>& domains, int64_t now) {
  if (domains.empty()) return {};
  std::vector<std::string> ids;
  for (const auto& d : domains) ids.push_back(d.id);
  std::unordered_map<std::string, int64_t> invitations, suggestions;
  auto invited = conn_.Prepare(
      "SELECT l.domain_id, count(*) FROM domain_invitations l JOIN organization_invitations i "
      "ON i.id = l.invitation_id WHERE l.domain_id IN (SELECT value FROM json_each(?1)) AND "
      "i.status = 'pending' AND i.expires_at > ?2 GROUP BY l.domain_id");
  if (!invited) return invited.error();
  invited->Bind(1, JsonArray(ids));
  invited->Bind(2, now);
  auto rows = ReadAll<std::pair<std::string, int64_t>>(
      *invited, [](Statement& s) { return std::make_pair(s.Text(0), s.Int(1)); });
  if (!rows) return rows.error();
  for (auto& [id, n] : *rows) invitations[id] = n;
  auto suggested = conn_.Prepare(
      "SELECT domain_id, count(*) FROM organization_suggestions WHERE domain_id IN "
      "(SELECT value FROM json_each(?1)) AND status = 'pending' GROUP BY domain_id");
  if (!suggested) return suggested.error();
  suggested->Bind(1, JsonArray(ids));
  auto srows = ReadAll<std::pair<std::string, int64_t>>(
      *suggested, [](Statement& s) { return std::make_pair(s.Text(0), s.Int(1)); });
  if (!srows) return srows.error();
  for (auto& [id, n] : *srows) suggestions[id] = n;
  for (auto& d : domains) {
    d.total_pending_invitations = invitations[d.id];
    d.total_pending_suggestions = suggestions[d.id];
  }
  return {};
}

Result<OrganizationDomain> SqlDomainStore::Get(std::string_view id, int64_t now) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kDomainColumns +
                            " FROM organization_domains d WHERE d.id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("organization domain");
  std::vector<OrganizationDomain> one{ReadDomain(*stmt)};
  if (auto r = AddTotals(one, now); !r) return r.error();
  return std::move(one.front());
}

Result<Page<OrganizationDomain>> SqlDomainStore::List(const DomainListQuery& q) {
  SqlWhere where;
  if (q.organization_id) where.Add("d.organization_id = ?", {*q.organization_id});
  if (q.verified) where.Add("d.verified = ?", {int64_t{*q.verified ? 1 : 0}});
  if (!q.enrollment_modes.empty()) {
    where.Add("d.enrollment_mode IN (SELECT value FROM json_each(?))",
              {JsonArray(q.enrollment_modes)});
  }
  if (!q.exclude_enrollment_modes.empty()) {
    where.Add("d.enrollment_mode NOT IN (SELECT value FROM json_each(?))",
              {JsonArray(q.exclude_enrollment_modes)});
  }
  if (q.name_query) where.Add("d.name LIKE ? ESCAPE '\\'", {ContainsPattern(*q.name_query)});
  if (!q.names.empty()) {
    where.Add("d.name IN (SELECT value FROM json_each(?))", {JsonArray(q.names)});
  }
  const std::string from = " FROM organization_domains d" + where.Sql();
  const char* dir = q.direction == SortDirection::kAscending ? "ASC" : "DESC";
  const char* sort = q.order_by_name ? "d.name" : "d.created_at";
  Page<OrganizationDomain> page;
  auto rows =
      SelectPage<OrganizationDomain>(conn_,
                                     std::string("SELECT ") + kDomainColumns + from + " ORDER BY " +
                                         sort + " " + dir + ", d.id " + dir + " LIMIT ? OFFSET ?",
                                     where, q.limit, q.offset, ReadDomain);
  if (!rows) return rows.error();
  page.data = std::move(*rows);
  if (auto r = AddTotals(page.data, q.now); !r) return r.error();
  auto total = CountRows(conn_, from, where);
  if (!total) return total.error();
  page.total_count = *total;
  return page;
}

Result<int64_t> SqlDomainStore::CountForOrganization(std::string_view organization_id) {
  SqlWhere where;
  where.Add("organization_id = ?", {std::string(organization_id)});
  return CountRows(conn_, " FROM organization_domains" + where.Sql(), where);
}

Result<std::vector<OrganizationDomain>> SqlDomainStore::VerifiedNamed(std::string_view name) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kDomainColumns +
                            " FROM organization_domains d WHERE d.name = ?1 AND d.verified = 1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, name);
  return ReadAll<OrganizationDomain>(*stmt, ReadDomain);
}

Result<bool> SqlDomainStore::Exists(const char* sql, std::string_view organization_id,
                                    std::string_view user_id) {
  auto stmt = conn_.Prepare(sql);
  if (!stmt) return stmt.error();
  stmt->Bind(1, organization_id);
  stmt->Bind(2, user_id);
  auto row = stmt->Step();
  if (!row) return row.error();
  return *row;
}

Result<bool> SqlDomainStore::HasSuggestion(std::string_view organization_id,
                                           std::string_view user_id) {
  return Exists(
      "SELECT 1 FROM organization_suggestions WHERE organization_id = ?1 AND "
      "user_id = ?2",
      organization_id, user_id);
}

Result<bool> SqlDomainStore::HasPendingRequest(std::string_view organization_id,
                                               std::string_view user_id) {
  return Exists(
      "SELECT 1 FROM membership_requests WHERE organization_id = ?1 AND user_id = ?2 "
      "AND status = 'pending'",
      organization_id, user_id);
}

Result<OrganizationSuggestion> SqlDomainStore::GetSuggestion(std::string_view id) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kSuggestionColumns +
                            " FROM organization_suggestions WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("organization suggestion");
  return ReadSuggestion(*stmt);
}

Result<Page<OrganizationSuggestion>> SqlDomainStore::ListSuggestions(const SuggestionListQuery& q) {
  SqlWhere where;
  where.Add("user_id = ?", {q.user_id});
  AddStatuses(q.statuses, where);
  const std::string from = " FROM organization_suggestions" + where.Sql();
  Page<OrganizationSuggestion> page;
  auto rows =
      SelectPage<OrganizationSuggestion>(conn_,
                                         std::string("SELECT ") + kSuggestionColumns + from +
                                             " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                                         where, q.limit, q.offset, ReadSuggestion);
  if (!rows) return rows.error();
  page.data = std::move(*rows);
  auto total = CountRows(conn_, from, where);
  if (!total) return total.error();
  page.total_count = *total;
  return page;
}

Result<MembershipRequest> SqlDomainStore::GetRequest(std::string_view id) {
  auto stmt = conn_.Prepare(std::string("SELECT ") + kRequestColumns +
                            " FROM membership_requests WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return store::NotFound("organization membership request");
  return ReadRequest(*stmt);
}

Result<Page<MembershipRequest>> SqlDomainStore::ListRequests(const RequestListQuery& q) {
  SqlWhere where;
  where.Add("organization_id = ?", {q.organization_id});
  AddStatuses(q.statuses, where);
  const std::string from = " FROM membership_requests" + where.Sql();
  Page<MembershipRequest> page;
  auto rows =
      SelectPage<MembershipRequest>(conn_,
                                    std::string("SELECT ") + kRequestColumns + from +
                                        " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                                    where, q.limit, q.offset, ReadRequest);
  if (!rows) return rows.error();
  page.data = std::move(*rows);
  auto total = CountRows(conn_, from, where);
  if (!total) return total.error();
  page.total_count = *total;
  return page;
}

Result<void> SqlDomainStore::Insert(const OrganizationDomain& d) {
  auto stmt = conn_.Prepare(
      "INSERT INTO organization_domains (id, organization_id, name, enrollment_mode, verified, "
      "affiliation_email_address, affiliation, affiliation_code_hash, ownership, "
      "txt_record_value, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
      "?10, ?11, ?12)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, d.id);
  stmt->Bind(2, d.organization_id);
  stmt->Bind(3, d.name);
  stmt->Bind(4, d.enrollment_mode);
  stmt->Bind(5, int64_t{d.IsVerified() ? 1 : 0});
  stmt->Bind(6, d.affiliation_email_address);
  stmt->Bind(7, StoredVerification(d.affiliation));
  stmt->Bind(8, d.affiliation_code_hash);
  stmt->Bind(9, StoredVerification(d.ownership));
  stmt->Bind(10, d.txt_record_value);
  stmt->Bind(11, d.created_at);
  stmt->Bind(12, d.updated_at);
  if (auto r = stmt->Run(); !r) return Canonical(r.error());
  return {};
}

Result<void> SqlDomainStore::Update(const OrganizationDomain& d) {
  auto stmt = conn_.Prepare(
      "UPDATE organization_domains SET enrollment_mode = ?2, verified = ?3, "
      "affiliation_email_address = ?4, affiliation = ?5, affiliation_code_hash = ?6, "
      "ownership = ?7, txt_record_value = ?8, updated_at = ?9 WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, d.id);
  stmt->Bind(2, d.enrollment_mode);
  stmt->Bind(3, int64_t{d.IsVerified() ? 1 : 0});
  stmt->Bind(4, d.affiliation_email_address);
  stmt->Bind(5, StoredVerification(d.affiliation));
  stmt->Bind(6, d.affiliation_code_hash);
  stmt->Bind(7, StoredVerification(d.ownership));
  stmt->Bind(8, d.txt_record_value);
  stmt->Bind(9, d.updated_at);
  if (auto r = stmt->Run(); !r) return Canonical(r.error());
  if (conn_.Changes() == 0) return store::NotFound("organization domain");
  return {};
}

Result<void> SqlDomainStore::Delete(std::string_view id) {
  auto stmt = conn_.Prepare("DELETE FROM organization_domains WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id);
  if (auto r = stmt->Run(); !r) return r;
  if (conn_.Changes() == 0) return store::NotFound("organization domain");
  return {};
}

Result<void> SqlDomainStore::LinkInvitation(std::string_view invitation_id,
                                            std::string_view domain_id) {
  auto stmt =
      conn_.Prepare("INSERT INTO domain_invitations (invitation_id, domain_id) VALUES (?1, ?2)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, invitation_id);
  stmt->Bind(2, domain_id);
  return stmt->Run();
}

Result<void> SqlDomainStore::DeletePendingEnrollment(std::string_view domain_id, int64_t now) {
  auto invitations = conn_.Prepare(
      "DELETE FROM organization_invitations WHERE status = 'pending' AND expires_at > ?2 AND id "
      "IN (SELECT invitation_id FROM domain_invitations WHERE domain_id = ?1)");
  if (!invitations) return invitations.error();
  invitations->Bind(1, domain_id);
  invitations->Bind(2, now);
  if (auto r = invitations->Run(); !r) return r;
  auto suggestions = conn_.Prepare(
      "DELETE FROM organization_suggestions WHERE domain_id = ?1 AND status = 'pending'");
  if (!suggestions) return suggestions.error();
  suggestions->Bind(1, domain_id);
  return suggestions->Run();
}

Result<void> SqlDomainStore::InsertSuggestion(const OrganizationSuggestion& g) {
  auto stmt = conn_.Prepare(
      "INSERT INTO organization_suggestions (id, organization_id, user_id, domain_id, status, "
      "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, g.id);
  stmt->Bind(2, g.organization_id);
  stmt->Bind(3, g.user_id);
  stmt->Bind(4, g.domain_id);
  stmt->Bind(5, g.status);
  stmt->Bind(6, g.created_at);
  stmt->Bind(7, g.updated_at);
  if (auto r = stmt->Run(); !r) return Canonical(r.error());
  return {};
}

Result<void> SqlDomainStore::UpdateSuggestion(const OrganizationSuggestion& g) {
  auto stmt = conn_.Prepare(
      "UPDATE organization_suggestions SET status = ?2, updated_at = ?3 WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, g.id);
  stmt->Bind(2, g.status);
  stmt->Bind(3, g.updated_at);
  if (auto r = stmt->Run(); !r) return r;
  if (conn_.Changes() == 0) return store::NotFound("organization suggestion");
  return {};
}

Result<void> SqlDomainStore::InsertRequest(const MembershipRequest& r) {
  auto stmt = conn_.Prepare(
      "INSERT INTO membership_requests (id, organization_id, user_id, status, created_at, "
      "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, r.id);
  stmt->Bind(2, r.organization_id);
  stmt->Bind(3, r.user_id);
  stmt->Bind(4, r.status);
  stmt->Bind(5, r.created_at);
  stmt->Bind(6, r.updated_at);
  if (auto res = stmt->Run(); !res) return Canonical(res.error());
  return {};
}

Result<void> SqlDomainStore::UpdateRequest(const MembershipRequest& r) {
  // Only a pending request moves: a concurrent accept and reject cannot both win.
  auto stmt = conn_.Prepare(
      "UPDATE membership_requests SET status = ?2, updated_at = ?3 WHERE id = ?1 AND "
      "status = 'pending'");
  if (!stmt) return stmt.error();
  stmt->Bind(1, r.id);
  stmt->Bind(2, r.status);
  stmt->Bind(3, r.updated_at);
  if (auto res = stmt->Run(); !res) return res;
  if (conn_.Changes() == 0) return store::NotFound("organization membership request");
  return {};
}

}  // namespace orgd::store::sql
