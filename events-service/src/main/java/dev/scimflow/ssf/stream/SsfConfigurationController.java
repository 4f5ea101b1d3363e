package dev.scimflow.ssf.stream;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.scimflow.ssf.EventsProperties;
import dev.scimflow.ssf.token.SigningKeys;

/**
 * The transmitter's public face: the SSF configuration metadata (SSF 1.0 §7.1, at
 * {@code /.well-known/ssf-configuration}) and the JWK set the SETs are signed with ({@code jwks_uri}).
 */
@RestController
class SsfConfigurationController {

    private final EventsProperties properties;
    private final SigningKeys keys;

    SsfConfigurationController(EventsProperties properties, SigningKeys keys) {
        this.properties = properties;
        this.keys = keys;
    }

    @GetMapping(path = "/.well-known/ssf-configuration", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> configuration() {
        String issuer = properties.issuer();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("spec_version", "1_0");
        metadata.put("issuer", issuer);
        metadata.put("jwks_uri", issuer + "/ssf/jwks");
        metadata.put("delivery_methods_supported", List.of(StreamConfig.PUSH, StreamConfig.POLL));
        metadata.put("configuration_endpoint", issuer + "/ssf/streams");
        metadata.put("status_endpoint", issuer + "/ssf/status");
        metadata.put("verification_endpoint", issuer + "/ssf/verify");
        metadata.put("authorization_schemes", List.of(Map.of("spec_urn", "urn:ietf:rfc:6750")));
        metadata.put("default_subjects", "ALL");
        return metadata;
    }

    @GetMapping(path = "/ssf/jwks", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> jwks() {
        // receivers cache it; a new key is published ahead of signing (SigningKeys), so a short cache is enough
        return ResponseEntity.ok().header("Cache-Control", "max-age=300").body(keys.publicKeys().toJSONObject(true));
    }
}
