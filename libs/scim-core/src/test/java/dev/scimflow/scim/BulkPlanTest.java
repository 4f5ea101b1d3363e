package dev.scimflow.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** RFC 7644 §3.7: parsing a bulk request, its bulkId references, and the order and dependencies of its operations. */
class BulkPlanTest {

    private static BulkRequest bulk(String operations) {
        return BulkRequest.parse(Json.parse("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[%s]}""".formatted(operations)), 1000);
    }

    private static String post(String endpoint, String bulkId, String data) {
        return """
                {"method":"POST","path":"/%s","bulkId":"%s","data":%s}""".formatted(endpoint, bulkId, data);
    }

    private static String user(String bulkId) {
        return post("Users", bulkId, "{\"userName\":\"" + bulkId + "\"}");
    }

    private static String group(String bulkId, String... memberBulkIds) {
        StringBuilder members = new StringBuilder();
        for (String member : memberBulkIds) {
            members.append(members.isEmpty() ? "" : ",").append("{\"value\":\"bulkId:").append(member).append("\"}");
        }
        return post("Groups", bulkId, "{\"displayName\":\"" + bulkId + "\",\"members\":[" + members + "]}");
    }

    @Test
    void independentOperationsRunInRequestOrderWithNothingToWaitFor() {
        BulkPlan plan = BulkPlan.of(bulk(user("a") + "," + user("b") + "," + user("c")));

        assertThat(plan.order()).containsExactly(0, 1, 2);
        assertThat(plan.needs(2)).isEmpty();
        assertThat(plan.after(2)).isEmpty();
    }

    @Test
    void aGroupNamingUsersCreatedLaterInTheRequestWaitsForThem() {
        BulkRequest request = bulk(group("g", "u1", "u2") + "," + user("u1") + "," + user("u2"));
        BulkPlan plan = BulkPlan.of(request);

        assertThat(plan.needs(0)).containsExactly(1, 2);
        assertThat(plan.order()).containsExactly(1, 2, 0);
        assertThat(request.operations().get(0).references()).containsExactly("u1", "u2");
    }

    @Test
    void aReferenceInThePathWaitsForThePostAndOperationsOnOneResourceKeepTheirOrder() {
        BulkPlan plan = BulkPlan.of(bulk("""
                {"method":"PATCH","path":"/Users/bulkId:u","data":{"Operations":[{"op":"replace","value":{"active":false}}]}},
                {"method":"DELETE","path":"/Users/bulkId:u"},""" + user("u")));

        assertThat(plan.needs(0)).containsExactly(2);
        assertThat(plan.after(1)).containsExactly(0);
        assertThat(plan.order()).containsExactly(2, 0, 1);
    }

