package dev.scimflow.ingress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.scimflow.scim.AttributeProjection;
import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimGroups;
import dev.scimflow.scim.ScimSchemas;
import dev.scimflow.store.GroupPage;
import dev.scimflow.store.GroupSearch;
import dev.scimflow.store.Groups;
import dev.scimflow.store.StoredGroup;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers group reads straight from the user store, always within the caller's tenant. Responses are written
 * as they are read: members come from the store {@value #MEMBER_PAGE} at a time and go out through a JSON
 * generator, so a group of 100,000 members is never held in memory. Each read runs in one read-only
 * repeatable-read transaction, so that the ETag, the group and every page of members are one snapshot.
 */
@Component
class GroupReads {

    private static final int MEMBER_PAGE = 1_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Groups groups;
    private final IngressProperties properties;
    private final TransactionTemplate snapshot;

    GroupReads(Groups groups, IngressProperties properties, PlatformTransactionManager transactions) {
        this.groups = groups;
        this.properties = properties;
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    void get(String tenant, String id, AttributeProjection projection, String ifNoneMatch, HttpServletResponse response) {
        ResourceLinks links = ResourceLinks.current();
        snapshot.executeWithoutResult(status -> {
            StoredGroup group = (isWellFormedId(id) ? groups.find(tenant, id) : java.util.Optional.<StoredGroup>empty())
                    .orElseThrow(() -> ScimException.notFound("Group " + id + " not found"));
            String location = links.group(id);
            response.setHeader(HttpHeaders.LOCATION, location);
            response.setHeader(HttpHeaders.ETAG, ScimGroups.etag(group.version()));
            if (ifNoneMatch != null && ScimGroups.ifMatchSatisfied(ifNoneMatch, group.version())) {
                response.setStatus(304);
                return;
            }
            response.setStatus(200);
            response.setContentType(ScimMediaType.SCIM_JSON.toString());
            write(response, json -> writeGroup(json, group, links, projection));
        });
    }

    void list(String tenant, ListRequest request, HttpServletResponse response) {
        GroupSearch search = GroupSearch.of(request.toUserSearch(properties.maxPageSize()));
        AttributeProjection projection = request.projection();
        ResourceLinks links = ResourceLinks.current();
        snapshot.executeWithoutResult(status -> {
            GroupPage page = groups.search(tenant, search);
            response.setStatus(200);
            response.setContentType(ScimMediaType.SCIM_JSON.toString());
            write(response, json -> {
                json.writeStartObject();
                json.writeName("schemas");
                json.writeStartArray();
                json.writeString(ScimSchemas.LIST_RESPONSE);
                json.writeEndArray();
                json.writeNumberProperty("totalResults", page.totalResults());
                if (!search.cursorPaging()) {
                    json.writeNumberProperty("startIndex", search.startIndex());
                }
                json.writeNumberProperty("itemsPerPage", page.groups().size());
                if (page.next() != null) {
                    json.writeStringProperty("nextCursor", Cursors.encode(page.next()));
                }
                json.writeName("Resources");
                json.writeStartArray();
                page.groups().forEach(group -> writeGroup(json, group, links, projection));
                json.writeEndArray();
                json.writeEndObject();
            });
        });
    }

    /** The group's attributes in resource order, with its members (paged from the store) just before meta. */
    private void writeGroup(JsonGenerator json, StoredGroup group, ResourceLinks links, AttributeProjection projection) {
        ObjectNode resource = projection.apply(group.toResource(links.group(group.id())));
        json.writeStartObject();
        boolean membersWritten = projection.excludes("members");
        for (Map.Entry<String, JsonNode> field : resource.properties()) {
            if (field.getKey().equals("meta") && !membersWritten) {
                writeMembers(json, group, links, projection);
                membersWritten = true;
            }
            json.writeName(field.getKey());
            json.writeTree(field.getValue());
        }
        if (!membersWritten) {
            writeMembers(json, group, links, projection);
        }
        json.writeEndObject();
    }

    /** Every member, one page of the store at a time; sub-attribute selection ({@code members.value}) applies to each. */
    private void writeMembers(JsonGenerator json, StoredGroup group, ResourceLinks links, AttributeProjection projection) {
        json.writeName("members");
        json.writeStartArray();
        groups.forEachMember(group.tenant(), group.id(), MEMBER_PAGE, member -> {
            ObjectNode value = ScimGroups.member(member.id(), member.display(), links.member(member.id(), member.type()), member.type());
            ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
            wrapper.putArray("members").add(value);
            json.writeTree(projection.apply(wrapper).get("members").get(0));
        });
        json.writeEndArray();
    }

    private static void write(HttpServletResponse response, java.util.function.Consumer<JsonGenerator> body) {
        try (JsonGenerator json = JSON.createGenerator(response.getOutputStream())) {
            body.accept(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ids are UUIDs; anything else cannot name a group, and is answered 404 without a query. */
    static boolean isWellFormedId(String id) {
        try {
            return UUID.fromString(id).toString().equalsIgnoreCase(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
