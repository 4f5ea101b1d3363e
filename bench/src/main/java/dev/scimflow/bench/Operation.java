package dev.scimflow.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** One kind of SCIM request the benchmark sends, named as in {@code --mix}. */
public enum Operation {
    CREATE("create", "POST /Users"), GET("get", "GET /Users/{id}"), SEARCH("search", "GET /Users?filter=userName eq"), PUT("put",
            "PUT /Users/{id}"), DEACTIVATE("deactivate",
                    "PATCH active=false"), REACTIVATE("reactivate", "PATCH active=true"), MEMBERS("members", "PATCH /Groups/{id} members"),
    /** One {@code POST /Bulk} of {@code --bulk-size} creates; its throughput in creates is a note of the report. */
    BULK("bulk", "POST /Bulk of creates");

    private final String key;
    private final String request;

    Operation(String key, String request) {
        this.key = key;
        this.request = request;
    }

    public String key() {
        return key;
    }

    public String request() {
        return request;
    }

    public static Optional<Operation> byKey(String key) {
        String wanted = key.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(operation -> operation.key.equals(wanted)).findFirst();
    }
}
