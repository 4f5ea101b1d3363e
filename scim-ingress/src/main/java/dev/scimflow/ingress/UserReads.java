package dev.scimflow.ingress;

import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.filters.Filter;

import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimSchemas;
import dev.scimflow.scim.ScimUsers;
import dev.scimflow.store.StoredUser;
import dev.scimflow.store.UserPage;
import dev.scimflow.store.Users;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Answers user reads straight from the user store, always within the caller's tenant. */
@Component
class UserReads {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int DEFAULT_COUNT = 100;

    private final Users users;
    private final IngressProperties properties;

    UserReads(Users users, IngressProperties properties) {
        this.users = users;
        this.properties = properties;
    }

    ResponseEntity<JsonNode> get(String tenant, String id) {
        StoredUser user = (isWellFormedId(id) ? users.find(tenant, id) : java.util.Optional.<StoredUser>empty())
                .orElseThrow(() -> ScimException.notFound("User " + id + " not found"));
        String location = location(id);
        return ResponseEntity.ok().contentType(ScimMediaType.SCIM_JSON)
                .header(HttpHeaders.LOCATION, location)
                .eTag(ScimUsers.etag(user.version()))
                .body(user.toResource(location));
    }

    ResponseEntity<JsonNode> list(String tenant, String filter, String startIndexParam, String countParam) {
        Filter parsed = parseFilter(filter);
        int startIndex = Math.max(1, intParam(startIndexParam, 1));
        int count = Math.min(Math.max(0, intParam(countParam, DEFAULT_COUNT)), properties.maxPageSize());
        UserPage page = users.search(tenant, parsed, startIndex, count);
        ObjectNode list = JSON.createObjectNode();
        list.putArray("schemas").add(ScimSchemas.LIST_RESPONSE);
        list.put("totalResults", page.totalResults());
        list.put("startIndex", startIndex);
        list.put("itemsPerPage", page.users().size());
        ArrayNode resources = list.putArray("Resources");
        page.users().forEach(user -> resources.add(user.toResource(location(user.id()))));
        return ResponseEntity.ok().contentType(ScimMediaType.SCIM_JSON).body(list);
    }

    /** Ids are UUIDs; anything else cannot name a user, and is answered 404 without a query. */
    static boolean isWellFormedId(String id) {
        try {
            return UUID.fromString(id).toString().equalsIgnoreCase(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String location(String id) {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path("/scim/v2/Users/{id}").buildAndExpand(id).toUriString();
    }

    private static Filter parseFilter(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        try {
            return Filter.fromString(filter);
        } catch (BadRequestException e) {
            throw ScimException.invalidFilter("invalid filter: " + e.getMessage());
        }
    }

    private static int intParam(String value, int absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ScimException.invalidValue("not an integer: " + value);
        }
    }
}
