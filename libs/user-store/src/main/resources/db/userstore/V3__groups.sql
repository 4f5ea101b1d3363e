-- Groups and their memberships. A group's own attributes are one row; each membership is a row of its own,
-- so that adding or removing members costs O(changed members) whatever the size of the group: the worker
-- inserts and deletes membership rows and bumps the group's version, and never rewrites the member list.

create table groups (
    tenant_id      text not null references tenants (id),
    id             text not null,
    display_name   text not null,
    external_id    text,
    document       jsonb not null,          -- schemas, displayName, externalId: never the members
    member_count   bigint not null,         -- kept by the worker with every membership change
    version        bigint not null,
    created_at     timestamptz not null,
    last_modified  timestamptz not null,
    primary key (tenant_id, id)
);

-- displayName is unique per tenant, case-insensitively (RFC 7643: caseExact false; SCIM-INTEROP: 409 uniqueness).
create unique index groups_display_name on groups (tenant_id, lower(display_name));
create index groups_external_id on groups (tenant_id, external_id);
create index groups_created on groups (tenant_id, created_at, id);
create index groups_last_modified on groups (tenant_id, last_modified);

-- One row per member. The primary key serves a group's members in user id order (keyset paging) and makes
-- adding an existing member a no-op; the user index serves a user's groups and the removal of a deleted user.
-- A member must be a user of the same tenant; deleting a group deletes its memberships with it, while a user
-- cannot be deleted before the worker has removed (and published the removal of) its memberships.
create table group_members (
    tenant_id  text not null,
    group_id   text not null,
    user_id    text not null,
    primary key (tenant_id, group_id, user_id),
    foreign key (tenant_id, group_id) references groups (tenant_id, id) on delete cascade,
    foreign key (tenant_id, user_id) references users (tenant_id, id)
);

create index group_members_user on group_members (tenant_id, user_id);
