-- Token lifecycle. Rotation issues a new token and gives the old one an expiry instead of revoking it, so
-- that an IdP can be switched to the new token without a gap; an expired token is refused like a revoked one.
-- last_used_at (V1) is written by the ingress at most once a minute per token, never per request.

alter table tenant_tokens add column expires_at timestamptz;

-- the token a rotation replaced this one with, for operators reading `scimflow token list`
alter table tenant_tokens add column replaced_by text references tenant_tokens (id);
