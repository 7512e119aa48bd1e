-- Roles, permissions and the instance's organization settings (see
-- migrations/sqlite/0003_roles_permissions_settings.sql). Memberships reference a role by key.
-- Every change of the roles version is announced on the channel orgd_changes, so each orgd node
-- reloads its in-memory role table (store/postgres/postgres_database.h listens).

CREATE TABLE permissions (
  id           TEXT COLLATE "C" PRIMARY KEY,
  key          TEXT COLLATE "C" NOT NULL UNIQUE,
  name         TEXT COLLATE "C" NOT NULL,
  description  TEXT   NOT NULL,
  type         TEXT   NOT NULL CHECK (type IN ('system', 'user')),
  created_at   BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL
);

CREATE INDEX permissions_by_created_at ON permissions (created_at NULLS FIRST, id NULLS FIRST);
CREATE INDEX permissions_by_name ON permissions ((name COLLATE nocase) NULLS FIRST, id NULLS FIRST);

CREATE TABLE roles (
  id           TEXT COLLATE "C" PRIMARY KEY,
  key          TEXT COLLATE "C" NOT NULL UNIQUE,
  name         TEXT COLLATE "C" NOT NULL,
  description  TEXT,
  created_at   BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL
);

CREATE INDEX roles_by_created_at ON roles (created_at NULLS FIRST, id NULLS FIRST);
CREATE INDEX roles_by_name ON roles ((name COLLATE nocase) NULLS FIRST, id NULLS FIRST);

CREATE TABLE role_permissions (
  role_id        TEXT COLLATE "C" NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  permission_id  TEXT COLLATE "C" NOT NULL REFERENCES permissions (id) ON DELETE CASCADE,
  PRIMARY KEY (role_id, permission_id)
);

CREATE INDEX role_permissions_by_permission ON role_permissions (permission_id NULLS FIRST);

CREATE TABLE instance_settings (
  name     TEXT COLLATE "C" PRIMARY KEY,
  value    TEXT   NOT NULL,
  version  BIGINT NOT NULL DEFAULT 0
);

CREATE FUNCTION orgd_announce_roles_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('orgd_changes', 'roles ' || NEW.version);
  RETURN NEW;
END;
$$;

CREATE TRIGGER instance_settings_roles_version AFTER UPDATE OF version ON instance_settings
  FOR EACH ROW WHEN (NEW.name = 'roles' AND NEW.version <> OLD.version)
  EXECUTE FUNCTION orgd_announce_roles_version();

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

ALTER TABLE organization_memberships ADD CONSTRAINT organization_memberships_role_fkey
  FOREIGN KEY (role) REFERENCES roles (key) ON UPDATE CASCADE ON DELETE RESTRICT;
CREATE INDEX memberships_by_role ON organization_memberships (role NULLS FIRST);
