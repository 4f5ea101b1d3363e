/**
 * Who a SCIM request speaks for: {@link dev.scimflow.ingress.auth.BearerAuthentication}, a step of the ingress filter,
 * checks the bearer token, a tenant's token ({@code AuthenticatedTokens}), an access token of the ingress's own
 * authorization server ({@code AccessTokens}) or of an issuer the tenant trusts ({@code ExternalTokens});
 * {@code TokenUsage} records when each token was last used.
 */
package dev.scimflow.ingress.auth;
