package dev.scimflow.ops.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import dev.scimflow.ops.Json;

/**
 * The secrets a local stack keeps between runs in {@code credentials.json} (mode 0600): the operator token of the
 * audit API and, per tenant, the SCIM token {@code scimflow up} prints. The database holds only their hashes, so this
 * file is the only place they can be read again from.
 */
public record Credentials(String auditToken, Map<String, TenantToken> tenants) {

    public record TenantToken(String tokenId, String token) {
    }

    public Credentials {
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
    }

    public static Credentials load(Path file) {
        return Files.exists(file) ? Json.read(file, Credentials.class) : new Credentials(null, Map.of());
    }

    public void save(Path file) {
        Json.write(file, new Credentials(auditToken, new TreeMap<>(tenants)), true);
    }

    public Credentials withAuditToken(String token) {
        return new Credentials(token, tenants);
    }

    public Credentials withTenant(String tenant, TenantToken token) {
        Map<String, TenantToken> changed = new TreeMap<>(tenants);
        changed.put(tenant, token);
        return new Credentials(auditToken, changed);
    }
}
