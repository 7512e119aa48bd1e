// Roles, permissions and the instance organization settings through the real SDK
// (organizationRoles, organizationPermissions, instance).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertClerkError, assertSdkError, useOrgd } from '../lib/suite.js';

const ctx = useOrgd();
const SYSTEM = ['org:sys_billing:manage', 'org:sys_billing:read', 'org:sys_domains:manage', 'org:sys_domains:read',
  'org:sys_entconns:manage', 'org:sys_memberships:manage', 'org:sys_memberships:read', 'org:sys_profile:delete',
  'org:sys_profile:manage'];
const CREATOR = ['org:sys_memberships:manage', 'org:sys_memberships:read', 'org:sys_profile:delete'];

const perms = () => ctx.clerk.organizationPermissions;
const roles = () => ctx.clerk.organizationRoles;
async function permissionIds(keys) {
  const all = await perms().getOrganizationPermissionList({ limit: 500 });
  return keys.map(key => all.data.find(p => p.key === key).id);
}

describe('permissions', () => {
  test('system permissions are listed and immutable', async () => {
    const raw = await ctx.raw('GET', '/v1/organization_permissions?limit=100&order_by=key');
    const system = raw.json.data.filter(p => p.type === 'system');
    assert.deepEqual(system.map(p => p.key), SYSTEM);
    const id = system[0].id;
    assertClerkError(await ctx.raw('PATCH', `/v1/organization_permissions/${id}`, { json: { name: 'Mine' } }), 403,
      'organization_system_permission_not_modifiable');
    assertClerkError(await ctx.raw('DELETE', `/v1/organization_permissions/${id}`), 403,
      'organization_system_permission_not_modifiable');
    assert.equal((await ctx.raw('GET', `/v1/organization_permissions/${id}`)).json.name, system[0].name);
  });

  test('create, get, list with query, update and delete a custom permission', async () => {
    const created = await perms().createOrganizationPermission({
      name: 'Create invoices', key: 'org:invoices:create', description: 'May create invoices',
    });
    assert.match(created.id, /^perm_[0-9A-Za-z]{27}$/);
    const raw = await ctx.raw('GET', `/v1/organization_permissions/${created.id}`);
    assert.equal(raw.json.type, 'user');
    assert.equal(raw.json.description, 'May create invoices');
    const found = await perms().getOrganizationPermissionList({ query: 'INVOICES' });
    assert.deepEqual(found.data.map(p => p.key), ['org:invoices:create']);
    const updated = await perms().updateOrganizationPermission({ permissionId: created.id, name: 'Issue invoices', key: 'org:invoices:issue' });
    assert.equal(updated.key, 'org:invoices:issue');
    const deleted = await ctx.raw('DELETE', `/v1/organization_permissions/${created.id}`);
    assert.deepEqual(deleted.json, { object: 'permission', id: created.id, deleted: true });
    await assertSdkError(perms().getOrganizationPermission(created.id), 404, 'resource_not_found');
  });

  test('keys are validated and unique; reserved prefixes are refused', async () => {
    await perms().createOrganizationPermission({ name: 'Read reports', key: 'org:reports:read' });
    const before = (await ctx.raw('GET', '/v1/organization_permissions')).json.total_count;
    for (const [body, code, param] of [
      [{ name: 'Again', key: 'org:reports:read' }, 'form_identifier_exists', 'key'],
      [{ name: 'Bad', key: 'org:reports' }, 'form_param_format_invalid', 'key'],
      [{ name: 'Bad', key: 'org:Reports:read' }, 'form_param_format_invalid', 'key'],
      [{ name: 'Sys', key: 'org:sys_reports:read' }, 'form_param_format_invalid', 'key'],
      [{ key: 'org:x:y' }, 'form_param_missing', 'name'],
      [{ name: 'No key' }, 'form_param_missing', 'key'],
    ]) {
      assertClerkError(await ctx.raw('POST', '/v1/organization_permissions', { json: body }), 422, code, param);
    }
    assert.equal((await ctx.raw('GET', '/v1/organization_permissions')).json.total_count, before);
  });
});

