package io.migrationrunbook.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith({PostgresExtension.class, KafkaExtension.class})
class EmbeddedInfrastructureTest {

    @Test
    void givesEachTestItsOwnDatabaseOnARealPostgres15(TestDatabase db) {
        db.execute("CREATE TABLE t (id int)", "INSERT INTO t VALUES (1), (2)");
        assertThat(db.queryLong("SELECT count(*) FROM t")).isEqualTo(2);
        assertThat(db.queryLong("SELECT current_setting('server_version_num')::int / 10000")).isEqualTo(15);
        assertThat(db.name()).contains("givesEachTestItsOwnDatabase".toLowerCase().substring(0, 20));
    }

    @Test
    void aServerOnItsOwnTemporaryDirectoryDeletesItWhenClosed() throws Exception {
        java.nio.file.Path data;
        try (PostgresServer server = PostgresServer.startEmbedded()) {
            data = server.dataDirectory();
            assertThat(data.resolve("PG_VERSION")).exists();
        }
        assertThat(data).as("the data directory of a closed embedded server").doesNotExist();
    }

    @Test
    void startsARealKafkaBroker(KafkaBroker broker) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(1);
        }
    }
}
