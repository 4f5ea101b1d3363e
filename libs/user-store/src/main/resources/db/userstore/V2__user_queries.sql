-- Indexes for the filters IdPs send (SCIM-INTEROP "Lists"): userName and externalId (V1), emails.value,
-- active, meta.lastModified; and the default order used by index and cursor paging.

-- Every email value of the user, lower-cased, kept by the worker with the document: emails.value eq "x"
-- is an index lookup instead of a scan of every document.
alter table users add column email_values text[] not null default '{}';
create index users_email_values on users using gin (email_values);

create index users_active on users (tenant_id, active);
create index users_last_modified on users (tenant_id, last_modified);
create index users_created on users (tenant_id, created_at, id);
