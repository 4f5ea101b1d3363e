package dev.scimflow.audit.operator;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts the operator token check in front of the operator API; actuator endpoints stay open for probes. */
@Configuration(proxyBeanMethods = false)
class OperatorWebConfiguration implements WebMvcConfigurer {

    private final OperatorAuthentication authentication;

    OperatorWebConfiguration(OperatorAuthentication authentication) {
        this.authentication = authentication;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(authentication).addPathPatterns("/api/**");
    }
}
