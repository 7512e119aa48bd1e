-- Roles, permissions and the instance's organization settings. Every instance starts with
-- Clerk's system permissions and its two default roles; memberships now reference a role by key
-- (renaming a role's key renames it in every membership, deleting a role that members hold fails).

CREATE TABLE permissions (
  id           TEXT    PRIMARY KEY,
  key          TEXT    NOT NULL UNIQUE,
  name         TEXT    NOT NULL,
  description  TEXT    NOT NULL,
  type         TEXT    NOT NULL CHECK (type IN ('system', 'user')),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX permissions_by_created_at ON permissions (created_at, id);
CREATE INDEX permissions_by_name ON permissions (name COLLATE NOCASE, id);

CREATE TABLE roles (
  id           TEXT    PRIMARY KEY,
  key          TEXT    NOT NULL UNIQUE,
  name         TEXT    NOT NULL,
  description  TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX roles_by_created_at ON roles (created_at, id);
CREATE INDEX roles_by_name ON roles (name COLLATE NOCASE, id);

CREATE TABLE role_permissions (
  role_id        TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  permission_id  TEXT NOT NULL REFERENCES permissions (id) ON DELETE CASCADE,
  PRIMARY KEY (role_id, permission_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX role_permissions_by_permission ON role_permissions (permission_id);

-- One row per settings document (today only 'organization_settings'), as JSON. `version` counts
-- the changes to roles and permissions, so every orgd process can tell its in-memory role table
-- is stale.
CREATE TABLE instance_settings (
  name     TEXT    PRIMARY KEY,
  value    TEXT    NOT NULL,
  version  INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO instance_settings (name, value) VALUES ('organization_settings', '{}');
INSERT INTO instance_settings (name, value) VALUES ('roles', '{}');

INSERT INTO permissions (id, key, name, description, type, created_at, updated_at) VALUES
  ('perm_2xUporghsMhjwZrNLl5F48SDogV', 'org:sys_profile:manage', 'Manage organization',
   'Permission to manage the organization''s profile.', 'system', 0, 0),
  ('perm_2hHzKTU2qZcdOk7c9a9wawqEQcw', 'org:sys_profile:delete', 'Delete organization',
   'Permission to delete the organization.', 'system', 0, 0),
  ('perm_2A8mvcumpR9wvdIJzrXYMnVq9b3', 'org:sys_memberships:read', 'Read members',
   'Permission to read the members of the organization.', 'system', 0, 0),
  ('perm_2qXFrfa4LDkkLodQktkubCFOmsC', 'org:sys_memberships:manage', 'Manage members',
   'Permission to manage the members of the organization.', 'system', 0, 0),
  ('perm_2EXjsDEYq4c7LArM9oXRK3Uey8e', 'org:sys_domains:read', 'Read domains',
   'Permission to read the verified domains of the organization.', 'system', 0, 0),
  ('perm_2GpCDTIZz0IKwWb5RWSBA3Aq1Th', 'org:sys_domains:manage', 'Manage domains',
   'Permission to manage the verified domains of the organization.', 'system', 0, 0),
  ('perm_2U7X3HW4TgYVAIvA4vi0gORZXYz', 'org:sys_billing:read', 'Read billing',
   'Permission to read the billing of the organization.', 'system', 0, 0),
  ('perm_2TQdlbstOFuytU0za0kobyFIKUw', 'org:sys_billing:manage', 'Manage billing',
   'Permission to manage the billing of the organization.', 'system', 0, 0),
  ('perm_2Kq8s0vWm3NcYh1tZ4bLx7RgE5d', 'org:sys_entconns:manage', 'Manage enterprise connections',
   'Permission to manage the enterprise connections of the organization.', 'system', 0, 0);

INSERT INTO roles (id, key, name, description, created_at, updated_at) VALUES
  ('role_2llMBiS8c3MsFFS1Ct2DLRj0W0c', 'org:admin', 'Admin',
   'Role with elevated permissions in the organization.', 0, 0),
  ('role_2DMdpYBN9iL0GqYyQLGA3xAc3yb', 'org:member', 'Member',
   'Role with non-privileged permissions in the organization.', 0, 0);

INSERT INTO role_permissions (role_id, permission_id)
  SELECT 'role_2llMBiS8c3MsFFS1Ct2DLRj0W0c', id FROM permissions WHERE type = 'system';
INSERT INTO role_permissions (role_id, permission_id)
  SELECT 'role_2DMdpYBN9iL0GqYyQLGA3xAc3yb', id FROM permissions
  WHERE key IN ('org:sys_memberships:read', 'org:sys_billing:read');

-- Memberships reference their role by key (SQLite adds a foreign key only by rebuilding).
CREATE TABLE organization_memberships_new (
  id                TEXT    PRIMARY KEY,
  organization_id   TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id           TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role              TEXT    NOT NULL REFERENCES roles (key) ON UPDATE CASCADE ON DELETE RESTRICT,
  public_metadata   TEXT    NOT NULL,
  private_metadata  TEXT    NOT NULL,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  UNIQUE (organization_id, user_id)
) STRICT;
INSERT INTO organization_memberships_new SELECT * FROM organization_memberships;
DROP TABLE organization_memberships;
ALTER TABLE organization_memberships_new RENAME TO organization_memberships;
CREATE INDEX memberships_by_organization ON organization_memberships (organization_id, created_at, id);
CREATE INDEX memberships_by_organization_role ON organization_memberships (organization_id, role);
CREATE INDEX memberships_by_user ON organization_memberships (user_id, created_at, id);
CREATE INDEX memberships_by_created_at ON organization_memberships (created_at, id);
CREATE INDEX memberships_by_role ON organization_memberships (role);
