package dev.scimflow.ingress.discovery;

import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.scimflow.events.SecurityEventUris;
import dev.scimflow.ingress.IngressProperties;
import dev.scimflow.ingress.ScimJson;
import dev.scimflow.ingress.ScimMediaType;
import dev.scimflow.ingress.auth.BearerAuthentication;
import dev.scimflow.ingress.changes.AsyncRequests;
import dev.scimflow.ingress.limits.RequestLimits;
import dev.scimflow.ingress.reads.ListRequest;
import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimSchemas;
import dev.scimflow.scim.ServiceProviderDiscovery;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 7644 §4 discovery: {@code /ServiceProviderConfig}, {@code /ResourceTypes} and {@code /Schemas},
 * generated from the schema definitions the validator uses, as the caller's tenant sees them. A {@code filter} on
 * them is 403, as §4 asks (a client must not believe a filter was applied). {@code /Me} is not implemented and says so
 * with 501.
 */
@RestController
@RequestMapping("/scim/v2")
class DiscoveryController {

    private static final JsonMapper JSON = ScimJson.MAPPER;

    private final DiscoveryConfiguration discovery;
    private final IngressProperties properties;
    private final RequestLimits limits;

    DiscoveryController(DiscoveryConfiguration discovery, IngressProperties properties, RequestLimits limits) {
        this.discovery = discovery;
        this.properties = properties;
        this.limits = limits;
    }

    @GetMapping("/ServiceProviderConfig")
    ResponseEntity<JsonNode> serviceProviderConfig(HttpServletRequest request) {
        ObjectNode config = discovery(request).serviceProviderConfig(properties.maxPageSize(), ListRequest.DEFAULT_COUNT,
                limits.maxBulkOperations(), (int) limits.maxBulkPayloadSize().toBytes());
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
    ResponseEntity<JsonNode> resourceTypes(HttpServletRequest request) {
        return ok(list(discovery(request).resourceTypes().stream()
                .map(type -> withMeta(type, "ResourceType", "/ResourceTypes/" + type.get("id").asString())).toList()));
    }

    @GetMapping("/ResourceTypes/{name}")
    ResponseEntity<JsonNode> resourceType(@PathVariable String name, HttpServletRequest request) {
        return ok(withMeta(discovery(request).resourceType(name).orElseThrow(() -> ScimException.notFound("no resource type " + name)),
                "ResourceType", "/ResourceTypes/" + name));
    }

    @GetMapping("/Schemas")
    ResponseEntity<JsonNode> schemas(HttpServletRequest request) {
        return ok(list(discovery(request).schemas().stream()
                .map(schema -> withMeta(schema, "Schema", "/Schemas/" + schema.get("id").asString())).toList()));
    }

    @GetMapping("/Schemas/{urn}")
    ResponseEntity<JsonNode> schema(@PathVariable String urn, HttpServletRequest request) {
        return ok(withMeta(discovery(request).schema(urn).orElseThrow(() -> ScimException.notFound("no schema " + urn)),
                "Schema", "/Schemas/" + urn));
    }

    @RequestMapping({"/Me", "/Me/**"})
    ResponseEntity<JsonNode> notImplemented() {
        throw ScimException.notImplemented("this endpoint is not implemented by scimflow");
    }

    /** The caller's tenant's view; a filter is refused first (RFC 7644 §4: SHOULD be 403). */
    private ServiceProviderDiscovery discovery(HttpServletRequest request) {
        if (request.getParameter("filter") != null) {
            throw new ScimException(403, null, "the discovery endpoints take no filter");
        }
        return discovery.forTenant(BearerAuthentication.principal(request).roleAttribute());
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
