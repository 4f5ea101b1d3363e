-- Run by the provisioning worker's Flyway, as scimflow_worker (the owner of the scim schema), after every migrate,
-- including one with nothing to do (docker-compose.yml adds this directory to SPRING_FLYWAY_LOCATIONS). Idempotent.
-- The ingress reads the user store, records when a token was last used or an OAuth client last got an access token,
-- and adds the OAuth signing keys every instance shares; the events service reads tenants and their tokens, never the
-- signing keys (their private parts sign access tokens). Neither writes anything else in it.
grant usage on schema scim to scimflow_ingress, scimflow_events;
grant select on all tables in schema scim to scimflow_ingress, scimflow_events;
grant update (last_used_at) on scim.tenant_tokens to scimflow_ingress;
grant update (last_used_at) on scim.oauth_clients to scimflow_ingress;
grant insert on scim.oauth_signing_keys to scimflow_ingress;
revoke select on scim.oauth_signing_keys from scimflow_events;
