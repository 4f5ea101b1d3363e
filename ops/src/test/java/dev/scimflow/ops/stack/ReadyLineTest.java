package dev.scimflow.ops.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadyLineTest {

    private final ReadyLine ready = new ReadyLine("http://127.0.0.1:8080/scim/v2", "http://127.0.0.1:8081", "op\"token",
            "127.0.0.1:19092", "jdbc:postgresql://127.0.0.1:15432/postgres", "default", "scimflow_abc", "http://127.0.0.1:8083");

    @Test
    void isOneLineOfJsonWithTheFieldsInTheDocumentedOrder() {
        assertThat(ready.render()).isEqualTo("SCIMFLOW READY {\"scimBaseUrl\":\"http://127.0.0.1:8080/scim/v2\","
                + "\"auditUrl\":\"http://127.0.0.1:8081\",\"auditToken\":\"op\\\"token\",\"kafkaBootstrap\":\"127.0.0.1:19092\","
                + "\"jdbcUrl\":\"jdbc:postgresql://127.0.0.1:15432/postgres\",\"tenant\":\"default\",\"token\":\"scimflow_abc\",\"eventsUrl\":\"http://127.0.0.1:8083\"}");
    }

    @Test
    void isReadBackAsPrinted() {
        assertThat(ReadyLine.parse(ready.render())).isEqualTo(ready);
    }

    @Test
    void namesTheReplicaLastOnlyWhenThereIsOne() {
        ReadyLine withReplica = new ReadyLine(ready.scimBaseUrl(), ready.auditUrl(), ready.auditToken(), ready.kafkaBootstrap(),
                ready.jdbcUrl(), ready.tenant(), ready.token(), ready.eventsUrl(), "jdbc:postgresql://127.0.0.1:15433/postgres");
        assertThat(withReplica.render()).endsWith(",\"eventsUrl\":\"http://127.0.0.1:8083\","
                + "\"replicaJdbcUrl\":\"jdbc:postgresql://127.0.0.1:15433/postgres\"}");
        assertThat(ReadyLine.parse(withReplica.render())).isEqualTo(withReplica);
        assertThat(ready.render()).doesNotContain("replicaJdbcUrl");
    }
}
