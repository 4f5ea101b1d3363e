-- A database role per scimflow service, each with only what it needs, and a schema per owner. The postgres image runs
-- this file once, as the superuser, when it initialises an empty data directory (docker-compose.yml mounts this
-- directory as /docker-entrypoint-initdb.d). It can be run again at any time, e.g. on a database made before the roles
-- existed: docker compose exec postgres psql -U scimflow -d scimflow -f /docker-entrypoint-initdb.d/10-roles.sql
--
--   role               owns (creates with Flyway)   also
--   scimflow_worker    scim  (the user store)        the only writer of the user store
--   scimflow_ingress   -                             reads scim; records token use, adds OAuth signing keys, keeps OAuth authorizations (afterMigrate.sql)
--   scimflow_audit     audit                         -
--   scimflow_events    events                        reads scim (tenants and their tokens)
--   scimflow           everything (the superuser)    the operators' scimflow command; no service uses it
--
-- The passwords are the compose secrets db-<service>-password, read from /run/secrets by psql.

\set ON_ERROR_STOP on
\set worker_password `cat /run/secrets/db-worker-password`
\set ingress_password `cat /run/secrets/db-ingress-password`
\set audit_password `cat /run/secrets/db-audit-password`
\set events_password `cat /run/secrets/db-events-password`

select format('create role %I login', name)
from unnest(array['scimflow_worker', 'scimflow_ingress', 'scimflow_audit', 'scimflow_events']) as name
where not exists (select 1 from pg_roles where rolname = name)
\gexec

alter role scimflow_worker login nosuperuser nocreatedb nocreaterole password :'worker_password';
alter role scimflow_ingress login nosuperuser nocreatedb nocreaterole password :'ingress_password';
alter role scimflow_audit login nosuperuser nocreatedb nocreaterole password :'audit_password';
alter role scimflow_events login nosuperuser nocreatedb nocreaterole password :'events_password';

-- only these roles (and the superuser) connect; nobody creates objects in public
revoke all on database :"DBNAME" from public;
grant connect on database :"DBNAME" to scimflow_worker, scimflow_ingress, scimflow_audit, scimflow_events;
revoke create on schema public from public;

create schema if not exists scim authorization scimflow_worker;
create schema if not exists audit authorization scimflow_audit;
create schema if not exists events authorization scimflow_events;
alter schema scim owner to scimflow_worker;
alter schema audit owner to scimflow_audit;
alter schema events owner to scimflow_events;

-- Tables, views and free-standing sequences made before the roles existed (by a deployment where every service was
-- the superuser) pass to their schema's owner, so that its Flyway can go on migrating them; sequences that belong
-- to a table follow the table.
do $$
declare
    relation record;
begin
    for relation in
        select n.nspname as schema, c.relname as name,
               case c.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'S' then 'sequence' else 'table' end as kind,
               case n.nspname when 'scim' then 'scimflow_worker' when 'audit' then 'scimflow_audit' else 'scimflow_events' end as owner
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ('scim', 'audit', 'events') and c.relkind in ('r', 'p', 'v', 'm', 'S')
          and not c.relispartition
          and not (c.relkind = 'S' and exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                                               and d.objid = c.oid and d.deptype in ('a', 'i')))
    loop
        execute format('alter %s %I.%I owner to %I', relation.kind, relation.schema, relation.name, relation.owner);
    end loop;
end
$$;

-- What the ingress and the events service read. The worker's Flyway grants the same on every table after each
-- migration (deploy/postgres/worker-flyway/afterMigrate.sql), so tables that later migrations add are covered too.
grant usage on schema scim to scimflow_ingress, scimflow_events;
grant select on all tables in schema scim to scimflow_ingress, scimflow_events;
alter default privileges for role scimflow_worker in schema scim grant select on tables to scimflow_ingress, scimflow_events;
-- tables the operators' scimflow command creates as the superuser, which runs this file (it migrates a user store that is behind)
alter default privileges in schema scim grant all on tables to scimflow_worker;
alter default privileges in schema scim grant all on sequences to scimflow_worker;
alter default privileges in schema scim grant select on tables to scimflow_ingress, scimflow_events;
-- the events service never reads the ingress's OAuth signing keys (their private parts sign access tokens)
select 'revoke select on scim.oauth_signing_keys from scimflow_events' where to_regclass('scim.oauth_signing_keys') is not null
\gexec
