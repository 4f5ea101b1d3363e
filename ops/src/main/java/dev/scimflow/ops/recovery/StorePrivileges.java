package dev.scimflow.ops.recovery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives a schema rebuilt beside the live one what the live one has in the database's roles: the owners of the schema and
 * its tables, the privileges granted on them (on whole tables and on columns, such as the ingress's update of
 * {@code tenant_tokens.last_used_at}) and the schema's default privileges, so that every service's role can do after
 * the switch what it could before (docker-compose.yml's {@code deploy/postgres/init/10-roles.sql}). Read from the
 * catalog, not written here: whatever an operator granted is what is copied.
 */
final class StorePrivileges {

    private StorePrivileges() {
    }

    static void copy(Connection connection, String from, String to) throws SQLException {
        List<String> statements = new ArrayList<>();
        query(connection,
                """
                        select format('alter schema %%I owner to %%I', '%2$s', pg_get_userbyid(n.nspowner)) from pg_namespace n where n.nspname = '%1$s'
                        union all
                        select format('grant %%s on schema %%I to %%s', a.privilege_type, '%2$s',
                                      case a.grantee when 0 then 'public' else quote_ident(pg_get_userbyid(a.grantee)) end)
                          from pg_namespace n, aclexplode(n.nspacl) a where n.nspname = '%1$s'
                        """
                        .formatted(from, to),
                statements);
        // tables first change owner (a table's sequences follow it), then the privileges on tables, sequences and columns
        query(connection, """
                select format('alter table %%I.%%I owner to %%I', '%2$s', c.relname, pg_get_userbyid(c.relowner))
                  from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = '%1$s' and c.relkind in ('r', 'p')
                   and exists (select 1 from pg_class t join pg_namespace tn on tn.oid = t.relnamespace
                               where tn.nspname = '%2$s' and t.relname = c.relname)
                union all
                select format('grant %%s on %%s %%I.%%I to %%s', a.privilege_type, case c.relkind when 'S' then 'sequence' else 'table' end,
                              '%2$s', c.relname, case a.grantee when 0 then 'public' else quote_ident(pg_get_userbyid(a.grantee)) end)
                  from pg_class c join pg_namespace n on n.oid = c.relnamespace, aclexplode(c.relacl) a
                 where n.nspname = '%1$s' and c.relkind in ('r', 'p', 'S')
                   and exists (select 1 from pg_class t join pg_namespace tn on tn.oid = t.relnamespace
                               where tn.nspname = '%2$s' and t.relname = c.relname)
                union all
                select format('grant %%s (%%I) on table %%I.%%I to %%s', a.privilege_type, att.attname, '%2$s', c.relname,
                              case a.grantee when 0 then 'public' else quote_ident(pg_get_userbyid(a.grantee)) end)
                  from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  join pg_attribute att on att.attrelid = c.oid and att.attnum > 0 and not att.attisdropped, aclexplode(att.attacl) a
                 where n.nspname = '%1$s' and c.relkind in ('r', 'p')
                """.formatted(from, to), statements);
        query(connection, """
                select format('alter default privileges for role %%I in schema %%I grant %%s on %%s to %%s', pg_get_userbyid(d.defaclrole),
                              '%2$s', a.privilege_type,
                              case d.defaclobjtype when 'r' then 'tables' when 'S' then 'sequences' when 'f' then 'functions'
                                                   when 'T' then 'types' else 'schemas' end,
                              case a.grantee when 0 then 'public' else quote_ident(pg_get_userbyid(a.grantee)) end)
                  from pg_default_acl d join pg_namespace n on n.oid = d.defaclnamespace, aclexplode(d.defaclacl) a
                 where n.nspname = '%1$s'
                """.formatted(from, to), statements);
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static void query(Connection connection, String sql, List<String> into) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                into.add(rows.getString(1));
            }
        }
    }
}
