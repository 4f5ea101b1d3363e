package dev.scimflow.ingress;

import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.scimflow.events.SecurityEventUris;
import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimSchemas;
import dev.scimflow.scim.ServiceProviderDiscovery;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 7644 §4 discovery: {@code /ServiceProviderConfig}, {@code /ResourceTypes} and {@code /Schemas},
 * generated from the schema definitions the validator uses. {@code /Me} and {@code /Bulk} are not
 * implemented and say so with 501.
 */
@RestController
@RequestMapping("/scim/v2")
class DiscoveryController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ServiceProviderDiscovery discovery;
    private final IngressProperties properties;

    DiscoveryController(ServiceProviderDiscovery discovery, IngressProperties properties) {
        this.discovery = discovery;
        this.properties = properties;
    }

    @GetMapping("/ServiceProviderConfig")
    ResponseEntity<JsonNode> serviceProviderConfig() {
        ObjectNode config = discovery.serviceProviderConfig(properties.maxPageSize(), ListRequest.DEFAULT_COUNT);
        securityEvents(config);
        return ok(withMeta(config, "ServiceProviderConfig", "/ServiceProviderConfig"));
    }

    /**
     * RFC 9967 §4: the SET event URIs the events service delivers (informational; streams are configured there, by SSF),
     * and that a client may ask for an asynchronous answer ({@code asyncRequest: request}, {@link AsyncRequests}).
     */
    private static void securityEvents(ObjectNode config) {
        ObjectNode events = config.putObject("securityEvents");
        events.put("asyncRequest", "request");
        SecurityEventUris.SUPPORTED.forEach(events.putArray("eventUris")::add);
    }

    @GetMapping("/ResourceTypes")
    ResponseEntity<JsonNode> resourceTypes() {
        return ok(list(discovery.resourceTypes().stream()
                .map(type -> withMeta(type, "ResourceType", "/ResourceTypes/" + type.get("id").asString())).toList()));
    }

    @GetMapping("/ResourceTypes/{name}")
    ResponseEntity<JsonNode> resourceType(@PathVariable String name) {
        return ok(withMeta(discovery.resourceType(name).orElseThrow(() -> ScimException.notFound("no resource type " + name)),
                "ResourceType", "/ResourceTypes/" + name));
    }

    @GetMapping("/Schemas")
    ResponseEntity<JsonNode> schemas() {
        return ok(list(discovery.schemas().stream()
                .map(schema -> withMeta(schema, "Schema", "/Schemas/" + schema.get("id").asString())).toList()));
    }

    @GetMapping("/Schemas/{urn}")
    ResponseEntity<JsonNode> schema(@PathVariable String urn) {
        return ok(withMeta(discovery.schema(urn).orElseThrow(() -> ScimException.notFound("no schema " + urn)), "Schema", "/Schemas/" + urn));
    }

    @RequestMapping({"/Me", "/Me/**", "/Bulk"})
    ResponseEntity<JsonNode> notImplemented() {
        throw ScimException.notImplemented("this endpoint is not implemented by scimflow");
    }

    private static ObjectNode withMeta(ObjectNode document, String resourceType, String path) {
        ObjectNode meta = document.putObject("meta");
        meta.put("resourceType", resourceType);
        meta.put("location", ServletUriComponentsBuilder.fromCurrentContextPath().path("/scim/v2" + path).toUriString());
        return document;
    }

    private static ObjectNode list(List<ObjectNode> resources) {
        ObjectNode list = JSON.createObjectNode();
        list.putArray("schemas").add(ScimSchemas.LIST_RESPONSE);
        list.put("totalResults", resources.size());
        list.put("startIndex", 1);
        list.put("itemsPerPage", resources.size());
        list.putArray("Resources").addAll(resources);
        return list;
    }

    private static ResponseEntity<JsonNode> ok(JsonNode body) {
        return ResponseEntity.ok().contentType(ScimMediaType.SCIM_JSON).body(body);
    }
}
