package dev.scimflow.ssf.stream;

import java.util.Locale;

import dev.scimflow.ssf.SsfException;

/**
 * SSF 1.0 §8.1.2: enabled streams deliver; paused ones hold their events (delivered on resume, from the stream's
 * position); disabled ones drop them (re-enabling starts at the end of {@code scim.events}).
 */
public enum StreamStatus {
    ENABLED, PAUSED, DISABLED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StreamStatus of(String value) {
        for (StreamStatus status : values()) {
            if (status.value().equals(value)) {
                return status;
            }
        }
        throw SsfException.invalidRequest("status must be enabled, paused or disabled");
    }
}
