package dev.scimflow.ops.stack;

/** The services of the pipeline, by the name of their module and executable jar. */
public enum Service {

    WORKER("provisioning-worker"), INGRESS("scim-ingress"), AUDIT("audit-service"),
    /** SCIM events (RFC 9967) for subscribed receivers. */
    EVENTS("events-service");

    private final String module;

    Service(String module) {
        this.module = module;
    }

    /** The module name: also the name of its jar, its log file and its process in {@code status}. */
    public String module() {
        return module;
    }

    public static String readinessUrl(int port) {
        return "http://127.0.0.1:" + port + "/actuator/health/readiness";
    }
}
