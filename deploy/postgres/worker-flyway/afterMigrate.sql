-- Run by the provisioning worker's Flyway, as scimflow_worker (the owner of the scim schema), after every migrate,
-- including one with nothing to do (docker-compose.yml adds this directory to SPRING_FLYWAY_LOCATIONS). Idempotent.
-- The ingress reads the user store and records when a token was last used; the events service reads tenants and
-- their tokens. Neither writes anything else in it.
grant usage on schema scim to scimflow_ingress, scimflow_events;
grant select on all tables in schema scim to scimflow_ingress, scimflow_events;
grant update (last_used_at) on scim.tenant_tokens to scimflow_ingress;
