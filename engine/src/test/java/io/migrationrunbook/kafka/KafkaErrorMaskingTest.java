package io.migrationrunbook.kafka;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.core.SecretRef;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/** The masking of configured secrets where Kafka's failures become runbook errors (KafkaCluster.translate), without a broker. */
class KafkaErrorMaskingTest {

    @Test
    void maskHidesTheSecretItsJaasEscapedFormItsLinesAndAnyQuotedJaasPassword() {
        Secret sasl = Secret.of("s3cr\"et\\x");
        Secret truststore = Secret.of("trust-Me-1");
        Secret twoLines = Secret.of("first-Line\nsecond-Line\nab");
        List<Secret> secrets = List.of(sasl, truststore, twoLines);

        assertThat(KafkaCluster.mask("raw s3cr\"et\\x and trust-Me-1", secrets)).isEqualTo("raw **** and ****");
        assertThat(KafkaCluster.mask("jaas s3cr\\\"et\\\\x", secrets)).isEqualTo("jaas ****");
        assertThat(KafkaCluster.mask("Value not specified for key 'second-Line' in JAAS config", secrets))
                .isEqualTo("Value not specified for key '****' in JAAS config");
        assertThat(KafkaCluster.mask("a short line stays: ab", secrets)).isEqualTo("a short line stays: ab");
        assertThat(KafkaCluster.mask("PlainLoginModule required username=\"u\" password=\"anything \\\" else\";", List.of()))
                .isEqualTo("PlainLoginModule required username=\"u\" password=\"****\";");
        assertThat(KafkaCluster.mask(null, secrets)).isNull();
        assertThat(KafkaCluster.mask("nothing secret here", secrets)).isEqualTo("nothing secret here");
    }

    @Test
    void jaasEscapeKeepsLineBreaksInsideTheQuotedString() {
        assertThat(KafkaCluster.jaasEscape("a\"b\\c\nd\re")).isEqualTo("a\\\"b\\\\c\\nd\\re");
    }

    @Test
    void translateMasksTheConfiguredSecretsInTheMessageAndTheWholeCauseChain(@TempDir Path dir) throws Exception {
        String sasl = "sasl-Pa55-" + System.nanoTime();
        String trust = "trust-Pa55-" + System.nanoTime();
        Path saslFile = Files.writeString(dir.resolve("sasl"), sasl + "\n");
        Path trustFile = Files.writeString(dir.resolve("trust"), trust);
        Path truststore = Files.writeString(dir.resolve("truststore.p12"), "not read here");
        KafkaCluster cluster = new KafkaCluster("kafka-1:9093", "SASL_SSL", "PLAIN", "alice", SecretRef.file(saslFile.toString()),
                truststore.toString(), "PKCS12", SecretRef.file(trustFile.toString()), null);

        // a client library quoting configuration back: the secrets in the failure, in its cause, in an ExecutionException
        Exception failure = new ExecutionException(new SaslAuthenticationException("login with password " + sasl + " failed",
                new KafkaException("keystore opened with " + trust)));
        RunbookException translated = cluster.translate(failure, "connecting");

        assertThat(translated.kind()).isEqualTo(RunbookException.Kind.ENVIRONMENT);
        assertThat(translated.getMessage()).contains("rejected the credentials while connecting: login with password **** failed")
                .doesNotContain(sasl).doesNotContain(trust);
        StringWriter trace = new StringWriter();
        translated.printStackTrace(new PrintWriter(trace)); // what RUNBOOK_DEBUG prints on stderr
        assertThat(trace.toString()).doesNotContain(sasl).doesNotContain(trust)
                .contains(SaslAuthenticationException.class.getName() + ": login with password **** failed")
                .contains(KafkaException.class.getName() + ": keystore opened with ****");

        RunbookException other = cluster.translate(new KafkaException("broker said " + trust), "reading consumer groups [g]");
        assertThat(other.getMessage()).isEqualTo("Kafka at kafka-1:9093 failed while reading consumer groups [g]: "
                + "KafkaException: broker said ****");
    }

    @Test
    void aFailureWithoutSecretsKeepsItsOriginalCause(@TempDir Path dir) throws Exception {
        Path saslFile = Files.writeString(dir.resolve("sasl"), "sasl-Pa55");
        KafkaCluster cluster = new KafkaCluster("kafka-1:9093", "SASL_PLAINTEXT", "PLAIN", "alice",
                SecretRef.file(saslFile.toString()), null, null, null, null);
        SaslAuthenticationException original = new SaslAuthenticationException("Authentication failed: Invalid username or password");

        RunbookException translated = cluster.translate(original, "connecting");

        assertThat(translated.getCause()).isSameAs(original);
        RunbookException own = RunbookException.configuration("already the runbook's");
        assertThat(cluster.translate(new ExecutionException(own), "connecting")).isSameAs(own);
    }
}
