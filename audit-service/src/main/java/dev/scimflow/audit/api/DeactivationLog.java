package dev.scimflow.audit.api;

import static dev.scimflow.audit.api.DeactivationRows.COLUMNS;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads the audit log for operators: newest entries first, and single entries with their snapshots. */
@Repository
class DeactivationLog {

    private final JdbcClient jdbc;

    DeactivationLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Deactivation> newest(DeactivationQuery query) {
        List<String> conditions = new ArrayList<>(List.of("true"));
        if (query.tenant() != null) {
            conditions.add("tenant = :tenant");
        }
        if (query.userName() != null) {
            conditions.add("lower(user_name) = lower(:userName)");
        }
        return jdbc.sql("select " + COLUMNS + " from audit.deactivations where " + String.join(" and ", conditions)
                        + " order by recorded_at desc, id desc limit :limit")
                .param("tenant", query.tenant())
                .param("userName", query.userName())
                .param("limit", query.limit())
                .query((rs, row) -> DeactivationRows.deactivation(rs))
                .list();
    }

    Optional<DeactivationDetail> find(long id) {
        return jdbc.sql("select " + COLUMNS + ", before, after from audit.deactivations where id = :id")
                .param("id", id)
                .query((rs, row) -> DeactivationRows.detail(rs))
                .optional();
    }
}
