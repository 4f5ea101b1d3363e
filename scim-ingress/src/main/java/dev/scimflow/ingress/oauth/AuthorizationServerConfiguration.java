package dev.scimflow.ingress.oauth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import dev.scimflow.ingress.auth.AccessTokens;
import dev.scimflow.ingress.auth.BearerAuthentication;
import dev.scimflow.store.OAuthAuthorizations;
import dev.scimflow.store.OAuthClients;
import dev.scimflow.store.SigningKeys;
import dev.scimflow.store.TrustedIssuers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * The ingress's OAuth 2.0 authorization server, built on Spring Authorization Server: the client credentials grant at
 * {@code /oauth2/token} ({@code client_secret_basic} and {@code client_secret_post}); the authorization code grant with
 * refresh tokens for Okta's OAuth mode, where the tenant's administrator signs in at {@code /oauth2/authorize} with one of
 * the tenant's tokens ({@link AdministratorSignIn}), may authorize a client of that tenant only, and consents
 * ({@link AdministratorPages}), codes and refresh tokens being kept hashed by {@link StoredAuthorizations}; RFC 8414
 * metadata at {@code /.well-known/oauth-authorization-server} (advertising those grants and those two client
 * authentication methods only) and the JWKS at {@code /oauth2/jwks}. Access tokens are JWTs signed with
 * the newest of the keys the user store shares between instances, naming the client ({@code sub}), its tenant
 * ({@value AccessTokens#TENANT_CLAIM}) and the SCIM base as audience.
 *
 * <p>Spring Security is confined to those endpoints: its servlet filter is registered for {@code /oauth2/*} and
 * {@code /.well-known/*} only, so SCIM requests, the actuator and error pages never pass through it (not even its
 * firewall), and SCIM requests are authenticated by {@link BearerAuthentication} as before. A session exists only between
 * the administrator's sign-in and the code's redirect, which ends it; the sign-in form is CSRF-protected (the consent
 * form is bound to its authorization by Spring Authorization Server's one-time {@code state}).
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

    /** The paths of Spring Authorization Server's endpoints, the only ones Spring Security's filter sees. */
    static final List<String> ENDPOINTS = List.of("/oauth2/*", "/.well-known/*");

    @Bean
    SecurityFilterChain authorizationServer(HttpSecurity http, OAuthClients clients, TenantOAuthClients registered,
                                            SigningKeyring keyring, StoredAuthorizations authorizations)
            throws Exception {
        OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(keyring);
        encoder.setJwkSelector(SigningKeyring::newest);
        JwtGenerator tokens = new JwtGenerator(encoder);
        tokens.setJwtCustomizer(context -> {
            if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                String issuer = context.getAuthorizationServerContext().getIssuer();
                // the client, whatever the grant: the authorization code grant's principal is the tenant's administrator
                context.getClaims().subject(context.getRegisteredClient().getClientId())
                        .audience(List.of(OAuthIssuer.audience(issuer)))
                        .claim(AccessTokens.TENANT_CLAIM,
                                context.getRegisteredClient().getClientSettings().getSetting(TenantOAuthClients.TENANT_SETTING));
            }
        });
        http.securityMatcher(
                new OrRequestMatcher(server.getEndpointsMatcher(), PathPatternRequestMatcher.pathPattern(AdministratorPages.SIGN_IN),
                        PathPatternRequestMatcher.pathPattern(AdministratorPages.CONSENT)))
                .with(server, configurer -> configurer
                        .registeredClientRepository(registered)
                        .authorizationService(authorizations)
                        .authorizationConsentService(authorizations)
                        .tokenGenerator(new DelegatingOAuth2TokenGenerator(tokens, new OAuth2RefreshTokenGenerator()))
                        .authorizationEndpoint(authorization -> authorization
                                .consentPage(AdministratorPages.CONSENT)
                                .authorizationRequestConverters(
                                        converters -> converters.replaceAll(AuthorizationServerConfiguration::scimScopeByDefault))
                                .authenticationProviders(providers -> providers.forEach(provider -> {
                                    if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codes) {
                                        codes.setAuthenticationValidator(new OAuth2AuthorizationCodeRequestAuthenticationValidator()
                                                .andThen(AuthorizationServerConfiguration::sameTenant));
                                    }
                                }))
                                .authorizationResponseHandler(AuthorizationServerConfiguration::redirectWithCode))
                        .authorizationServerMetadataEndpoint(
                                metadata -> metadata.authorizationServerMetadataCustomizer(advertised -> advertised
                                        .grantTypes(grants -> grants.retainAll(List.of(AuthorizationGrantType.CLIENT_CREDENTIALS.getValue(),
                                                AuthorizationGrantType.AUTHORIZATION_CODE.getValue(),
                                                AuthorizationGrantType.REFRESH_TOKEN.getValue())))
                                        .tokenEndpointAuthenticationMethods(methods -> methods.retainAll(List.of(
                                                ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue(),
                                                ClientAuthenticationMethod.CLIENT_SECRET_POST.getValue())))))
                        .clientAuthentication(authentication -> authentication.authenticationProviders(providers -> {
                            providers.removeIf(ClientSecretAuthenticationProvider.class::isInstance);
                            providers.add(0, new OAuthClientSecrets(clients, registered));
                        })))
                .authorizeHttpRequests(
                        requests -> requests.requestMatchers(PathPatternRequestMatcher.pathPattern(AdministratorPages.SIGN_IN))
                                .permitAll().anyRequest().authenticated())
                // the tenant's administrator signs in with a tenant token; the session holds that sign-in until the code is issued
                .formLogin(form -> form.loginPage(AdministratorPages.SIGN_IN).usernameParameter("tenant").passwordParameter("token")
                        .failureUrl(AdministratorPages.SIGN_IN + "?error"))
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint(AdministratorPages.SIGN_IN),
                        PathPatternRequestMatcher.pathPattern("/oauth2/authorize")))
                .requestCache(cache -> cache.requestCache(authorizationRequests()))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED));
        return http.build();
    }

    /** Only an authorization request is kept for after the sign-in: no other request of these endpoints makes a session. */
    private static HttpSessionRequestCache authorizationRequests() {
        HttpSessionRequestCache requests = new HttpSessionRequestCache();
        requests.setRequestMatcher(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/oauth2/authorize"));
        return requests;
    }

    /**
     * An authorization request that names no scope asks for {@value TenantOAuthClients#SCOPE}, the only one, so that an IdP
     * that sends none still gets the consent page (Spring Authorization Server refuses a consent to no scope).
     */
    private static AuthenticationConverter scimScopeByDefault(AuthenticationConverter converter) {
        return request -> {
            Authentication converted = converter.convert(request);
            if (converted instanceof OAuth2AuthorizationCodeRequestAuthenticationToken asked && asked.getScopes().isEmpty()) {
                return new OAuth2AuthorizationCodeRequestAuthenticationToken(asked.getAuthorizationUri(), asked.getClientId(),
                        (Authentication) asked.getPrincipal(), asked.getRedirectUri(), asked.getState(), Set.of(TenantOAuthClients.SCOPE),
                        asked.getAdditionalParameters());
            }
            return converted;
        };
    }

    /** A signed-in administrator authorizes the clients of their own tenant only. */
    private static void sameTenant(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        if (request.getPrincipal() instanceof Authentication administrator && administrator.isAuthenticated()
                && administrator.getAuthorities().stream().anyMatch(a -> AdministratorSignIn.AUTHORITY.equals(a.getAuthority()))
                && !administrator.getName()
                        .equals(context.getRegisteredClient().getClientSettings().getSetting(TenantOAuthClients.TENANT_SETTING))) {
            throw new OAuth2AuthorizationCodeRequestAuthenticationException(
                    new OAuth2Error(OAuth2ErrorCodes.ACCESS_DENIED, "the client belongs to another tenant", null), request);
        }
    }

    /**
     * Sends the browser back to the client with the code and its {@code state}, as Spring Authorization Server does, and
     * ends the session: it existed for the sign-in only.
     */
    private static void redirectWithCode(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException {
        OAuth2AuthorizationCodeRequestAuthenticationToken issued = (OAuth2AuthorizationCodeRequestAuthenticationToken) authentication;
        UriComponentsBuilder redirect = UriComponentsBuilder.fromUriString(issued.getRedirectUri())
                .queryParam(OAuth2ParameterNames.CODE, issued.getAuthorizationCode().getTokenValue());
        if (StringUtils.hasText(issued.getState())) {
            redirect.queryParam(OAuth2ParameterNames.STATE, UriUtils.encode(issued.getState(), StandardCharsets.UTF_8));
        }
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
        response.sendRedirect(redirect.build(true).toUriString());
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(OAuthProperties properties) {
        AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder();
        if (properties.issuer() != null && !properties.issuer().isBlank()) {
            settings.issuer(properties.issuer());
        }
        return settings.build();
    }

    /** Spring Boot registers Spring Security's filter for every path; here it gets the authorization server's only. */
    @Bean
    static BeanPostProcessor securityFilterOnAuthorizationServerEndpoints() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof DelegatingFilterProxyRegistrationBean registration) {
                    registration.setUrlPatterns(ENDPOINTS);
                }
                return bean;
            }
        };
    }

    @Bean
    StoredAuthorizations storedAuthorizations(DataSource dataSource) {
        return new StoredAuthorizations(new OAuthAuthorizations(dataSource));
    }

    @Bean
    OAuthClients oauthClients(DataSource dataSource) {
        return new OAuthClients(dataSource);
    }

    @Bean
    SigningKeys signingKeys(DataSource dataSource) {
        return new SigningKeys(dataSource);
    }

    @Bean
    TrustedIssuers trustedIssuers(DataSource dataSource) {
        return new TrustedIssuers(dataSource);
    }
}
