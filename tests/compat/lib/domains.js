// What the domain test files (test/domains-*.test.js) share: turning domains on for the instance,
// the OrganizationDomain shape (BEHAVIOR.md §2.4) and whether a domain counts as verified.
import assert from 'node:assert/strict';

export const ALL_MODES = ['manual_invitation', 'automatic_invitation', 'automatic_suggestion'];

// PATCH /v1/instance/organization_settings: domains on, with these enrollment modes.
export async function enableDomains(raw, modes = ALL_MODES) {
  const res = await raw('PATCH', '/v1/instance/organization_settings', {
    json: { domains_enabled: true, domains_enrollment_modes: modes },
  });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.domains_enabled, true, res.text);
  return res.json;
}

export const DOMAIN_KEYS = new Set([
  'object', 'id', 'organization_id', 'name', 'enrollment_mode', 'affiliation_email_address',
  'affiliation_verification', 'ownership_verification', 'verification', 'total_pending_invitations',
  'total_pending_suggestions', 'public_organization_data', 'created_at', 'updated_at',
]);

// A live OrganizationDomain as the Backend or Frontend API renders it.
export function assertDomainJson(d, { name, organizationId, mode } = {}) {
  assert.equal(d.object, 'organization_domain', JSON.stringify(d));
  assert.match(d.id, /^orgdmn_[0-9A-Za-z]{27}$/);
  for (const key of Object.keys(d)) assert.ok(DOMAIN_KEYS.has(key), `unexpected key ${key} in ${JSON.stringify(d)}`);
  assert.ok(!('deleted' in d));
  // `verification` is the deprecated alias of affiliation_verification (§2.4).
  assert.deepEqual(d.verification, d.affiliation_verification, `verification is not affiliation_verification: ${JSON.stringify(d)}`);
  assert.equal(typeof d.total_pending_invitations, 'number');
  assert.equal(typeof d.total_pending_suggestions, 'number');
  assert.equal(typeof d.created_at, 'number');
  assert.ok(d.updated_at >= d.created_at);
  if (name !== undefined) assert.equal(d.name, name);
  if (organizationId !== undefined) assert.equal(d.organization_id, organizationId);
  if (mode !== undefined) assert.equal(d.enrollment_mode, mode);
  return d;
}

// Verified = affiliation verified or ownership verified.
export const isVerified = d =>
  d.affiliation_verification?.status === 'verified' || d.ownership_verification?.status === 'verified';

let counter = 0;
// A fresh domain name for this run: `${tag}-N-<random>.com` (one orgd per file, but names stay
// apart between files and reruns anyway).
const run = Math.random().toString(36).slice(2, 7);
export const domainName = (tag = 'acme') => `${tag}-${++counter}-${run}.com`;
