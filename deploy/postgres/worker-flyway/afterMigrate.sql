-- Run by the provisioning worker's Flyway, as scimflow_worker (the owner of the scim schema), after every migrate,
-- including one with nothing to do (docker-compose.yml adds this directory to SPRING_FLYWAY_LOCATIONS). Idempotent.
-- The ingress reads the user store, records when a token was last used or an OAuth client last got an access token,
-- adds the OAuth signing keys every instance shares, and keeps the authorization code grant's authorizations and
-- consents (Okta's OAuth mode); the events service reads tenants and their tokens, never the signing keys (their
-- private parts sign access tokens) nor the authorizations. Neither writes anything else in it.
grant usage on schema scim to scimflow_ingress, scimflow_events;
grant select on all tables in schema scim to scimflow_ingress, scimflow_events;
grant update (last_used_at) on scim.tenant_tokens to scimflow_ingress;
grant update (last_used_at) on scim.oauth_clients to scimflow_ingress;
grant insert on scim.oauth_signing_keys to scimflow_ingress;
revoke select on scim.oauth_signing_keys from scimflow_events;
grant insert, update, delete on scim.oauth_authorizations, scim.oauth_consents to scimflow_ingress;
revoke select on scim.oauth_authorizations, scim.oauth_consents from scimflow_events;
