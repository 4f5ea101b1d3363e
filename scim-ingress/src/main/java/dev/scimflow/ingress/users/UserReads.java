package dev.scimflow.ingress.users;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import dev.scimflow.ingress.IngressProperties;
import dev.scimflow.ingress.ResourceLinks;
import dev.scimflow.ingress.ScimJson;
import dev.scimflow.ingress.ScimMediaType;
import dev.scimflow.ingress.reads.Cursors;
import dev.scimflow.ingress.reads.ListRequest;
import dev.scimflow.ingress.reads.ReadStores;
import dev.scimflow.scim.AttributeProjection;
import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimSchemas;
import dev.scimflow.scim.ScimUsers;
import dev.scimflow.store.GroupRef;
import dev.scimflow.store.StoredUser;
import dev.scimflow.store.TenantTokens.TokenPrincipal;
import dev.scimflow.store.UserPage;
import dev.scimflow.store.UserSearch;
import dev.scimflow.store.UserWithGroups;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Answers user reads from the user store (the primary or a replica, {@link ReadStores}), always within the caller's tenant. */
@Component
public class UserReads {

    private static final JsonMapper JSON = ScimJson.MAPPER;

    private final ReadStores stores;
    private final IngressProperties properties;

    UserReads(ReadStores stores, IngressProperties properties) {
        this.stores = stores;
        this.properties = properties;
    }

    ResponseEntity<JsonNode> get(TokenPrincipal caller, String id, AttributeProjection projection, String ifNoneMatch) {
        if (!isWellFormedId(id)) {
            throw ScimException.notFound("User " + id + " not found");
        }
        return stores.read(caller.tenant(), store -> get(store, caller, id, projection, ifNoneMatch));
    }

    private ResponseEntity<JsonNode> get(ReadStores.Store store, TokenPrincipal caller, String id, AttributeProjection projection,
                                         String ifNoneMatch) {
        // the user and its groups in one query: one connection and one round trip per GET
        UserWithGroups found = store.users().findWithGroups(caller.tenant(), id)
                .orElseThrow(() -> ScimException.notFound("User " + id + " not found"));
        StoredUser user = found.user();
        ResourceLinks links = ResourceLinks.current();
        String location = links.user(id);
        String etag = ScimUsers.etag(user.version());
        if (ifNoneMatch != null && ScimUsers.ifMatchSatisfied(ifNoneMatch, user.version())) {
            return ResponseEntity.status(304).eTag(etag).header(HttpHeaders.LOCATION, location).build();
        }
        return ResponseEntity.ok().contentType(ScimMediaType.SCIM_JSON)
                .header(HttpHeaders.LOCATION, location)
                .eTag(etag)
                .body(presented(user.toResource(location), found.groups(), links, projection, caller));
    }

    ResponseEntity<JsonNode> list(TokenPrincipal caller, ListRequest request) {
        UserSearch search = request.toUserSearch(properties.maxPageSize());
        return stores.read(caller.tenant(), store -> list(store, caller, request, search));
    }

    private ResponseEntity<JsonNode> list(ReadStores.Store store, TokenPrincipal caller, ListRequest request, UserSearch search) {
        String tenant = caller.tenant();
        AttributeProjection projection = request.projection();
        UserPage page = store.users().search(tenant, search);
        ObjectNode list = JSON.createObjectNode();
        list.putArray("schemas").add(ScimSchemas.LIST_RESPONSE);
        list.put("totalResults", page.totalResults());
        if (!search.cursorPaging()) {
            list.put("startIndex", search.startIndex());
        }
        list.put("itemsPerPage", page.users().size());
        if (page.next() != null) {
            list.put("nextCursor", Cursors.encode(page.next()));
        }
        ArrayNode resources = list.putArray("Resources");
        ResourceLinks links = ResourceLinks.current();
        Map<String, List<GroupRef>> groupsOfUsers = store.groups().groupsOf(tenant, page.users().stream().map(StoredUser::id).toList());
        page.users().forEach(user -> resources
                .add(presented(user.toResource(links.user(user.id())), groupsOfUsers.get(user.id()), links, projection, caller)));
        return ResponseEntity.ok().contentType(ScimMediaType.SCIM_JSON).body(list);
    }

    /**
     * The user as the caller's tenant sees it: its groups, the attributes asked for, and role where the tenant chose
     * (after the selection, which names role in any of its spellings).
     */
    private static ObjectNode presented(ObjectNode user, List<GroupRef> memberOf, ResourceLinks links, AttributeProjection projection,
                                        TokenPrincipal caller) {
        return ScimUsers.withRoleAttribute(projection.apply(withGroups(user, memberOf, links)), caller.roleAttribute());
    }

    /**
     * The read-only {@code groups} attribute (RFC 7643 §4.1.2): the groups the user is a member of, {@code direct} or
     * {@code indirect} (through groups nested in them).
     */
    private static ObjectNode withGroups(ObjectNode user, List<GroupRef> memberOf, ResourceLinks links) {
        if (!memberOf.isEmpty()) {
            ArrayNode groups = user.putArray("groups");
            memberOf.forEach(group -> groups.addObject()
                    .put("value", group.value())
                    .put("display", group.display())
                    .put("$ref", links.group(group.value()))
                    .put("type", group.type()));
        }
        return user;
    }

    /** Ids are UUIDs; anything else cannot name a user, and is answered 404 without a query. */
    public static boolean isWellFormedId(String id) {
        try {
            return UUID.fromString(id).toString().equalsIgnoreCase(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
