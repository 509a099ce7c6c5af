package io.jenkins.plugins.migrationrunbook.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migrationrunbook.core.RunbookException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

    static MigrationRunbookConfiguration sample() {
        MigrationRunbookConfiguration c = new MigrationRunbookConfiguration();
        Database prod = new Database("prod", "jdbc:postgresql://db.internal:5432/app");
        prod.setCredentialsId("prod-db");
        prod.setSchemas("public, ledger");
        prod.setLockTimeout("2s");
        c.setDatabases(List.of(prod));
        c.setKafkaClusters(List.of(new KafkaCluster("main", "k1:9092,k2:9092")));
        ConsumerController ingestion = new ConsumerController("ingestion", "http");
        ingestion.setCluster("main");
        ingestion.setGroups("persistence-service");
        ingestion.setPauseUrl("http://ingestion:8080/ops/control");
        ingestion.setResumeUrl("http://ingestion:8080/ops/control");
        c.setConsumerControllers(List.of(ingestion));
        c.setApiTargets(List.of(new ApiTarget("api", "https://api.internal")));
        c.setFreezePresets(List.of(new FreezePreset("payments", "deploy/payments-*\n**/auto-deploy")));
        return c;
    }

    @Test
    void findsEntriesByIdAndNamesTheKnownIdsWhenOneIsMissing() {
        MigrationRunbookConfiguration c = sample();
        assertThat(c.database("prod").getSchemaList()).containsExactly("public", "ledger");
        assertThat(c.freezePreset("payments").getJobList()).containsExactly("deploy/payments-*", "**/auto-deploy");
        assertThatThrownBy(() -> c.database("staging"))
                .isInstanceOf(RunbookException.class)
                .hasMessageContaining("Unknown database 'staging'")
                .hasMessageContaining("(prod)")
                .satisfies(e -> assertThat(((RunbookException) e).kind()).isEqualTo(RunbookException.Kind.CONFIGURATION));
        assertThatThrownBy(() -> new MigrationRunbookConfiguration().kafkaCluster("x"))
                .hasMessageContaining("none configured yet");
    }

    @Test
    void problemsFindDuplicateIdsAndUnknownClusters() {
        MigrationRunbookConfiguration c = sample();
        assertThat(c.problem()).isNull();
        c.setDatabases(List.of(new Database("prod", "jdbc:postgresql://a/b"), new Database("prod", "jdbc:postgresql://c/d")));
        assertThat(c.problem()).contains("'prod' is used twice");
        c = sample();
        ConsumerController orphan = new ConsumerController("x", "manual");
        orphan.setCluster("nowhere");
        c.setConsumerControllers(List.of(orphan));
        assertThat(c.problem()).contains("Kafka cluster 'nowhere'");
    }

    @Test
    void listsAreCopiedAndNullMeansEmpty() {
        MigrationRunbookConfiguration c = sample();
        c.setApiTargets(null);
        assertThat(c.getApiTargets()).isEmpty();
        assertThatThrownBy(() -> c.getDatabases().add(new Database("x", "y"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void fieldValidation() {
        assertThat(Validation.id("prod-eu.1")).isNull();
        assertThat(Validation.id("")).contains("required");
        assertThat(Validation.id("bad id")).contains("letters, digits");
        assertThat(Validation.jdbcUrl("jdbc:postgresql://h:5432/app")).isNull();
        assertThat(Validation.jdbcUrl("jdbc:mysql://h/app")).contains("Only PostgreSQL");
        assertThat(Validation.jdbcUrl("jdbc:postgresql://h/app?password=x")).contains("credentials id");
        assertThat(Validation.jdbcUrl("jdbc:postgresql://h:5432/")).contains("names no database");
        assertThat(Validation.bootstrapServers("k1:9092, k2:9093")).isNull();
        assertThat(Validation.bootstrapServers("k1")).contains("HOST:PORT");
        assertThat(Validation.httpUrl("https://user:pw@api", true)).contains("credentials");
        assertThat(Validation.httpUrl("", false)).isNull();
        assertThat(Validation.duration("15min")).isNull();
        assertThat(Validation.duration("15 minutes")).contains("500ms");
        assertThat(Validation.durationMillis("2s", 0)).isEqualTo(2000);
        assertThat(Validation.durationMillis("", 7)).isEqualTo(7);
        assertThat(Validation.durationMillis("1h", 0)).isEqualTo(3_600_000);
    }

    @Test
    void controllerConsistencyPerType() {
        ConsumerController http = new ConsumerController("c", "http");
        http.setCluster("main");
        http.setGroups("g");
        assertThat(http.problem()).contains("URL is required");
        ConsumerController connect = new ConsumerController("c", "kafka-connect");
        connect.setCluster("main");
        connect.setGroups("connect-sink");
        connect.setConnectUrl("http://connect:8083");
        assertThat(connect.problem()).contains("connectors");
        connect.setConnectors("sink-a, sink-b");
        assertThat(connect.problem()).isNull();
        assertThat(new ConsumerController("c", "ssh").problem()).contains("must be one of");
    }

    @Test
    void kafkaSecuritySettingsAreConsistent() {
        KafkaCluster k = new KafkaCluster("main", "k1:9093");
        k.setSaslMechanism("SCRAM-SHA-512");
        assertThat(k.problem()).contains("credentials id");
        k.setSaslCredentialsId("kafka-user");
        k.setTls(true);
        assertThat(k.problem()).isNull();
        assertThat(k.securityProtocol()).isEqualTo("SASL_SSL");
    }
}
