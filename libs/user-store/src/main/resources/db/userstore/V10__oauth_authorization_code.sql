-- Okta's OAuth mode: the authorization code grant with refresh tokens. A tenant's administrator signs in at the
-- ingress's /oauth2/authorize with one of the tenant's tokens and consents; the IdP exchanges the code for an access
-- token and a refresh token. What Spring Authorization Server keeps between those steps lives here, shared by every
-- ingress instance.

-- The exact redirect URIs a client may ask the administrator's browser to be sent back to (none: no code grant).
alter table oauth_clients add column redirect_uris text[] not null default '{}';

-- One authorization: the pending consent, then the code, then the refresh token it became. Codes, refresh tokens and
-- the consent's state are found by their SHA-256 only; the stored authorization holds those hashes in place of the
-- values, so a copy of this table gives no usable code or refresh token. A used refresh token is replaced by a new one.
create table oauth_authorizations (
    id                  text primary key,
    client_id           text not null references oauth_clients (id),
    tenant_id           text not null references tenants (id),   -- the tenant whose administrator signed in
    state_hash          bytea unique,
    code_hash           bytea unique,
    refresh_token_hash  bytea unique,
    content             bytea not null,                          -- Spring Authorization Server's authorization, serialized
    expires_at          timestamptz not null                     -- after this nothing in it is usable; then it is deleted
);

create index oauth_authorizations_client on oauth_authorizations (client_id);

-- What a tenant's administrator consented to a client doing (its scopes, as Spring's authorities).
create table oauth_consents (
    client_id    text not null references oauth_clients (id),
    tenant_id    text not null references tenants (id),
    authorities  text[] not null,
    primary key (client_id, tenant_id)
);
