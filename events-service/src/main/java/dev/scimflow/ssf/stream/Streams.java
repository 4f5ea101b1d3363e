package dev.scimflow.ssf.stream;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

import dev.scimflow.events.EventCodec;
import tools.jackson.core.type.TypeReference;

/** The streams and their positions in {@code scim.events}, in {@code events.streams} and {@code events.stream_positions}. */
@Repository
public class Streams {

    private static final String COLUMNS = """
            id, tenant_id, description, delivery_method, endpoint_url, authorization_header, events_requested::text, status,
            status_reason, created_at, updated_at""";

    private final JdbcClient jdbc;

    Streams(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a new stream starting at these positions (the end of each partition, as it was created). */
    public void create(StreamConfig stream, Map<Integer, Long> positions) {
        jdbc.sql("""
                insert into events.streams (id, tenant_id, description, delivery_method, endpoint_url, authorization_header,
                    events_requested, status)
                values (?, ?, ?, ?, ?, ?, cast(? as jsonb), ?)""")
                .params(stream.id(), stream.tenant(), stream.description(), stream.method(), stream.endpointUrl(),
                        stream.authorizationHeader(), EventCodec.mapper().writeValueAsString(stream.eventsRequested()),
                        stream.status().value())
                .update();
        savePositions(stream.id(), positions);
    }

    public Optional<StreamConfig> find(String tenant, String id) {
        return jdbc.sql("select " + COLUMNS + " from events.streams where tenant_id = ? and id = ?").params(tenant, id)
                .query(Streams::stream).optional();
    }

    /** The stream, locked for the rest of the transaction (one poll or status change at a time). */
    public Optional<StreamConfig> lock(String id) {
        return jdbc.sql("select " + COLUMNS + " from events.streams where id = ? for update").param(id)
                .query(Streams::stream).optional();
    }

    public List<StreamConfig> list(String tenant) {
        return jdbc.sql("select " + COLUMNS + " from events.streams where tenant_id = ? order by created_at, id").param(tenant)
                .query(Streams::stream).list();
    }

    /** Every enabled push stream, of every tenant: what the push deliveries share out. */
    public List<StreamConfig> enabledPushStreams() {
        return jdbc.sql("select " + COLUMNS + " from events.streams where status = 'enabled' and delivery_method = ?")
                .param(StreamConfig.PUSH).query(Streams::stream).list();
    }

    public long count(String tenant) {
        return jdbc.sql("select count(*) from events.streams where tenant_id = ?").param(tenant).query(Long.class).single();
    }

    public void update(StreamConfig stream) {
        jdbc.sql("""
                update events.streams set description = ?, delivery_method = ?, endpoint_url = ?, authorization_header = ?,
                    events_requested = cast(? as jsonb), updated_at = clock_timestamp()
                where id = ? and tenant_id = ?""")
                .params(stream.description(), stream.method(), stream.endpointUrl(), stream.authorizationHeader(),
                        EventCodec.mapper().writeValueAsString(stream.eventsRequested()), stream.id(), stream.tenant())
                .update();
    }

    public void setStatus(String id, StreamStatus status, String reason) {
        jdbc.sql("update events.streams set status = ?, status_reason = ?, updated_at = clock_timestamp() where id = ?")
                .params(status.value(), reason, id).update();
    }

    public boolean delete(String tenant, String id) {
        return jdbc.sql("delete from events.streams where tenant_id = ? and id = ?").params(tenant, id).update() == 1;
    }

    /** Where the stream is in each partition of {@code scim.events}. */
    public Map<Integer, Long> positions(String id) {
        Map<Integer, Long> positions = new HashMap<>();
        jdbc.sql("select partition, next_offset from events.stream_positions where stream_id = ?").param(id)
                .query((rs, row) -> positions.put(rs.getInt(1), rs.getLong(2))).list();
        return positions;
    }

    /**
     * Saves where the stream is in these partitions, in one statement. A stream deleted meanwhile keeps nothing: its
     * delivery, stopping, saves its last positions after the stream is gone, and they are dropped.
     */
    public void savePositions(String id, Map<Integer, Long> positions) {
        if (positions.isEmpty()) {
            return;
        }
        Integer[] partitions = positions.keySet().toArray(Integer[]::new);
        Long[] offsets = Arrays.stream(partitions).map(positions::get).toArray(Long[]::new);
        jdbc.sql("""
                insert into events.stream_positions (stream_id, partition, next_offset)
                select stream.id, position.partition, position.next_offset
                  from events.streams stream, unnest(?, ?) as position (partition, next_offset)
                 where stream.id = ?
                on conflict (stream_id, partition) do update set next_offset = excluded.next_offset""")
                .params(new SqlArrayValue("int4", (Object[]) partitions), new SqlArrayValue("int8", (Object[]) offsets), id).update();
    }

    private static StreamConfig stream(ResultSet rs, int row) throws SQLException {
        return new StreamConfig(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), EventCodec.mapper().readValue(rs.getString(7), new TypeReference<List<String>>() {
                }), StreamStatus.of(rs.getString(8)), rs.getString(9), instant(rs.getTimestamp(10)), instant(rs.getTimestamp(11)));
    }

    private static java.time.Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
