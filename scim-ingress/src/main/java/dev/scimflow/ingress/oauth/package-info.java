/**
 * The OAuth 2.0 authorization server on {@code /oauth2}: {@link dev.scimflow.ingress.oauth.AuthorizationServerConfiguration}
 * sets up Spring Authorization Server with the tenants' clients ({@code TenantOAuthClients}, {@code OAuthClientSecrets}),
 * the shared signing keys ({@code SigningKeyring}) and, for the authorization code grant, the administrator's sign-in and
 * consent pages ({@code AdministratorSignIn}, {@code AdministratorPages}) and the stored authorizations
 * ({@code StoredAuthorizations}).
 */
package dev.scimflow.ingress.oauth;
