package io.migrationrunbook.precheck;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.migrate.MigrationSettings;
import io.migrationrunbook.schema.SnapshotReader;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Read-only queries on the target that decide whether it is safe to start now. */
final class TargetFacts {

    private TargetFacts() {
    }

    /**
     * Table names as the migrations write them, resolved to OIDs the way the migrations will resolve them (Flyway
     * puts its first schema first on the search path). A table that does not exist maps to null.
     */
    static Map<String, Long> resolveTables(DatabaseTarget target, Set<String> names, MigrationSettings settings) {
        Map<String, Long> resolved = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return resolved;
        }
        try (Connection c = target.connect()) {
            if (!settings.schemas().isEmpty()) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET search_path TO " + settings.schemas().stream().map(SnapshotReader::quoteIdentifier).collect(Collectors.joining(", ")));
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT to_regclass(?)::oid")) {
                for (String name : names) {
                    p.setString(1, Arrays.stream(name.split("\\.")).map(SnapshotReader::quoteIdentifier).collect(Collectors.joining(".")));
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        long oid = rs.getLong(1);
                        resolved.put(name, rs.wasNull() ? null : oid);
                    }
                }
            }
            return resolved;
        } catch (SQLException e) {
            throw target.lostConnectionOr(e, "looking up the tables the release changes", Precheck.PRECHECK_AGAIN,
                    () -> RunbookException.environment("Cannot look up the tables the release changes: " + e.getMessage(), e));
        }
    }

    private static final String LONG_TRANSACTIONS = """
            SELECT a.pid, a.application_name, a.usename, host(a.client_addr), a.state,
                   floor(extract(epoch FROM clock_timestamp() - a.xact_start))::bigint, a.xact_start,
                   ARRAY(SELECT DISTINCT c.oid::bigint || ' ' || n.nspname || '.' || c.relname || ' (' || l.mode || ')'
                         FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE l.pid = a.pid AND l.granted AND l.locktype = 'relation'
                           AND c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema'))
            FROM pg_stat_activity a
            WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
              AND a.xact_start IS NOT NULL AND a.xact_start < clock_timestamp() - make_interval(secs => ?)
            ORDER BY a.xact_start""";

    /**
     * Sessions of other users whose activity this user may not see (no pg_read_all_stats): state and transaction start
     * read as NULL, but pg_locks still shows their locks. Those holding relation locks are in a transaction now.
     */
    private static final String HIDDEN_SESSIONS = LONG_TRANSACTIONS.substring(0, LONG_TRANSACTIONS.indexOf("FROM pg_stat_activity a"))
            + "FROM pg_stat_activity a WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() "
            + "AND a.state IS NULL AND a.usename IS NOT NULL AND COALESCE(a.backend_type, 'client backend') = 'client backend' ORDER BY a.pid";

    /** The state reported for a session whose activity the migration user may not read. */
    static final String HIDDEN_STATE = "hidden: the migration user lacks pg_read_all_stats";

    /**
     * Sessions of the target database whose transaction is older than the threshold, with the tables they hold locks
     * on; {@code blocksRelease} when one of them is a table the release changes. Sessions the user may not see
     * (other users' without pg_read_all_stats) are listed when they hold a relation lock, with age -1.
     */
    static List<BlockingSession> longTransactions(DatabaseTarget target, Duration threshold, Set<Long> changedTables) {
        try (Connection c = target.connect(); PreparedStatement p = c.prepareStatement(LONG_TRANSACTIONS);
             PreparedStatement hidden = c.prepareStatement(HIDDEN_SESSIONS)) {
            p.setDouble(1, threshold.toMillis() / 1000.0);
            List<BlockingSession> sessions = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    sessions.add(session(rs, changedTables, false));
                }
            }
            try (ResultSet rs = hidden.executeQuery()) {
                while (rs.next()) {
                    BlockingSession s = session(rs, changedTables, true);
                    if (!s.lockedTables().isEmpty()) {
                        sessions.add(s);
                    }
                }
            }
            return sessions;
        } catch (SQLException e) {
            throw target.lostConnectionOr(e, "looking for long transactions (pg_stat_activity, pg_locks)", Precheck.PRECHECK_AGAIN,
                    () -> RunbookException.environment("Cannot read pg_stat_activity and pg_locks: " + e.getMessage()
                    + ". The migration user needs pg_read_all_stats (or superuser) to see other users' sessions.", e));
        }
    }

    private static BlockingSession session(ResultSet rs, Set<Long> changedTables, boolean hidden) throws SQLException {
        List<String> locked = new ArrayList<>();
        boolean blocks = false;
        Array array = rs.getArray(8);
        for (Object o : (Object[]) array.getArray()) {
            String entry = (String) o;
            int space = entry.indexOf(' ');
            long oid = Long.parseLong(entry.substring(0, space));
            locked.add(entry.substring(space + 1));
            blocks |= changedTables.contains(oid);
        }
        locked.sort(null);
        java.sql.Timestamp start = rs.getTimestamp(7);
        return new BlockingSession(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                hidden ? HIDDEN_STATE : rs.getString(5), hidden ? -1 : rs.getLong(6), start == null ? null : start.toInstant(),
                List.copyOf(locked), blocks);
    }

    /**
     * Whether the migration user may change a table.
     *
     * @param table   the name as the migration writes it
     * @param owner   the table's owner, or null when the table does not exist
     * @param status  OK, MISSING (not owner / no privilege) or UNKNOWN (table not found)
     * @param problem what is missing, or null
     */
    record Privilege(String table, String owner, Status status, String problem) {
        enum Status { OK, MISSING, UNKNOWN }
    }

    /** DDL needs ownership (or membership of the owning role, or superuser); DML the privilege it uses. */
    static List<Privilege> ownership(DatabaseTarget target, Map<String, Long> ddlTables, Map<String, Long> dmlTables,
                                     Map<String, Set<String>> dmlPrivileges) {
        List<Privilege> result = new ArrayList<>();
        String sql = "SELECT pg_get_userbyid(c.relowner), pg_has_role(current_user, c.relowner, 'USAGE'), "
                + "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user), current_user, "
                + "has_table_privilege(current_user, c.oid, 'INSERT'), has_table_privilege(current_user, c.oid, 'UPDATE'), "
                + "has_table_privilege(current_user, c.oid, 'DELETE') FROM pg_class c WHERE c.oid = ?";
        try (Connection c = target.connect(); PreparedStatement p = c.prepareStatement(sql)) {
            for (Map.Entry<String, Long> e : ddlTables.entrySet()) {
                result.add(check(p, e.getKey(), e.getValue(), null));
            }
            for (Map.Entry<String, Long> e : dmlTables.entrySet()) {
                if (!ddlTables.containsKey(e.getKey())) {
                    result.add(check(p, e.getKey(), e.getValue(), dmlPrivileges.getOrDefault(e.getKey(), Set.of())));
                }
            }
            return result;
        } catch (SQLException e) {
            throw target.lostConnectionOr(e, "reading the owners of the tables the release changes", Precheck.PRECHECK_AGAIN,
                    () -> RunbookException.environment("Cannot read the owners of the tables the release changes: " + e.getMessage(), e));
        }
    }

    private static Privilege check(PreparedStatement p, String table, Long oid, Set<String> dml) throws SQLException {
        if (oid == null) {
            return new Privilege(table, null, Privilege.Status.UNKNOWN, null);
        }
        p.setLong(1, oid);
        try (ResultSet rs = p.executeQuery()) {
            rs.next();
            String owner = rs.getString(1);
            boolean member = rs.getBoolean(2);
            boolean superuser = rs.getBoolean(3);
            String user = rs.getString(4);
            if (superuser || member) {
                return new Privilege(table, owner, Privilege.Status.OK, null);
            }
            if (dml == null) {
                return new Privilege(table, owner, Privilege.Status.MISSING, "owned by " + owner + "; the migration user " + user
                        + " is neither the owner nor a member of " + owner + ", so ALTER/DROP/CREATE INDEX on it fail");
            }
            List<String> missing = new ArrayList<>();
            if (dml.contains("INSERT") && !rs.getBoolean(5)) {
                missing.add("INSERT");
            }
            if (dml.contains("UPDATE") && !rs.getBoolean(6)) {
                missing.add("UPDATE");
            }
            if (dml.contains("DELETE") && !rs.getBoolean(7)) {
                missing.add("DELETE");
            }
            return missing.isEmpty() ? new Privilege(table, owner, Privilege.Status.OK, null)
                    : new Privilege(table, owner, Privilege.Status.MISSING, "the migration user " + user + " lacks "
                    + String.join(", ", missing) + " on it (owner " + owner + ")");
        }
    }
}
