package dev.scimflow.ops.stack;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.scimflow.ops.OperatorError;

class PortsTest {

    @Test
    void refusesAPortSomeoneListensOnNamingTheOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Ports.requireFree(Map.of("--kafka-port", taken.getLocalPort())))
                    .isInstanceOf(OperatorError.class)
                    .hasMessage("port " + taken.getLocalPort() + " (--kafka-port) is in use by another process;"
                            + " stop it or choose another port with --kafka-port");
        }
    }

    @Test
    void aKafkaNodesPortTakenNamesTheOptionItFollows() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Ports.requireFree(Map.of("--kafka-port+2", taken.getLocalPort())))
                    .isInstanceOf(OperatorError.class)
                    .hasMessage("port " + taken.getLocalPort() + " (--kafka-port+2) is in use by another process;"
                            + " stop it or choose another port with --kafka-port");
        }
    }

    @Test
    void refusesTheSamePortForTwoParts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--ingress-port", 18080);
        ports.put("--audit-port", 18080);
        assertThatThrownBy(() -> Ports.requireFree(ports)).isInstanceOf(OperatorError.class)
                .hasMessageContaining("--ingress-port and --audit-port are both 18080");
    }

    @Test
    void acceptsFreePorts() throws Exception {
        int free;
        try (ServerSocket probe = new ServerSocket(0)) {
            free = probe.getLocalPort();
        }
        assertThatCode(() -> Ports.requireFree(Map.of("--postgres-port", free))).doesNotThrowAnyException();
    }
}
