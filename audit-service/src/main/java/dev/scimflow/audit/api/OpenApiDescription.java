package dev.scimflow.audit.api;

import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * The title and the authentication of the operator API's OpenAPI description, which springdoc generates from
 * the controllers and serves at {@code /api/v1/openapi} (JSON) and {@code /api/v1/openapi.yaml}.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "scimflow audit API", version = "v1", description = """
        Every deactivation and reactivation of a user, recorded once from scim.events, per tenant in a \
        SHA-256 hash chain; and each tenant's request log, the SCIM requests the ingress answered (bounded, \
        no bodies or tokens). Authenticate with an operator token (Authorization: Bearer ...), never a SCIM \
        tenant token."""), security = @SecurityRequirement(name = "operatorToken"))
@SecurityScheme(name = "operatorToken", type = SecuritySchemeType.HTTP, scheme = "bearer", description = "an operator token; the service keeps only its SHA-256 digest")
class OpenApiDescription {
}
