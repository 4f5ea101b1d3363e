package dev.scimflow.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.scimflow.events.Topics;
import dev.scimflow.store.OAuthClients;
import dev.scimflow.store.OAuthClients.IssuedSecret;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.system.ScimHttp.Answer;
import dev.scimflow.testing.TopicReader;

/**
 * No SCIM token leaves the ingress: after a failed authentication, a successful write (applied by the worker and
 * audited), an error and a deactivation, no token appears in the logs of the three service processes, in any
 * answer body, in the ingress's metrics, in the audit API and the request log, or in any record of scim.changes,
 * scim.events, scim.outcomes and scim.requests. The actor recorded everywhere is the token's id. The same for an OAuth
 * client: neither its secret nor the access tokens it gets appear anywhere, and the audit record names the client.
 */
class TokenSecrecyIT {

    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private final Pipeline pipeline = Pipeline.get();

    @Test
    void noTokenAppearsInLogsAnswersMetricsEventsOrTheAuditLog() throws Exception {
        Pipeline.Tenant tenant = pipeline.newTenant();
        String wrong = TenantTokens.PREFIX + UUID.randomUUID().toString().replace("-", "") + "LooksReal";
        ScimHttp idp = new ScimHttp(pipeline.scimBaseUrl, tenant.token(), "secrecy-test");
        ScimHttp intruder = new ScimHttp(pipeline.scimBaseUrl, wrong, "secrecy-test");
        String userName = "secrecy-" + UUID.randomUUID() + "@example.com";
        StringBuilder answers = new StringBuilder();

        try (TopicReader changes = new TopicReader(Topics.CHANGES);
                TopicReader events = new TopicReader(Topics.EVENTS);
                TopicReader outcomes = new TopicReader(Topics.OUTCOMES);
                TopicReader requests = new TopicReader(Topics.REQUESTS)) {
            Answer refused = intruder.get("/Users");
            assertThat(refused.status()).isEqualTo(401);
            answers.append(refused.body());
            Answer created = idp.post("/Users", "{\"userName\":\"" + userName + "\"}");
            assertThat(created.status()).isEqualTo(201);
            answers.append(created.body());
            String id = created.body().get("id").asString();
            Answer deactivated = idp.patch("/Users/" + id, """
                    {"schemas":["%s"],"Operations":[{"op":"replace","value":{"active":false}}]}""".formatted(PATCH_OP));
            assertThat(deactivated.status()).isEqualTo(200);
            answers.append(deactivated.body());
            Answer invalid = idp.post("/Users", "{\"userName\":");
            assertThat(invalid.status()).isEqualTo(400);
            answers.append(invalid.body());
            answers.append(idp
                    .patch("/Users/" + id,
                            "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"nope\",\"value\":1}]}")
                    .body());
            answers.append(idp.get("/Users/" + UUID.randomUUID()).body());
            answers.append(ScimHttp.operatorApi(pipeline).send("GET", "/api/v1/deactivations", null, Map.of()).body());
            answers.append(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(pipeline.scimBaseUrl.replace("/scim/v2", "/actuator/prometheus"))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body());

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(events.records(r -> new String(r.value()).contains(id))).hasSizeGreaterThanOrEqualTo(2);
                assertThat(changes.records(r -> new String(r.value()).contains(id))).hasSizeGreaterThanOrEqualTo(1);
                assertThat(requests.records(r -> tenant.name().equals(r.key()))).as("create, PATCHes, errors, read")
                        .hasSizeGreaterThanOrEqualTo(5);
            });
            answers.append(ScimHttp.operatorApi(pipeline).send("GET", "/api/v1/requests?tenant=" + tenant.name(), null, Map.of()).body());
            String kafka = Stream.of(changes, events, outcomes, requests)
                    .flatMap(reader -> reader.records(r -> true).stream())
                    .map(r -> r.key() + " " + new String(r.value()))
                    .reduce("", String::concat);
            String logs = serviceLogs();

            for (String secret : List.of(tenant.token(), wrong)) {
                String withoutPrefix = secret.substring(TenantTokens.PREFIX.length());
                assertThat(logs).as("service logs").doesNotContain(withoutPrefix);
                assertThat(answers.toString()).as("answers, audit API, metrics").doesNotContain(withoutPrefix);
                assertThat(kafka).as("Kafka records").doesNotContain(withoutPrefix);
            }
            assertThat(kafka).contains(userName);
            assertThat(logs).as("the logs are this run's").contains("Started");
        }
    }

    @Test
    void noClientSecretOrAccessTokenAppearsAnywhereAndTheAuditRecordNamesTheOAuthClient() throws Exception {
        Pipeline.Tenant tenant = pipeline.newTenant();
        IssuedSecret client = new OAuthClients(pipeline.dataSource).create(tenant.name(), "entra");
        String form = "grant_type=client_credentials&client_id=" + client.clientId() + "&client_secret=" + client.clientSecret();
        java.net.http.HttpResponse<String> token = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(pipeline.scimBaseUrl.replace("/scim/v2", "/oauth2/token")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        String accessToken = ScimHttp.JSON.readTree(token.body()).get("access_token").asString();
        ScimHttp idp = new ScimHttp(pipeline.scimBaseUrl, accessToken, "secrecy-test");
        String userName = "oauth-secrecy-" + UUID.randomUUID() + "@example.com";

        try (TopicReader changes = new TopicReader(Topics.CHANGES);
                TopicReader events = new TopicReader(Topics.EVENTS);
                TopicReader requests = new TopicReader(Topics.REQUESTS)) {
            Answer created = idp.post("/Users", "{\"userName\":\"" + userName + "\"}");
            assertThat(created.status()).isEqualTo(201);
            String id = created.body().get("id").asString();
            assertThat(idp.patch("/Users/" + id, """
                    {"schemas":["%s"],"Operations":[{"op":"replace","value":{"active":false}}]}""".formatted(PATCH_OP)).status())
                    .isEqualTo(200);
            StringBuilder audit = new StringBuilder();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String deactivations = ScimHttp.operatorApi(pipeline).send("GET", "/api/v1/deactivations?tenant=" + tenant.name(), null,
                        Map.of()).body().toString();
                assertThat(deactivations).contains(id).contains("\"tokenId\":\"" + client.clientId() + "\"");
                audit.setLength(0);
                audit.append(deactivations);
                assertThat(requests.records(r -> tenant.name().equals(r.key()))).hasSizeGreaterThanOrEqualTo(2);
            });
            String kafka = Stream.of(changes, events, requests).flatMap(reader -> reader.records(r -> true).stream())
                    .map(r -> r.key() + " " + new String(r.value())).reduce("", String::concat);
            String logs = serviceLogs();
            String signature = accessToken.substring(accessToken.lastIndexOf('.') + 1);
            String secret = client.clientSecret().substring(OAuthClients.SECRET_PREFIX.length());
            for (String text : List.of(logs, kafka, audit.toString())) {
                assertThat(text).doesNotContain(secret).doesNotContain(signature);
            }
            assertThat(kafka).contains(userName).contains(client.clientId());
        }
    }

    private static String serviceLogs() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.toString().endsWith(".log")).map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).reduce("", String::concat);
        }
    }
}
