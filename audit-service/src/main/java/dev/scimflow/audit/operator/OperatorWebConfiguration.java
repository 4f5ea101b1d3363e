package dev.scimflow.audit.operator;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Who may reach what: the API needs the operator bearer token (its OpenAPI description is public), the web page
 * a signed-in session (the audit log and the request log); the sign-in form, the stylesheet and the actuator
 * endpoints (for probes) are open.
 */
@Configuration(proxyBeanMethods = false)
class OperatorWebConfiguration implements WebMvcConfigurer {

    private final OperatorAuthentication authentication;
    private final SignedInOperator signedIn;

    OperatorWebConfiguration(OperatorAuthentication authentication, SignedInOperator signedIn) {
        this.authentication = authentication;
        this.signedIn = signedIn;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(authentication).addPathPatterns("/api/**")
                .excludePathPatterns("/api/v1/openapi", "/api/v1/openapi.yaml", "/api/v1/openapi/**");
        registry.addInterceptor(signedIn).addPathPatterns("/", "/deactivations/**", "/deactivations.csv", "/requests", "/signout");
    }
}
