-- The audit log becomes a hash chain per tenant, keeps the times of the event (so a rebuild from scim.events gives
-- the same records), can be trimmed by retention without breaking verification, and holds operator web sessions.

-- recorded_at was the service's wall clock when it wrote the row; that is now written_at (diagnostics only, not
-- part of a record's identity). recorded_at is the event's appliedAt: when the change was committed to the user
-- store. Rows written before this migration only have the wall clock, so it stands in for both.
alter table audit.deactivations rename column recorded_at to written_at;
alter table audit.deactivations add column recorded_at timestamptz;
update audit.deactivations set recorded_at = written_at;
update audit.deactivations set changed_at = recorded_at where changed_at is null;
alter table audit.deactivations alter column recorded_at set not null;
alter table audit.deactivations alter column changed_at set not null;

-- Position in the tenant's chain. Filled for every row from now on; rows written before this migration are linked
-- by the Java migration V3, which then makes the columns not null.
alter table audit.deactivations add column chain_seq bigint;
alter table audit.deactivations add column previous_hash text;
alter table audit.deactivations add column content_hash text;
alter table audit.deactivations add column record_hash text;
-- one record per position: a forked chain cannot be stored
alter table audit.deactivations add constraint deactivations_chain_position unique (tenant, chain_seq);

-- operators filter and page on the time of the change, newest first
drop index audit.deactivations_tenant_recent;
drop index audit.deactivations_recent;
create index deactivations_recent on audit.deactivations (changed_at desc, id desc);
create index deactivations_tenant_recent on audit.deactivations (tenant, changed_at desc, id desc);
create index deactivations_tenant_recorded on audit.deactivations (tenant, recorded_at);

-- The newest link of each tenant's chain. Appends lock this row (select ... for update), so concurrent consumers
-- of several partitions, threads or instances append one after the other and never fork the chain.
create table audit.chain_heads (
    tenant       text   primary key,
    seq          bigint not null,
    record_hash  text   not null
);

-- Where verification starts once retention removed the oldest records: the last removed link.
create table audit.chain_checkpoints (
    tenant           text        primary key,
    seq              bigint      not null,
    record_hash      text        not null,
    removed_before   timestamptz not null,
    checkpointed_at  timestamptz not null default now()
);

-- Signed-in operators of the web page. Only the SHA-256 of the cookie value is stored, never the value itself
-- and never the operator token.
create table audit.operator_sessions (
    session_hash  text        primary key,
    csrf_token    text        not null,
    created_at    timestamptz not null default now(),
    expires_at    timestamptz not null
);
create index operator_sessions_expiry on audit.operator_sessions (expires_at);
