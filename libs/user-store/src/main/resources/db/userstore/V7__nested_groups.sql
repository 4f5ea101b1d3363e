-- Groups as members of groups (RFC 7643 §4.2, members of type "Group"). One row per nesting, beside the user
-- memberships of group_members, so that adding one group to a parent writes one row, whatever either group holds.
-- Deleting a parent deletes its rows (cascade); a member group cannot be deleted before the worker has removed it
-- from its parents (and published those removals). The worker refuses cycles (a group may not contain itself at
-- any depth), serializing nesting changes of a tenant while it checks.
create table group_member_groups (
    tenant_id        text not null,
    group_id         text not null,
    member_group_id  text not null,
    primary key (tenant_id, group_id, member_group_id),
    foreign key (tenant_id, group_id) references groups (tenant_id, id) on delete cascade,
    foreign key (tenant_id, member_group_id) references groups (tenant_id, id),
    check (group_id <> member_group_id)
);

-- the groups a group is a member of: walking up for indirect memberships and cycle checks, and removing a deleted group
create index group_member_groups_member on group_member_groups (tenant_id, member_group_id);
