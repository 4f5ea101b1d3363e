-- The user store. The provisioning worker is its only writer of SCIM resources; the ingress reads it
-- and authenticates tokens against it; the scimflow command manages tenants and tokens.

create table tenants (
    id          text primary key,          -- the tenant's slug, e.g. 'default', 'acme'
    created_at  timestamptz not null default now()
);

create table tenant_tokens (
    id            text primary key,        -- public token id, shown to operators and recorded as the actor
    tenant_id     text not null references tenants (id),
    token_hash    bytea not null unique,   -- SHA-256 of the bearer token; the token itself is never stored
    label         text,
    created_at    timestamptz not null default now(),
    revoked_at    timestamptz,
    last_used_at  timestamptz
);

create index tenant_tokens_tenant on tenant_tokens (tenant_id);

create table users (
    tenant_id      text not null references tenants (id),
    id             text not null,
    user_name      text not null,
    external_id    text,
    active         boolean not null,
    document       jsonb not null,         -- the resource as sent, without id, meta and password
    version        bigint not null,
    created_at     timestamptz not null,
    last_modified  timestamptz not null,
    primary key (tenant_id, id)
);

-- userName is unique per tenant, case-insensitively (RFC 7643: caseExact false, uniqueness server).
create unique index users_user_name on users (tenant_id, lower(user_name));
create index users_external_id on users (tenant_id, external_id);

-- One row per change the worker applied, written in the same transaction as the change:
-- the de-duplication key, and the outcome a retried or re-delivered change is answered with.
create table applied_changes (
    change_id    uuid primary key,
    tenant_id    text not null,
    resource_id  text not null,
    outcome      jsonb not null,
    applied_at   timestamptz not null default now()
);

-- Facts to publish to scim.events, written in the change's transaction and relayed after commit.
create table outbox (
    id          bigserial primary key,
    topic       text not null,
    record_key  text not null,
    payload     jsonb not null,
    created_at  timestamptz not null default now()
);
