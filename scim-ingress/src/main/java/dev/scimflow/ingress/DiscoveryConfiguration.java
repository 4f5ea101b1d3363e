package dev.scimflow.ingress;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.scimflow.scim.GroupSchema;
import dev.scimflow.scim.ServiceProviderDiscovery;
import dev.scimflow.scim.ServiceProviderDiscovery.ResourceType;
import dev.scimflow.scim.UserSchema;

/** The resource types scimflow serves, as discovery advertises them. */
@Configuration(proxyBeanMethods = false)
class DiscoveryConfiguration {

    @Bean
    ServiceProviderDiscovery serviceProviderDiscovery() {
        return new ServiceProviderDiscovery(List.of(
                new ResourceType("User", "User Account", "/Users", UserSchema.CORE, List.of(UserSchema.ENTERPRISE)),
                new ResourceType("Group", "Group", "/Groups", GroupSchema.CORE, List.of())));
    }
}
