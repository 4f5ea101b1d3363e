package dev.scimflow.ingress;

import java.util.List;
import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.web.SecurityFilterChain;

import dev.scimflow.store.OAuthClients;
import dev.scimflow.store.SigningKeys;
import dev.scimflow.store.TrustedIssuers;

/**
 * The ingress's OAuth 2.0 authorization server, built on Spring Authorization Server: the client credentials grant at
 * {@code /oauth2/token} ({@code client_secret_basic} and {@code client_secret_post}), RFC 8414 metadata at
 * {@code /.well-known/oauth-authorization-server} (advertising that grant and those two client authentication methods only)
 * and the JWKS at {@code /oauth2/jwks}. Access tokens are JWTs signed with
 * the newest of the keys the user store shares between instances, naming the client ({@code sub}), its tenant
 * ({@value AccessTokens#TENANT_CLAIM}) and the SCIM base as audience.
 *
 * <p>Spring Security is confined to those endpoints: its servlet filter is registered for {@code /oauth2/*} and
 * {@code /.well-known/*} only, so SCIM requests, the actuator and error pages never pass through it (not even its
 * firewall), and SCIM requests are authenticated by {@link BearerAuthentication} as before.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

    /** The paths of Spring Authorization Server's endpoints, the only ones Spring Security's filter sees. */
    static final List<String> ENDPOINTS = List.of("/oauth2/*", "/.well-known/*");

    @Bean
    SecurityFilterChain authorizationServer(HttpSecurity http, OAuthClients clients, TenantOAuthClients registered,
                                            SigningKeyring keyring)
            throws Exception {
        OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(keyring);
        encoder.setJwkSelector(SigningKeyring::newest);
        JwtGenerator tokens = new JwtGenerator(encoder);
        tokens.setJwtCustomizer(context -> {
            if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                String issuer = context.getAuthorizationServerContext().getIssuer();
                context.getClaims().audience(List.of(OAuthIssuer.audience(issuer)))
                        .claim(AccessTokens.TENANT_CLAIM,
                                context.getRegisteredClient().getClientSettings().getSetting(TenantOAuthClients.TENANT_SETTING));
            }
        });
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, configurer -> configurer
                        .registeredClientRepository(registered)
                        .authorizationService(new UnsavedAuthorizations())
                        .tokenGenerator(tokens)
                        .authorizationServerMetadataEndpoint(
                                metadata -> metadata.authorizationServerMetadataCustomizer(advertised -> advertised
                                        .grantTypes(
                                                grants -> grants.retainAll(List.of(AuthorizationGrantType.CLIENT_CREDENTIALS.getValue())))
                                        .tokenEndpointAuthenticationMethods(methods -> methods.retainAll(List.of(
                                                ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue(),
                                                ClientAuthenticationMethod.CLIENT_SECRET_POST.getValue())))))
                        .clientAuthentication(authentication -> authentication.authenticationProviders(providers -> {
                            providers.removeIf(ClientSecretAuthenticationProvider.class::isInstance);
                            providers.add(0, new OAuthClientSecrets(clients, registered));
                        })))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
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
