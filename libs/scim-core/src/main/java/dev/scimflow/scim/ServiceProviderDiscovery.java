package dev.scimflow.scim;

import java.beans.IntrospectionException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.unboundid.scim2.common.types.AuthenticationScheme;
import com.unboundid.scim2.common.types.BulkConfig;
import com.unboundid.scim2.common.types.ChangePasswordConfig;
import com.unboundid.scim2.common.types.ETagConfig;
import com.unboundid.scim2.common.types.FilterConfig;
import com.unboundid.scim2.common.types.PaginationConfig;
import com.unboundid.scim2.common.types.PatchConfig;
import com.unboundid.scim2.common.types.ResourceTypeResource;
import com.unboundid.scim2.common.types.SchemaResource;
import com.unboundid.scim2.common.types.ServiceProviderConfigResource;
import com.unboundid.scim2.common.types.SortConfig;
import com.unboundid.scim2.common.utils.JsonUtils;
import com.unboundid.scim2.common.utils.SchemaUtils;

import tools.jackson.databind.node.ObjectNode;

/**
 * The discovery documents of RFC 7644 §4 (ServiceProviderConfig, ResourceTypes, Schemas), generated from
 * the same schema definitions that validation and PATCH use, so that what scimflow advertises cannot drift
 * from what it does. {@code /Schemas} also lists the schemas of the discovery documents themselves (RFC 7643 §8.7.2:
 * ServiceProviderConfig, ResourceType, Schema), taken from the SDK's annotated classes that write them. Documents carry
 * no {@code meta.location}: that needs the base URL, which the HTTP edge knows.
 */
public final class ServiceProviderDiscovery {

    /** RFC 7643 §8.7.2: the schemas of {@code /ServiceProviderConfig}, {@code /ResourceTypes} and {@code /Schemas}. */
    private static final List<SchemaResource> DISCOVERY_SCHEMAS = List.of(
            schemaOf(ServiceProviderConfigResource.class), schemaOf(ResourceTypeResource.class), schemaOf(SchemaResource.class));

    private final List<ResourceSchema> schemas;
    private final List<ResourceTypeResource> resourceTypes;

    /** @param resourceTypes each resource type with its endpoint, core schema and extension schemas */
    public ServiceProviderDiscovery(List<ResourceType> resourceTypes) {
        this.schemas = new ArrayList<>();
        this.resourceTypes = new ArrayList<>();
        for (ResourceType type : resourceTypes) {
            schemas.add(type.schema());
            type.extensions().forEach(schemas::add);
            this.resourceTypes.add(new ResourceTypeResource(type.name(), type.name(), type.description(),
                    URI.create(type.endpoint()), URI.create(type.schema().id()),
                    type.extensions().stream()
                            .map(extension -> new ResourceTypeResource.SchemaExtension(URI.create(extension.id()), false))
                            .toList()));
        }
    }

    /** A resource type as {@code /ResourceTypes} lists it. */
    public record ResourceType(String name, String description, String endpoint, ResourceSchema schema,
                               List<ResourceSchema> extensions) {
    }

    /**
     * What scimflow supports: PATCH, bulk up to {@code maxOperations} operations and {@code maxPayloadSize} bytes, filters,
     * sort, ETags, index and cursor paging; no passwords; static bearer tokens and OAuth 2.0 access tokens.
     */
    public ObjectNode serviceProviderConfig(int maxResults, int defaultPageSize, int maxOperations, int maxPayloadSize) {
        ServiceProviderConfigResource config = new ServiceProviderConfigResource(
                "https://github.com/scimflow/scimflow#readme",
                new PatchConfig(true),
                new BulkConfig(true, maxOperations, maxPayloadSize),
                new FilterConfig(true, maxResults),
                new ChangePasswordConfig(false),
                new SortConfig(true),
                new ETagConfig(true),
                new PaginationConfig(true, true, "index", defaultPageSize, maxResults, null),
                List.of(new AuthenticationScheme("OAuth Bearer Token",
                        "Authentication with a bearer token issued by `scimflow tenant create` or `scimflow token create`",
                        URI.create("https://www.rfc-editor.org/info/rfc6750"), null, "oauthbearertoken", true),
                        new AuthenticationScheme("OAuth 2.0",
                                "Authentication with a short-lived access token from the ingress's /oauth2/token (client credentials grant,"
                                        + " client_secret_basic or client_secret_post) for a client of `scimflow oauth-client create`;"
                                        + " metadata at /.well-known/oauth-authorization-server",
                                URI.create("https://www.rfc-editor.org/info/rfc6749"), null, "oauth2", false)));
        return JsonUtils.valueToNode(config);
    }

    public List<ObjectNode> resourceTypes() {
        return resourceTypes.stream().map(type -> (ObjectNode) JsonUtils.valueToNode(type)).toList();
    }

    public Optional<ObjectNode> resourceType(String name) {
        return resourceTypes.stream().filter(type -> type.getName().equals(name))
                .findFirst().map(JsonUtils::valueToNode);
    }

    /** The resource types' schemas, then those of the discovery documents. */
    public List<ObjectNode> schemas() {
        List<ObjectNode> documents = new ArrayList<>();
        schemas.forEach(schema -> documents.add(JsonUtils.valueToNode(schema.toSchemaResource())));
        DISCOVERY_SCHEMAS.forEach(schema -> documents.add(JsonUtils.valueToNode(schema)));
        return documents;
    }

    public Optional<ObjectNode> schema(String urn) {
        return schemas().stream().filter(schema -> schema.get("id").asString().equals(urn)).findFirst();
    }

    private static SchemaResource schemaOf(Class<?> documentClass) {
        try {
            return SchemaUtils.getSchema(documentClass);
        } catch (IntrospectionException e) {
            throw new IllegalStateException("cannot describe " + documentClass.getSimpleName(), e);
        }
    }
}
