-- The events service's own state: SSF streams, where each stream is in scim.events, what poll receivers have not
-- acknowledged yet, SETs that a receiver refused for good, and the keys SETs are signed with.

create table streams (
    id                    text primary key,     -- stream_id
    tenant_id             text not null,        -- the tenant whose token created it; it sees only this tenant's events
    description           text,
    delivery_method       text not null,        -- urn:ietf:rfc:8935 (push) or urn:ietf:rfc:8936 (poll)
    endpoint_url          text,                 -- push: the receiver's endpoint; poll: null (the service's own)
    authorization_header  text,                 -- push: sent as Authorization with every SET; never shown again
    events_requested      jsonb not null,
    status                text not null default 'enabled',   -- enabled, paused or disabled (SSF 1.0 §8.1.2)
    status_reason         text,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now()
);

create index streams_tenant on streams (tenant_id);

-- A stream's position in scim.events: everything before next_offset is delivered (push) or stored as pending (poll).
-- This is the stream's consumer position; no Kafka consumer group is involved.
create table stream_positions (
    stream_id    text not null references streams (id) on delete cascade,
    partition    int not null,
    next_offset  bigint not null,
    primary key (stream_id, partition)
);

-- SETs waiting for their receiver: for a poll stream every SET handed out and not acknowledged yet (re-delivered
-- until it is), for both kinds the SETs that do not come from scim.events (verification). Re-delivered as stored,
-- so the jti never changes.
create table pending_sets (
    stream_id   text not null references streams (id) on delete cascade,
    jti         text not null,
    seq         bigserial,
    set_jwt     text not null,
    created_at  timestamptz not null default now(),
    primary key (stream_id, jti)
);

create index pending_sets_order on pending_sets (stream_id, seq);

-- SETs a receiver refused for good (push: a 4xx other than 401, 403, 404, 408, 429; poll: setErrs): kept for operators.
create table delivery_failures (
    id           bigserial primary key,
    stream_id    text not null references streams (id) on delete cascade,
    jti          text not null,
    http_status  int,
    error        text,
    description  text,
    set_jwt      text not null,
    failed_at    timestamptz not null default now()
);

create index delivery_failures_stream on delivery_failures (stream_id, id);

-- Signing keys, as private JWKs. The newest active key signs; every key not yet retired is published at jwks_uri, a new one
-- before it signs (activates_at in the future) and an old one for a while after (retires_at), so rotation never breaks a
-- receiver. Private keys: protect this table like the database's other secrets.
create table signing_keys (
    kid           text primary key,
    jwk           text not null,
    created_at    timestamptz not null default now(),
    activates_at  timestamptz not null default now(),
    retires_at    timestamptz
);
