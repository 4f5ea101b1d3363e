package dev.scimflow.ops.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import dev.scimflow.ops.OperatorError;

/** Checks, before anything starts, that the stack's ports are distinct and free. */
final class Ports {

    private Ports() {
    }

    /**
     * @param ports each port by the option that sets it, e.g. {@code --ingress-port -> 8080}, or {@code --kafka-port+2}
     *              for a port two above it
     */
    static void requireFree(Map<String, Integer> ports) {
        Map<Integer, String> seen = new HashMap<>();
        ports.forEach((option, port) -> {
            String other = seen.putIfAbsent(port, option);
            if (other != null) {
                throw new OperatorError(other + " and " + option + " are both " + port + "; give each part its own port");
            }
        });
        ports.forEach((option, port) -> {
            if (!isFree(port)) {
                throw new OperatorError("port " + port + " (" + option + ") is in use by another process;"
                        + " stop it or choose another port with " + option.replaceFirst("\\+\\d+$", ""));
            }
        });
    }

    static boolean isFree(int port) {
        // the wildcard address conflicts with a listener on any address, loopback included
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
