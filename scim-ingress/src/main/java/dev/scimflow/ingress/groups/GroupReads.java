package dev.scimflow.ingress.groups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
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
 * Answers group reads from the user store (the primary or a replica, {@link ReadStores}), always within the caller's tenant. Responses are written
 * as they are read: members come from the store {@value #MEMBER_PAGE} at a time and go out through a JSON
 * generator, so a group of 100,000 members is never held in memory. Each read runs in one read-only
 * repeatable-read transaction, so that the ETag, the group and every page of members are one snapshot.
 */
@Component
public class GroupReads {

    private static final int MEMBER_PAGE = 1_000;
    private static final JsonMapper JSON = ScimJson.MAPPER;

    private final ReadStores stores;
    private final IngressProperties properties;

    GroupReads(ReadStores stores, IngressProperties properties) {
        this.stores = stores;
        this.properties = properties;
    }

    void get(String tenant, String id, AttributeProjection projection, String ifNoneMatch, HttpServletResponse response) {
        if (!isWellFormedId(id)) {
            throw ScimException.notFound("Group " + id + " not found");
        }
        ResourceLinks links = ResourceLinks.current();
        stores.read(tenant, store -> store.snapshot().execute(status -> {
            // a read the replica failed is served again by the primary: only if nothing of it has been sent (else this throws)
            response.resetBuffer();
            Groups groups = store.groups();
            StoredGroup group = groups.find(tenant, id).orElseThrow(() -> ScimException.notFound("Group " + id + " not found"));
            String location = links.group(id);
            response.setHeader(HttpHeaders.LOCATION, location);
            response.setHeader(HttpHeaders.ETAG, ScimGroups.etag(group.version()));
            if (ifNoneMatch != null && ScimGroups.ifMatchSatisfied(ifNoneMatch, group.version())) {
                response.setStatus(304);
                return null;
            }
            response.setStatus(200);
            response.setContentType(ScimMediaType.SCIM_JSON.toString());
            write(response, json -> writeGroup(groups, json, group, links, projection));
            return null;
        }));
    }

    void list(String tenant, ListRequest request, HttpServletResponse response) {
        GroupSearch search = GroupSearch.of(request.toUserSearch(properties.maxPageSize()));
        AttributeProjection projection = request.projection();
        ResourceLinks links = ResourceLinks.current();
        stores.read(tenant, store -> store.snapshot().execute(status -> {
            response.resetBuffer();
            Groups groups = store.groups();
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
                page.groups().forEach(group -> writeGroup(groups, json, group, links, projection));
                json.writeEndArray();
                json.writeEndObject();
            });
            return null;
        }));
    }

    /** The group's attributes in resource order, with its members (paged from the store) just before meta. */
    private static void writeGroup(Groups groups, JsonGenerator json, StoredGroup group, ResourceLinks links,
                                   AttributeProjection projection) {
        ObjectNode resource = projection.apply(group.toResource(links.group(group.id())));
        json.writeStartObject();
        boolean membersWritten = projection.excludes("members");
        for (Map.Entry<String, JsonNode> field : resource.properties()) {
            if (field.getKey().equals("meta") && !membersWritten) {
                writeMembers(groups, json, group, links, projection);
                membersWritten = true;
            }
            json.writeName(field.getKey());
            json.writeTree(field.getValue());
        }
        if (!membersWritten) {
            writeMembers(groups, json, group, links, projection);
        }
        json.writeEndObject();
    }

    /** Every member, one page of the store at a time; sub-attribute selection ({@code members.value}) applies to each. */
    private static void writeMembers(Groups groups, JsonGenerator json, StoredGroup group, ResourceLinks links,
                                     AttributeProjection projection) {
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
    public static boolean isWellFormedId(String id) {
        try {
            return UUID.fromString(id).toString().equalsIgnoreCase(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
