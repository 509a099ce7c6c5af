package io.migrationrunbook.backup;

import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A restore into a new database gets the source database's encoding and locale from the sidecar (pg_dump's archive
 * does not carry them), not the server's defaults; an old sidecar without them still restores, with a warning.
 */
@ExtendWith(PostgresExtension.class)
class RestoreLocaleTest {

    @TempDir
    Path dir;

    private static DatabaseTarget target(TestDatabase db) {
        return new DatabaseTarget(db.jdbcUrl(), db.user(), Secret.of(db.password()));
    }

    /** encoding, datcollate, datctype, datlocprovider, daticulocale of a database. */
    private static List<String> locale(TestDatabase db, String database) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_encoding_to_char(encoding), datcollate, datctype, datlocprovider::text, "
                     + "coalesce(daticulocale, '-') FROM pg_database WHERE datname = '" + database + "'")) {
            assertThat(rs.next()).as("database " + database + " exists").isTrue();
            return List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
        }
    }

    private static String query(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A libc locale name other than the server's default, valid with any encoding (C and POSIX are). */
    private static String nonDefaultLibcLocale(TestDatabase db) throws Exception {
        return "C".equals(locale(db, "template1").get(1)) ? "POSIX" : "C";
    }

    @Test
    void aLatin1SourceIsRestoredIntoALatin1DatabaseWithItsCollationAlsoWhenReplacing(TestDatabase db) throws Exception {
        List<String> serverDefault = locale(db, "template1");
        assumeTrue(!"LATIN1".equals(serverDefault.get(0)), "the server's default encoding must differ from LATIN1");
        String collate = nonDefaultLibcLocale(db);
        TestDatabase source = new TestDatabase(db.server(), db.name() + "_latin1");
        db.execute("CREATE DATABASE " + source.name() + " ENCODING 'LATIN1' LC_COLLATE '" + collate + "' LC_CTYPE '" + collate
                + "' TEMPLATE template0");
        try {
            source.execute("CREATE TABLE people (id int PRIMARY KEY, name text)",
                    "INSERT INTO people VALUES (1, 'Müller'), (2, 'café'), (3, 'Øresund'), (4, 'zebra'), (5, 'Apple')");
            List<String> sourceLocale = locale(db, source.name());
            assertThat(sourceLocale.subList(0, 4)).containsExactly("LATIN1", collate, collate, "c");

            Path out = dir.resolve("latin1.dump");
            BackupResult backup = Backup.run(target(source), new BackupSettings().out(out), Progress.silent());
            assertThat(backup.metadata().locale()).isEqualTo(new DatabaseLocale("LATIN1", collate, collate, "libc", null));
            assertThat(Files.readString(BackupMetadata.sidecarOf(out))).contains("\"encoding\" : \"LATIN1\"")
                    .contains("\"lcCollate\" : \"" + collate + "\"").contains("\"metadataVersion\" : 2");

            String restoredName = db.name() + "_latin1_r";
            List<String> messages = new CopyOnWriteArrayList<>();
            RestoreResult restore = Restore.run(target(db), new RestoreSettings().from(out).targetDatabase(restoredName), messages::add);
            assertThat(restore.passed()).isTrue();
            assertThat(restore.locale()).as("the result says which locale the database got").isEqualTo(backup.metadata().locale());
            TestDatabase restored = new TestDatabase(db.server(), restoredName);
            try {
                assertThat(locale(db, restoredName)).isEqualTo(sourceLocale);
                assertThat(messages).anyMatch(m -> m.contains("with the source's encoding LATIN1, LC_COLLATE " + collate));
                String ordered = "SELECT string_agg(name, ',' ORDER BY name) FROM people";
                assertThat(query(restored, ordered)).isEqualTo(query(source, ordered)).isEqualTo("Apple,Müller,café,zebra,Øresund");
            } finally {
                db.server().dropDatabase(restoredName);
            }

            // --replace restores into a scratch database first: it too must be created with the source's locale
            RestoreResult replaced = Restore.run(target(source), new RestoreSettings().from(out).replace(true), Progress.silent());
            assertThat(replaced.passed()).isTrue();
            assertThat(locale(db, source.name())).isEqualTo(sourceLocale);
            db.server().dropDatabase(replaced.previousDatabaseKeptAs());
        } finally {
            db.server().dropDatabase(source.name());
        }
    }

    @Test
    void anIcuSourceIsRestoredWithItsIcuLocale(TestDatabase db) throws Exception {
        assumeTrue(db.queryLong("SELECT count(*) FROM pg_collation WHERE collprovider = 'i'") > 0, "the server is built with ICU");
        TestDatabase source = new TestDatabase(db.server(), db.name() + "_icu");
        db.execute("CREATE DATABASE " + source.name() + " ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'de-DE' "
                + "LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        try {
            source.execute("CREATE TABLE words (w text)", "INSERT INTO words VALUES ('b'), ('A'), ('a'), ('B'), ('ä')");
            List<String> sourceLocale = locale(db, source.name());
            assertThat(sourceLocale).containsExactly("UTF8", "C", "C", "i", "de-DE");

            Path out = dir.resolve("icu.dump");
            BackupResult backup = Backup.run(target(source), new BackupSettings().out(out), Progress.silent());
            assertThat(backup.metadata().locale()).isEqualTo(new DatabaseLocale("UTF8", "C", "C", "icu", "de-DE"));

            String restoredName = db.name() + "_icu_r";
            Restore.run(target(db), new RestoreSettings().from(out).targetDatabase(restoredName), Progress.silent());
            try {
                assertThat(locale(db, restoredName)).isEqualTo(sourceLocale);
                String ordered = "SELECT string_agg(w, ',' ORDER BY w) FROM words";
                // German ICU order, not the byte order (A,B,a,b,ä) the libc C locale would give
                assertThat(query(new TestDatabase(db.server(), restoredName), ordered)).isEqualTo(query(source, ordered))
                        .isEqualTo("a,A,ä,b,B");
            } finally {
                db.server().dropDatabase(restoredName);
            }
        } finally {
            db.server().dropDatabase(source.name());
        }
    }

    @Test
    void aLocaleTheServerLacksIsAnEnvironmentErrorAndNothingIsCreated(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int)");
        Path out = dir.resolve("t.dump");
        Backup.run(target(db), new BackupSettings().out(out), Progress.silent());
        Path sidecar = BackupMetadata.sidecarOf(out);
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(sidecar.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("locale")).put("lcCollate", "xx_NOWHERE.UTF-8");
        Files.writeString(sidecar, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));

        String restoredName = db.name() + "_nowhere";
        assertThatThrownBy(() -> Restore.run(target(db), new RestoreSettings().from(out).targetDatabase(restoredName), Progress.silent()))
                .isInstanceOf(RunbookException.class)
                .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT))
                .hasMessageContaining("Cannot create database '" + restoredName + "' with the backed-up database's encoding")
                .hasMessageContaining("LC_COLLATE xx_NOWHERE.UTF-8")
                .hasMessageContaining("Install that locale on the database server")
                .hasMessageContaining("nothing was created");
        assertThat(db.queryLong("SELECT count(*) FROM pg_database WHERE datname = '" + restoredName + "'")).isZero();
    }

    @Test
    void anOldSidecarWithoutTheLocaleRestoresWithTheServersDefaultsAndAWarning(TestDatabase db) throws Exception {
        TestDatabase source = new TestDatabase(db.server(), db.name() + "_old");
        db.execute("CREATE DATABASE " + source.name() + " ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        try {
            source.execute("CREATE TABLE people (id int PRIMARY KEY, name text)", "INSERT INTO people VALUES (1, 'Müller')");
            Path out = dir.resolve("old.dump");
            Backup.run(target(source), new BackupSettings().out(out), Progress.silent());
            // what a version 1 sidecar looks like: no locale
            Path sidecar = BackupMetadata.sidecarOf(out);
            var json = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(sidecar.toFile());
            json.remove("locale");
            json.put("metadataVersion", 1);
            Files.writeString(sidecar, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));

            String restoredName = db.name() + "_old_r";
            List<String> messages = new CopyOnWriteArrayList<>();
            RestoreResult restore = Restore.run(target(db), new RestoreSettings().from(out).targetDatabase(restoredName), messages::add);
            try {
                assertThat(restore.passed()).isTrue();
                assertThat(restore.locale()).as("an old sidecar: the server's defaults").isNull();
                assertThat(messages).anyMatch(m -> m.startsWith("WARNING: the backup's metadata does not record the source "
                        + "database's encoding and locale") && m.contains(restoredName));
                assertThat(locale(db, restoredName).get(0)).isEqualTo(locale(db, "template1").get(0));
                assertThat(query(new TestDatabase(db.server(), restoredName), "SELECT name FROM people")).isEqualTo("Müller");
            } finally {
                db.server().dropDatabase(restoredName);
            }
        } finally {
            db.server().dropDatabase(source.name());
        }
    }
}
