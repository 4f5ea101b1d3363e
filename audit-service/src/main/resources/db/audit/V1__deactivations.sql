-- Every deactivation and reactivation of a user, one row per scim.events event (event_id makes replays idempotent).
create table audit.deactivations (
    id            bigserial primary key,
    tenant        text        not null,
    user_id       text        not null,
    user_name     text,
    display_name  text,
    action        text        not null check (action in ('DEACTIVATED', 'REACTIVATED')),
    cause         text        not null check (cause in ('PATCH', 'PUT', 'DELETE')),
    client_name   text,
    token_id      text,
    request_id    text,
    change_id     uuid,
    event_id      uuid        not null unique,
    changed_at    timestamptz,
    recorded_at   timestamptz not null default now(),
    before        jsonb,
    after         jsonb
);

-- operators list newest first, per tenant or across tenants, optionally for one userName (case-insensitive, as SCIM)
create index deactivations_tenant_recent on audit.deactivations (tenant, recorded_at desc, id desc);
create index deactivations_recent on audit.deactivations (recorded_at desc, id desc);
create index deactivations_tenant_user_name on audit.deactivations (tenant, lower(user_name));
