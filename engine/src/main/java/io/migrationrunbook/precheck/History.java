package io.migrationrunbook.precheck;

import io.migrationrunbook.migrate.MigrationSettings;
import org.flywaydb.core.api.MigrationVersion;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.migrationrunbook.schema.SnapshotReader.quoteIdentifier;

/**
 * Flyway's schema history table read directly (read-only, without Flyway, which refuses to read anything while a file
 * name is invalid): the successfully applied versions and scripts.
 */
record History(List<MigrationVersion> applied, Set<String> scripts) {

    static History read(Connection c, MigrationSettings settings) throws SQLException {
        String schema;
        if (settings.schemas().isEmpty()) {
            try (var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
                rs.next();
                schema = rs.getString(1) == null ? "public" : rs.getString(1);
            }
        } else {
            schema = settings.schemas().get(0);
        }
        String table = quoteIdentifier(schema) + "." + quoteIdentifier(settings.table());
        try (PreparedStatement p = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return new History(List.of(), Set.of());
                }
            }
        }
        List<MigrationVersion> applied = new ArrayList<>();
        Set<String> scripts = new HashSet<>();
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version, script FROM " + table + " WHERE success")) {
            while (rs.next()) {
                String version = rs.getString(1);
                if (version != null && !version.isEmpty()) {
                    try {
                        applied.add(MigrationVersion.fromVersion(version));
                    } catch (RuntimeException ignored) {
                        // a baseline marker or a foreign row: not a version to compare with
                    }
                }
                scripts.add(rs.getString(2));
            }
        }
        applied.sort(null);
        return new History(List.copyOf(applied), Set.copyOf(scripts));
    }

    boolean isApplied(MigrationVersion version) {
        return applied.stream().anyMatch(v -> v.compareTo(version) == 0);
    }

    MigrationVersion highestApplied() {
        return applied.isEmpty() ? null : applied.get(applied.size() - 1);
    }

    String currentVersion() {
        MigrationVersion v = highestApplied();
        return v == null ? null : v.getVersion();
    }

}
