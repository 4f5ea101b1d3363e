package dev.scimflow.audit.requests;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import dev.scimflow.events.EventCodec;
import dev.scimflow.events.ScimRequest;

/**
 * Stores one poll of {@code scim.requests} in one JDBC batch. An entry is a diagnostic: one that cannot be decoded is
 * logged and passed over; an entry already stored (the batch delivered again after a crash) is not stored twice. A
 * database that is down fails the batch, which the listener's error handling delivers again until it is stored.
 */
@Component
class RecordScimRequests {

    private static final Logger log = LoggerFactory.getLogger(RecordScimRequests.class);
    private static final String INSERT = """
            insert into audit.scim_requests (tenant, at, client, method, path, status, scim_type, detail, latency_ms,
                                             request_id, source_partition, source_offset)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (source_partition, source_offset) do nothing""";

    private final JdbcTemplate jdbc;

    RecordScimRequests(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    private record Read(ScimRequest entry, int partition, long offset) {
    }

    void record(List<ConsumerRecord<String, byte[]>> records) {
        List<Read> entries = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            ScimRequest entry = decode(record);
            if (entry != null) {
                entries.add(new Read(entry, record.partition(), record.offset()));
            }
        }
        if (!entries.isEmpty()) {
            jdbc.batchUpdate(INSERT, entries, entries.size(), RecordScimRequests::bind);
        }
    }

    private static ScimRequest decode(ConsumerRecord<String, byte[]> record) {
        try {
            ScimRequest entry = EventCodec.request(record.value());
            if (entry.tenant() == null || entry.at() == null || entry.method() == null || entry.path() == null) {
                throw new IllegalArgumentException("tenant, at, method and path are required");
            }
            return entry;
        } catch (RuntimeException e) {
            log.warn("Passing over a scim.requests record that is not a request log entry: partition={} offset={}: {}",
                    record.partition(), record.offset(), e.toString());
            return null;
        }
    }

    private static void bind(PreparedStatement statement, Read read) throws SQLException {
        ScimRequest entry = read.entry();
        statement.setString(1, entry.tenant());
        statement.setObject(2, OffsetDateTime.ofInstant(entry.at(), ZoneOffset.UTC));
        statement.setString(3, entry.client());
        statement.setString(4, entry.method());
        statement.setString(5, entry.path());
        statement.setInt(6, entry.status());
        statement.setString(7, entry.scimType());
        statement.setString(8, entry.detail());
        statement.setLong(9, entry.latencyMs());
        if (entry.requestId() == null) {
            statement.setNull(10, Types.VARCHAR);
        } else {
            statement.setString(10, entry.requestId());
        }
        statement.setInt(11, read.partition());
        statement.setLong(12, read.offset());
    }
}
