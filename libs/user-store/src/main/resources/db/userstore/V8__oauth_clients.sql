-- OAuth 2.0 for IdPs (Entra's app gallery, Okta's OAuth mode): per-tenant OAuth clients that get short-lived access
-- tokens from the ingress's /oauth2/token with the client credentials grant, and the keys those tokens are signed with.

-- A tenant's OAuth client; its id is the client_id, recorded as the actor of the changes made with its tokens.
create table oauth_clients (
    id            text primary key,        -- client_id, 'oac_...'
    tenant_id     text not null references tenants (id),
    label         text,
    created_at    timestamptz not null default now(),
    revoked_at    timestamptz,             -- a revoked client gets no token, and the tokens it had are refused
    last_used_at  timestamptz              -- when it last got an access token
);

create index oauth_clients_tenant on oauth_clients (tenant_id);

-- A client may hold several active secrets: rotation adds one and gives the others an expiry (the overlap).
create table oauth_client_secrets (
    id           text primary key,         -- 'sec_...', shown to operators, never the secret
    client_id    text not null references oauth_clients (id),
    secret_hash  bytea not null unique,    -- SHA-256 of the client secret; the secret itself is never stored
    created_at   timestamptz not null default now(),
    expires_at   timestamptz
);

create index oauth_client_secrets_client on oauth_client_secrets (client_id);

-- The keys access tokens are signed with, shared by every ingress instance: the newest signs; an older one stays
-- published in the JWKS until the tokens it signed have expired. Written by the ingress (it makes a new key when the
-- newest is older than its rotation period) and by `scimflow oauth-client rotate-key`.
create table oauth_signing_keys (
    id           text primary key,         -- the JWK's kid
    private_key  bytea not null,           -- RSA, PKCS#8
    public_key   bytea not null,           -- RSA, X.509 SubjectPublicKeyInfo
    created_at   timestamptz not null default now()
);
