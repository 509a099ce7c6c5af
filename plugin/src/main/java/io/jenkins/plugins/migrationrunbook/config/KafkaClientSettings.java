package io.jenkins.plugins.migrationrunbook.config;

import io.migrationrunbook.core.Secret;
import java.util.Properties;

/** Kafka client properties for a configured cluster; the SASL password goes only into the JAAS config value. */
public final class KafkaClientSettings {
    private KafkaClientSettings() {
    }

    public static Properties properties(KafkaCluster cluster, String user, Secret password, Secret truststorePassword) {
        Properties props = new Properties();
        props.put("bootstrap.servers", cluster.getBootstrapServers());
        props.put("security.protocol", cluster.securityProtocol());
        if (!cluster.getSaslMechanism().isEmpty()) {
            props.put("sasl.mechanism", cluster.getSaslMechanism());
            String module = cluster.getSaslMechanism().equals("PLAIN")
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            props.put("sasl.jaas.config", module + " required username=\"" + jaasEscape(user) + "\" password=\""
                    + jaasEscape(password == null ? "" : password.reveal()) + "\";");
        }
        if (cluster.isTls() && !cluster.getTruststorePath().isEmpty()) {
            props.put("ssl.truststore.location", cluster.getTruststorePath());
            if (truststorePassword != null) {
                props.put("ssl.truststore.password", truststorePassword.reveal());
            }
        }
        return props;
    }

    static String jaasEscape(String value) {
        return value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