describe('roles', () => {
  test('the default roles exist with their permissions', async () => {
    const list = await roles().getOrganizationRoleList({ orderBy: 'key' });
    const admin = list.data.find(r => r.key === 'org:admin');
    const member = list.data.find(r => r.key === 'org:member');
    assert.deepEqual(admin.permissions.map(p => p.key).sort(), SYSTEM);
    assert.deepEqual(member.permissions.map(p => p.key).sort(), ['org:sys_billing:read', 'org:sys_memberships:read']);
    assert.equal(admin.isCreatorEligible, true);
    assert.equal(member.isCreatorEligible, false);
  });

  test('create with permissions, assign and remove a permission, update, delete', async () => {
    const [read] = await permissionIds(['org:sys_memberships:read']);
    const custom = await perms().createOrganizationPermission({ name: 'Pay', key: 'org:invoices:pay' });
    const role = await roles().createOrganizationRole({
      name: 'Billing manager', key: 'org:billing_manager', description: 'Pays the bills', permissions: [read, custom.id],
    });
    assert.match(role.id, /^role_[0-9A-Za-z]{27}$/);
    assert.deepEqual(role.permissions.map(p => p.key).sort(), ['org:invoices:pay', 'org:sys_memberships:read']);
    const [billing] = await permissionIds(['org:sys_billing:manage']);
    const more = await roles().assignPermissionToOrganizationRole({ organizationRoleId: role.id, permissionId: billing });
    assert.equal(more.permissions.length, 3);
    await assertSdkError(roles().assignPermissionToOrganizationRole({ organizationRoleId: role.id, permissionId: billing }),
      409, 'organization_role_permission_association_exists');
    const fewer = await roles().removePermissionFromOrganizationRole({ organizationRoleId: role.id, permissionId: billing });
    assert.equal(fewer.permissions.length, 2);
    await assertSdkError(roles().removePermissionFromOrganizationRole({ organizationRoleId: role.id, permissionId: billing }),
      404, 'organization_role_permission_association_not_found');
    const renamed = await roles().updateOrganizationRole({ organizationRoleId: role.id, name: 'Billing', permissions: [custom.id] });
    assert.equal(renamed.name, 'Billing');
    assert.deepEqual(renamed.permissions.map(p => p.key), ['org:invoices:pay']);
    const gone = await ctx.raw('DELETE', `/v1/organization_roles/${role.id}`);
    assert.deepEqual(gone.json, { object: 'role', id: role.id, deleted: true });
    await assertSdkError(roles().getOrganizationRole(role.id), 404, 'resource_not_found');
  });

  test('refusals: bad or taken keys, unknown permissions, held roles, the creator role', async () => {
    for (const [body, status, code] of [
      [{ name: 'X', key: 'admin' }, 422, 'form_param_format_invalid'],
      [{ name: 'X', key: 'org:admin' }, 422, 'form_identifier_exists'],
      [{ name: 'X', key: 'org:x', permissions: ['perm_0000000000000000000000000000'] }, 404, 'resource_not_found'],
    ]) {
      assertClerkError(await ctx.raw('POST', '/v1/organization_roles', { json: body }), status, code);
    }
    assert.equal((await roles().getOrganizationRoleList({ query: 'org:x' })).totalCount, 0);
    const role = await roles().createOrganizationRole({ name: 'Held', key: 'org:held', permissions: [] });
    const org = await ctx.clerk.organizations.createOrganization({ name: 'Holds roles' });
    const user = await ctx.clerk.users.createUser({ emailAddress: ['holder@roles.example.com'] });
    await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: user.id, role: 'org:held' });
    await assertSdkError(roles().deleteOrganizationRole(role.id), 422, 'organization_role_assigned_members');
    const admin = (await roles().getOrganizationRoleList({ query: 'org:admin' })).data[0];
    await assertSdkError(roles().deleteOrganizationRole(admin.id), 422, 'organization_role_default_creator_role');
    const member = (await roles().getOrganizationRoleList({ query: 'org:member' })).data[0];
    await assertSdkError(roles().deleteOrganizationRole(member.id), 422, 'organization_role_domain_default_role');
    // The creator role keeps the creator permissions.
    const [manage] = await permissionIds(['org:sys_memberships:manage']);
    await assertSdkError(roles().removePermissionFromOrganizationRole({ organizationRoleId: admin.id, permissionId: manage }),
      422, 'organization_missing_creator_role_permissions');
    assert.equal((await roles().getOrganizationRole(admin.id)).permissions.length, SYSTEM.length);
  });

  test('a membership with a custom role shows the role’s name and permissions; renaming the key follows', async () => {
    const custom = await perms().createOrganizationPermission({ name: 'Approve', key: 'org:expenses:approve' });
    const role = await roles().createOrganizationRole({ name: 'Approver', key: 'org:approver', permissions: [custom.id] });
    const org = await ctx.clerk.organizations.createOrganization({ name: 'Custom roles' });
    const user = await ctx.clerk.users.createUser({ emailAddress: ['approver@roles.example.com'] });
    const m = await ctx.clerk.organizations.createOrganizationMembership({ organizationId: org.id, userId: user.id, role: 'org:approver' });
    assert.equal(m.role, 'org:approver');
    assert.deepEqual(m.permissions, ['org:expenses:approve']);
    await roles().updateOrganizationRole({ organizationRoleId: role.id, key: 'org:expense_approver' });
    const list = await ctx.raw('GET', `/v1/organizations/${org.id}/memberships`);
    assert.equal(list.json.data[0].role, 'org:expense_approver');
    assert.equal(list.json.data[0].role_name, 'Approver');
    await roles().assignPermissionToOrganizationRole({ organizationRoleId: role.id, permissionId: (await permissionIds(['org:sys_memberships:read']))[0] });
    const after = await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id });
    assert.deepEqual(after.data[0].permissions.sort(), ['org:expenses:approve', 'org:sys_memberships:read']);
    // An unknown role is 404 for memberships.
    await assertSdkError(ctx.clerk.organizations.updateOrganizationMembership({ organizationId: org.id, userId: user.id, role: 'org:approver' }),
      404, 'resource_not_found');
  });

  test('updates are refused for taken keys and unknown IDs, and change nothing', async () => {
    const role = await roles().createOrganizationRole({ name: 'Renamable', key: 'org:renamable' });
    assertClerkError(await ctx.raw('PATCH', `/v1/organization_roles/${role.id}`, { json: { key: 'org:admin' } }),
      422, 'form_identifier_exists', 'key');
    assertClerkError(await ctx.raw('PATCH', `/v1/organization_roles/${role.id}`, { json: { key: 'Bad Key' } }),
      422, 'form_param_format_invalid', 'key');
    assert.equal((await roles().getOrganizationRole(role.id)).key, 'org:renamable');
    assertClerkError(await ctx.raw('PATCH', '/v1/organization_roles/role_0000000000000000000000000000', { json: { name: 'X' } }),
      404, 'resource_not_found');
    const p = await perms().createOrganizationPermission({ name: 'Taken', key: 'org:taken:one' });
    await perms().createOrganizationPermission({ name: 'Other', key: 'org:taken:two' });
    assertClerkError(await ctx.raw('PATCH', `/v1/organization_permissions/${p.id}`, { json: { key: 'org:taken:two' } }),
      422, 'form_identifier_exists', 'key');
    assert.equal((await perms().getOrganizationPermission(p.id)).key, 'org:taken:one');
  });

  test('the roles quota', async () => {
    const settings = await ctx.clerk.instance.getOrganizationSettings();
    const count = (await roles().getOrganizationRoleList({ limit: 1 })).totalCount;
    await ctx.raw('PATCH', '/v1/instance/organization_settings', { json: { max_allowed_roles: count } });
    assertClerkError(await ctx.raw('POST', '/v1/organization_roles', { json: { name: 'One more', key: 'org:one_more' } }),
      403, 'organization_instance_roles_quota_exceeded');
    await ctx.raw('PATCH', '/v1/instance/organization_settings', { json: { max_allowed_roles: settings.maxAllowedRoles } });
  });
});