    @Test
    void aPatchNamingANewUserInItsDataComesBeforeALaterDeleteOfThatUser() {
        BulkPlan plan = BulkPlan.of(bulk(user("u") + "," + """
                {"method":"PATCH","path":"/Groups/2819c223-7f76-453a-919d-413861904646","data":{"Operations":[
                  {"op":"add","path":"members","value":[{"value":"bulkId:u"}]}]}},
                {"method":"DELETE","path":"/Users/bulkId:u"},
                {"method":"DELETE","path":"/Groups/2819C223-7F76-453A-919D-413861904646"}"""));

        assertThat(plan.after(2)).containsExactly(1);
        assertThat(plan.after(3)).as("the same resource, whatever the case of its id").containsExactly(1);
        assertThat(plan.order()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void oktasRemovalOfAMemberComesBeforeALaterDeleteOfThatUserAndOthersDoNotWait() {
        BulkPlan plan = BulkPlan.of(bulk("""
                {"method":"PATCH","path":"/Groups/2819c223-7f76-453a-919d-413861904646","data":{"Operations":[
                  {"op":"remove","path":"members[value eq \\"902c246b-6245-4190-8e05-00816be7344a\\"]"}]}},
                {"method":"DELETE","path":"/Users/902C246B-6245-4190-8E05-00816BE7344A"},
                {"method":"DELETE","path":"/Users/0c5f3b9e-3e0e-4c53-9f7a-6f3d2b4d9a11"}"""));

        assertThat(plan.after(1)).containsExactly(0);
        assertThat(plan.after(2)).isEmpty();
    }

    @Test
    void circularReferencesAreRefusedWith409AndSoAreNoOthers() {
        BulkPlan plan = BulkPlan.of(bulk(group("a", "b") + "," + group("b", "a") + "," + group("c", "c") + "," + user("d")));

        assertThat(plan.refusal(0)).hasValueSatisfying(e -> assertThat(e.status()).isEqualTo(409));
        assertThat(plan.refusal(1)).hasValueSatisfying(e -> assertThat(e.detail()).contains("0, 1"));
        assertThat(plan.refusal(2)).as("a group naming itself").isPresent();
        assertThat(plan.refusal(3)).isEmpty();
        assertThat(plan.order()).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void aReferenceToABulkIdNoPostDefinesIsInvalidValue() {
        BulkPlan plan = BulkPlan.of(bulk(group("g", "nobody")));

        assertThat(plan.refusal(0)).hasValueSatisfying(e -> assertThat(e.scimType()).isEqualTo("invalidValue"));
    }

    @Test
    void aLongChainOfReferencesIsPlannedWithoutRecursion() {
        StringBuilder operations = new StringBuilder(group("g0"));
        for (int i = 1; i < 1000; i++) {
            operations.append(",").append(group("g" + i, "g" + (i - 1)));
        }

        BulkPlan plan = BulkPlan.of(bulk(operations.toString()));

        assertThat(plan.order()).hasSize(1000).startsWith(0, 1, 2);
        assertThat(plan.refusal(999)).isEmpty();
    }

    @Test
    void referencesAreReplacedByTheIdsOfTheNewResources() {
        BulkOperation operation = bulk(
                """
                        {"method":"PATCH","path":"/Groups/bulkId:g","data":{"Operations":[{"op":"add","path":"members","value":[{"value":"bulkId:u"}]}]}}""")
                .operations().get(0);

        BulkOperation resolved = operation.resolved(Map.of("g", "id-g", "u", "id-u"));

        assertThat(resolved.path()).isEqualTo("/Groups/id-g");
        assertThat(resolved.target()).isEqualTo(new BulkOperation.Target("Groups", "id-g"));
        assertThat(resolved.data().at("/Operations/0/value/0/value").asString()).isEqualTo("id-u");
    }

    @Test
    void tooManyOperationsIs413NamingTheLimit() {
        ScimException error = catchThrowableOfType(ScimException.class,
                () -> BulkRequest.parse(Json.parse("{\"Operations\":[" + user("a") + "," + user("b") + "]}"), 1));

        assertThat(error.status()).isEqualTo(413);
        assertThat(error.detail()).contains("maxOperations is 1");
    }

    @Test
    void aBulkIdUsedTwiceAndABadFailOnErrorsAreRefused() {
        assertThat(catchThrowableOfType(ScimException.class, () -> bulk(user("a") + "," + user("a"))).scimType())
                .isEqualTo("invalidValue");
        assertThat(catchThrowableOfType(ScimException.class, () -> BulkRequest.parse(Json.parse(
                "{\"failOnErrors\":0,\"Operations\":[]}"), 10)).scimType()).isEqualTo("invalidValue");
        assertThat(BulkRequest.parse(Json.parse("{\"failOnErrors\":2,\"Operations\":[]}"), 10).failOnErrors()).isEqualTo(2);
    }

    @Test
    void aPathOfTheWrongShapeOrAnUnknownEndpointIsRefusedWhenTheOperationRuns() {
        BulkRequest request = bulk("""
                {"method":"PUT","path":"/Users"},{"method":"POST","path":"/Things","bulkId":"t"},{"method":"GET","path":"/Users/x"}""");

        assertThat(catchThrowableOfType(ScimException.class, () -> request.operations().get(0).target()).status()).isEqualTo(400);
        assertThat(catchThrowableOfType(ScimException.class, () -> request.operations().get(1).target()).status()).isEqualTo(404);
        assertThat(catchThrowableOfType(ScimException.class, () -> request.operations().get(2).target()).status()).isEqualTo(400);
    }
}
