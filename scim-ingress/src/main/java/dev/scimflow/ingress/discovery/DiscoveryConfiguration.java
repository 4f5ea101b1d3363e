package dev.scimflow.ingress.discovery;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.scimflow.scim.GroupSchema;
import dev.scimflow.scim.RoleAttribute;
import dev.scimflow.scim.ServiceProviderDiscovery;
import dev.scimflow.scim.ServiceProviderDiscovery.ResourceType;
import dev.scimflow.scim.UserSchema;

/**
 * The resource types scimflow serves, as discovery advertises them to a tenant: the User with the enterprise and Zulip
 * extensions, and the Group. A tenant whose responses carry role at the top ({@link RoleAttribute#CORE}) is shown it
 * among the core User attributes too, so that what discovery says matches what the tenant gets.
 */
@Component
class DiscoveryConfiguration {

    private final Map<RoleAttribute, ServiceProviderDiscovery> byRoleAttribute = new EnumMap<>(RoleAttribute.class);

    DiscoveryConfiguration() {
        for (RoleAttribute roleAttribute : RoleAttribute.values()) {
            byRoleAttribute.put(roleAttribute, new ServiceProviderDiscovery(List.of(
                    new ResourceType("User", "User Account", "/Users", UserSchema.advertisedCore(roleAttribute),
                            List.of(UserSchema.ENTERPRISE, UserSchema.ZULIP)),
                    new ResourceType("Group", "Group", "/Groups", GroupSchema.CORE, List.of()))));
        }
    }

    ServiceProviderDiscovery forTenant(RoleAttribute roleAttribute) {
        return byRoleAttribute.get(roleAttribute);
    }
}