describe('instance organization settings', () => {
  test('defaults, and every change takes effect on the next request', async () => {
    const raw = await ctx.raw('GET', '/v1/instance/organization_settings');
    assert.equal(raw.json.object, 'organization_settings');
    assert.equal(raw.json.creator_role, 'org:admin');
    assert.equal(raw.json.domains_default_role, 'org:member');
    assert.equal(raw.json.max_allowed_memberships, 5);

    const [manage, read, del] = await permissionIds(CREATOR);
    const owner = await roles().createOrganizationRole({ name: 'Owner', key: 'org:owner', permissions: [manage, read, del] });
    const updated = await ctx.clerk.instance.updateOrganizationSettings({
      maxAllowedMemberships: 2, adminDeleteEnabled: false, creatorRoleId: owner.id,
      domainsEnabled: true, domainsEnrollmentModes: ['automatic_invitation'],
    });
    assert.equal(updated.creatorRole, 'org:owner');
    const creator = await ctx.clerk.users.createUser({ emailAddress: ['owner@settings.example.com'] });
    const org = await ctx.clerk.organizations.createOrganization({ name: 'After settings', createdBy: creator.id });
    assert.equal(org.maxAllowedMemberships, 2);
    assert.equal(org.adminDeleteEnabled, false);
    const members = await ctx.clerk.organizations.getOrganizationMembershipList({ organizationId: org.id });
    assert.equal(members.data[0].role, 'org:owner');

    const member = (await roles().getOrganizationRoleList({ query: 'org:member' })).data[0];
    assertClerkError(await ctx.raw('PATCH', '/v1/instance/organization_settings', { json: { creator_role_id: member.id } }),
      422, 'organization_missing_creator_role_permissions');
    assertClerkError(await ctx.raw('PATCH', '/v1/instance/organization_settings', { json: { domains_enrollment_modes: ['magic'] } }),
      422, 'form_param_value_invalid');
    assert.equal((await ctx.clerk.instance.getOrganizationSettings()).creatorRole, 'org:owner');

    assertClerkError(await ctx.raw('PATCH', '/v1/instance/organization_settings', { json: { max_allowed_memberships: -1 } }),
      422, 'form_param_value_invalid', 'max_allowed_memberships');
    assertClerkError(await ctx.raw('PATCH', '/v1/instance/organization_settings',
      { json: { creator_role_id: 'role_0000000000000000000000000000' } }), 404, 'resource_not_found');
    assertClerkError(await ctx.raw('PATCH', '/v1/instance/organization_settings', { json: { max_allowed_organizations: 3 } }),
      422, 'form_param_unknown', 'max_allowed_organizations');
    assert.equal((await ctx.clerk.instance.getOrganizationSettings()).maxAllowedMemberships, 2);
    await ctx.raw('PATCH', '/v1/instance/organization_settings', { json: { slug_disabled: true } });
    assertClerkError(await ctx.raw('POST', '/v1/organizations', { json: { name: 'Sluggy', slug: 'sluggy' } }), 403,
      'organization_slugs_disabled');
    await ctx.raw('PATCH', '/v1/instance/organization_settings', { json: { slug_disabled: false, enabled: false } });
    assertClerkError(await ctx.raw('POST', '/v1/organizations', { json: { name: 'Off' } }), 403,
      'organization_not_enabled_in_instance');
    const admin = (await roles().getOrganizationRoleList({ query: 'org:admin' })).data[0];
    await ctx.clerk.instance.updateOrganizationSettings({
      enabled: true, maxAllowedMemberships: 5, adminDeleteEnabled: true, creatorRoleId: admin.id,
    });
  });
});
