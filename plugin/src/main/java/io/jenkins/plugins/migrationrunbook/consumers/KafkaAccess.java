package io.jenkins.plugins.migrationrunbook.consumers;

import io.jenkins.plugins.migrationrunbook.agent.SecretFiles;
import io.jenkins.plugins.migrationrunbook.config.KafkaCluster;
import io.jenkins.plugins.migrationrunbook.steps.Targets;
import io.migrationrunbook.core.Secret;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A configured Kafka cluster with its credentials resolved on the controller: serializable, sent to the agent, where
 * {@link #engineCluster(SecretFiles)} hands the passwords to the engine through 0600 temporary files.
 */
public record KafkaAccess(String id, String bootstrapServers, String securityProtocol, String saslMechanism, String saslUsername,
                          Secret saslPassword, String truststorePath, Secret truststorePassword) implements Serializable {

    public static KafkaAccess resolve(Targets targets, String clusterId) {
        KafkaCluster c = targets.configuration().kafkaCluster(clusterId);
        return of(c, c.getSaslMechanism().isEmpty() ? null : targets.usernamePassword(c.getSaslCredentialsId()),
                c.getTruststorePasswordCredentialsId().isEmpty() ? null : targets.secretText(c.getTruststorePasswordCredentialsId()));
    }

    public static KafkaAccess of(KafkaCluster c, Targets.Login sasl, Secret truststorePassword) {
        return new KafkaAccess(c.getId(), c.getBootstrapServers(), c.securityProtocol(),
                c.getSaslMechanism().isEmpty() ? null : c.getSaslMechanism(), sasl == null ? null : sasl.user(),
                sasl == null ? null : sasl.password(), c.getTruststorePath().isEmpty() ? null : c.getTruststorePath(),
                truststorePassword);
    }

    /** The engine's cluster settings; call on the agent, inside the task, and close {@code files} afterwards. */
    public io.migrationrunbook.kafka.KafkaCluster engineCluster(SecretFiles files) {
        io.migrationrunbook.kafka.KafkaCluster cluster = new io.migrationrunbook.kafka.KafkaCluster(bootstrapServers,
                securityProtocol, saslMechanism, saslUsername, files.write(saslPassword), truststorePath, null,
                files.write(truststorePassword), null);
        cluster.validate("kafkaClusters[" + id + "]");
        return cluster;
    }

    public List<Secret> secrets() {
        List<Secret> out = new ArrayList<>();
        out.add(saslPassword);
        out.add(truststorePassword);
        return out;
    }

    @Override
    public String toString() {
        return "KafkaAccess[" + id + " " + bootstrapServers + " " + securityProtocol + "]";
    }
}
