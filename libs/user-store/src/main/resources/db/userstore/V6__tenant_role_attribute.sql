-- Where each tenant's responses carry Zulip's role: 'extension' (scimflow's extension schema, RFC-clean; the default
-- for new tenants) or 'core' (a top-level "role", for an IdP that imports role from the core namespace). Requests
-- may use either spelling whatever the choice. The ingress reads it with the token (one query per authentication).
alter table tenants add column role_attribute text not null default 'extension'
    check (role_attribute in ('extension', 'core'));

-- Tenants that existed before this choice keep what their IdPs have always seen: role at the top.
update tenants set role_attribute = 'core';
