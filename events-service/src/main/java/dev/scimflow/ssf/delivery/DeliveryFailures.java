package dev.scimflow.ssf.delivery;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SETs a receiver refused for good — a push answered with a 4xx that is not about the receiver being unavailable or
 * unauthorised, or a poll receiver's {@code setErrs} — recorded with the SET itself for operators
 * ({@code scimflow streams failures}), never dropped silently.
 */
@Repository
public class DeliveryFailures {

    private final JdbcClient jdbc;

    DeliveryFailures(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String streamId, String jti, Integer httpStatus, String error, String description, String jwt) {
        jdbc.sql("""
                insert into events.delivery_failures (stream_id, jti, http_status, error, description, set_jwt)
                values (?, ?, ?, ?, ?, ?)""")
                .params(streamId, jti, httpStatus, truncate(error, 200), truncate(description, 2000), jwt).update();
    }

    private static String truncate(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length);
    }
}
