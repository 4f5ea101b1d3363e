-- The tenants' request logs: one row per SCIM request the ingress answered, from scim.requests. Never a body, a
-- token or a query parameter value (the ingress does not send them). Bounded: rows older than
-- scimflow.audit.request-log.max-age and beyond the newest max-per-tenant of a tenant are removed.
create table audit.scim_requests (
    id                bigserial   primary key,
    tenant            text        not null,
    at                timestamptz not null,
    client            text,
    method            text        not null,
    path              text        not null,
    status            integer     not null,
    scim_type         text,
    detail            text,
    latency_ms        bigint      not null,
    request_id        text,
    -- where the entry was read: a batch delivered again after a crash is not recorded twice
    source_partition  integer     not null,
    source_offset     bigint      not null,
    constraint scim_requests_source unique (source_partition, source_offset)
);

-- operators read a tenant's newest requests first; retention removes by age and beyond a count per tenant
create index scim_requests_tenant_recent on audit.scim_requests (tenant, at desc, id desc);
create index scim_requests_recent on audit.scim_requests (at desc, id desc);
create index scim_requests_request_id on audit.scim_requests (request_id);
