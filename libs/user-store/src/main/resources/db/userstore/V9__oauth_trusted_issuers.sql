-- Tokens of an external issuer that a tenant trusts (Entra's workload identity federation): a JWT whose iss is `issuer`,
-- whose aud contains `audience` and whose sub is `subject`, signed by a key of `jwks_uri`, speaks for the tenant.
create table oauth_trusted_issuers (
    id          text primary key,          -- 'tri_...', recorded as the actor of the changes made with such tokens
    tenant_id   text not null references tenants (id),
    issuer      text not null,
    audience    text not null,
    subject     text not null,
    jwks_uri    text not null,
    created_at  timestamptz not null default now(),
    removed_at  timestamptz
);

create index oauth_trusted_issuers_issuer on oauth_trusted_issuers (issuer, subject);
