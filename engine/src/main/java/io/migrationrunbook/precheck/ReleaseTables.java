package io.migrationrunbook.precheck;

import io.migrationrunbook.lint.Migration;
import io.migrationrunbook.lint.ParsedStatement;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The existing tables a release changes, read from the linter's parsed statements (never from text): those changed
 * by DDL (ALTER, DROP, TRUNCATE, CREATE INDEX/TRIGGER ON, CLUSTER, ... need the owner) and those changed by DML
 * (need INSERT/UPDATE/DELETE). Tables the release creates itself are left out.
 *
 * @param ddl     tables changed by DDL, in order
 * @param dml     tables changed by DML, with the privileges needed
 * @param created tables the release creates
 */
record ReleaseTables(Set<String> ddl, Map<String, Set<String>> dml, Set<String> created) {

    static ReleaseTables none() {
        return new ReleaseTables(Set.of(), Map.of(), Set.of());
    }

    static ReleaseTables of(List<Migration> migrations) {
        Set<String> created = new LinkedHashSet<>();
        Set<String> ddl = new LinkedHashSet<>();
        Map<String, Set<String>> dml = new LinkedHashMap<>();
        for (Migration m : migrations) {
            for (ParsedStatement s : m.allStatements()) {
                switch (s.kind()) {
                    case CREATE_TABLE, CREATE_TABLE_AS -> {
                        if (s.table() != null) {
                            created.add(s.table());
                        }
                    }
                    case DROP -> {
                        if ("TABLE".equals(s.objectType())) {
                            s.names().stream().filter(t -> !created.contains(t)).forEach(ddl::add);
                        }
                    }
                    case TRUNCATE -> s.names().stream().filter(t -> !created.contains(t)).forEach(ddl::add);
                    case ALTER_TABLE, CREATE_INDEX, CREATE_TRIGGER, CLUSTER, REFRESH_MATERIALIZED_VIEW, LOCK, VACUUM, REINDEX -> {
                        if (s.table() != null && !created.contains(s.table())) {
                            ddl.add(s.table());
                        }
                    }
                    case INSERT, COPY -> privilege(dml, created, s, "INSERT");
                    case UPDATE -> privilege(dml, created, s, "UPDATE");
                    case DELETE -> privilege(dml, created, s, "DELETE");
                    case MERGE -> {
                        privilege(dml, created, s, "INSERT");
                        privilege(dml, created, s, "UPDATE");
                    }
                    default -> { }
                }
            }
        }
        return new ReleaseTables(ddl, dml, created);
    }

    private static void privilege(Map<String, Set<String>> dml, Set<String> created, ParsedStatement s, String privilege) {
        if (s.table() != null && !created.contains(s.table())) {
            dml.computeIfAbsent(s.table(), t -> new LinkedHashSet<>()).add(privilege);
        }
    }
}
