-- Presence and live read state.
--
-- The chosen status and custom status are already columns of users (0002: status, custom_status);
-- online / idle / offline follow live sockets and are never stored.
--
-- A message mentioning <@&role> counts a mention for every holder of the role: find them by role
-- (member_roles' key starts with guild_id, user_id, which would scan the whole server).
CREATE INDEX member_roles_role ON member_roles(role_id, user_id);
