package dev.scimflow.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.glassfish.jersey.client.ClientConfig;
import org.glassfish.jersey.client.HttpUrlConnectorProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.unboundid.scim2.client.ScimService;
import com.unboundid.scim2.common.bulk.BulkOperation;
import com.unboundid.scim2.common.bulk.BulkOperationResult;
import com.unboundid.scim2.common.bulk.BulkResponse;
import com.unboundid.scim2.common.exceptions.PreconditionFailedException;
import com.unboundid.scim2.common.exceptions.ResourceConflictException;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.messages.PatchOperation;
import com.unboundid.scim2.common.messages.SortOrder;
import com.unboundid.scim2.common.types.Email;
import com.unboundid.scim2.common.types.Name;
import com.unboundid.scim2.common.types.UserResource;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * The pipeline driven by a real third-party SCIM client, the Ping/UnboundID SCIM 2 SDK's {@code ScimService}:
 * its requests and its parsing of our responses have to agree with ours for create, search with index and
 * cursor paging, and modify with If-Match.
 */
class ScimClientIT {

    private final Pipeline pipeline = Pipeline.get();
    private Client client;
    private ScimService scim;

    @BeforeEach
    void client() {
        String token = pipeline.newTenant().token();
        // the JDK connector knows no PATCH without this switch
        client = ClientBuilder.newClient(new ClientConfig().property(HttpUrlConnectorProvider.SET_METHOD_WORKAROUND, true))
                .register((jakarta.ws.rs.client.ClientRequestFilter) request -> request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION,
                        "Bearer " + token));
        scim = new ScimService(client.target(pipeline.scimBaseUrl));
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void createsAUserAndReadsItBack() throws Exception {
        UserResource created = scim.create("Users", user("ada"));

        assertThat(created.getId()).isNotBlank();
        assertThat(created.getMeta().getVersion()).isEqualTo("W/\"1\"");
        assertThat(created.getMeta().getLocation().toString()).isEqualTo(pipeline.scimBaseUrl + "/Users/" + created.getId());
        UserResource read = scim.retrieve("Users", created.getId(), UserResource.class);
        assertThat(read.getUserName()).isEqualTo("ada@example.com");
        assertThat(read.getName().getFamilyName()).isEqualTo("Lovelace-ada");
        assertThat(read.getEmails()).extracting(Email::getValue).containsExactly("ada@example.com");
    }

    @Test
    void aSecondCreateWithTheSameUserNameIsAConflict() throws Exception {
        scim.create("Users", user("grace"));

        assertThatThrownBy(() -> scim.create("Users", user("grace"))).isInstanceOf(ResourceConflictException.class);
    }

    @Test
    void searchesPageByIndexAndByCursorAndSort() throws Exception {
        for (String name : List.of("e", "b", "d", "a", "c")) {
            scim.create("Users", user(name));
        }

        ListResponse<UserResource> firstTwo = scim.searchRequest("Users").filter("userName ew \"@example.com\"")
                .sort("userName", SortOrder.ASCENDING).page(1, 2).invoke(UserResource.class);
        assertThat(firstTwo.getTotalResults()).isEqualTo(5);
        assertThat(firstTwo.getItemsPerPage()).isEqualTo(2);
        assertThat(firstTwo.getResources()).extracting(UserResource::getUserName).containsExactly("a@example.com", "b@example.com");

        ListResponse<UserResource> byPost = scim.searchRequest("Users").filter("userName sw \"c\"").invokePost(UserResource.class);
        assertThat(byPost.getResources()).extracting(UserResource::getUserName).containsExactly("c@example.com");

        List<String> walked = new ArrayList<>();
        ListResponse<UserResource> page = scim.searchRequest("Users").firstPageCursorWithCount(2).invoke(UserResource.class);
        walked.addAll(page.getResources().stream().map(UserResource::getUserName).toList());
        while (page.getNextCursor() != null) {
            page = scim.searchRequest("Users").pageWithCursor(page.getNextCursor(), 2).invoke(UserResource.class);
            walked.addAll(page.getResources().stream().map(UserResource::getUserName).toList());
        }
        assertThat(walked).containsExactly("e@example.com", "b@example.com", "d@example.com", "a@example.com", "c@example.com");
    }

    @Test
    void modifiesWithIfMatchAndRefusesAStaleVersion() throws Exception {
        UserResource created = scim.create("Users", user("hopper"));

        UserResource modified = scim.modifyRequest("Users", created.getId()).ifMatch(created.getMeta().getVersion())
                .replaceValue("displayName", "Rear Admiral Hopper").invoke(UserResource.class);
        assertThat(modified.getDisplayName()).isEqualTo("Rear Admiral Hopper");
        assertThat(modified.getMeta().getVersion()).isEqualTo("W/\"2\"");

        assertThatThrownBy(() -> scim.modifyRequest("Users", created.getId()).ifMatch(created.getMeta().getVersion())
                .replaceValue("displayName", "Stale").invoke(UserResource.class))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(scim.retrieve("Users", created.getId(), UserResource.class).getDisplayName()).isEqualTo("Rear Admiral Hopper");
    }

    @Test
    void aBulkRequestOfTheSdkCreatesAUserAGroupNamingItByBulkIdAndDeactivatesTheUser() throws Exception {
        tools.jackson.databind.node.ObjectNode group = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        group.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Group");
        group.put("displayName", "SDK group");
        group.putArray("members").addObject().put("value", "bulkId:turing");

        BulkResponse response = scim.bulkRequest().append(
                BulkOperation.post("/Groups", group).setBulkId("group"),
                BulkOperation.post("/Users", user("turing")).setBulkId("turing"),
                BulkOperation.patch("/Users/bulkId:turing", PatchOperation.replace("active", false))).invoke();

        assertThat(response.getOperations()).extracting(BulkOperationResult::getStatus).containsExactly("201", "201", "200");
        assertThat(response.getOperations()).allMatch(BulkOperationResult::isSuccess);
        String location = response.getOperations().get(1).getLocation();
        UserResource turing = scim.retrieve("Users", location.substring(location.lastIndexOf('/') + 1), UserResource.class);
        assertThat(turing.getActive()).isFalse();
        assertThat(turing.getMeta().getVersion()).isEqualTo(response.getOperations().get(2).getVersion());
        assertThat(turing.getGroups()).extracting(group1 -> group1.getDisplay()).containsExactly("SDK group");
    }

    private static UserResource user(String name) {
        UserResource user = new UserResource().setUserName(name + "@example.com");
        user.setName(new Name().setGivenName(name).setFamilyName("Lovelace-" + name));
        user.setEmails(new Email().setValue(name + "@example.com").setType("work").setPrimary(true));
        user.setActive(true);
        return user;
    }
}
