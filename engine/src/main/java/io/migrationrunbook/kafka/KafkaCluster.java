package io.migrationrunbook.kafka;

import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.core.SecretRef;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TimeoutException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * How to reach one Kafka cluster: bootstrap servers, security protocol, SASL (PLAIN or SCRAM) credentials and TLS
 * trust store. Holds only {@link SecretRef references} to passwords, so it can be persisted in the pause state and
 * printed; the values are read when a client is created and go nowhere else (Kafka masks password-typed
 * properties in its own config log).
 */
public record KafkaCluster(String bootstrapServers, String securityProtocol, String saslMechanism, String saslUsername,
                           SecretRef saslPassword, String truststorePath, String truststoreType,
                           SecretRef truststorePassword, Duration requestTimeout) {

    public static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    public static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);

    public KafkaCluster {
        securityProtocol = securityProtocol == null ? "PLAINTEXT" : securityProtocol;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
    }

    /** A PLAINTEXT cluster: tests and local demos. */
    public static KafkaCluster plaintext(String bootstrapServers) {
        return new KafkaCluster(bootstrapServers, "PLAINTEXT", null, null, null, null, null, null, null);
    }

    public KafkaCluster withRequestTimeout(Duration timeout) {
        return new KafkaCluster(bootstrapServers, securityProtocol, saslMechanism, saslUsername, saslPassword,
                truststorePath, truststoreType, truststorePassword, timeout);
    }

    /** Rejects an incomplete or contradictory security setup; {@code key} is the configuration key prefix for messages. */
    public void validate(String key) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw RunbookException.configuration(key + ".bootstrapServers is missing: name at least one broker, e.g. kafka-1:9092.");
        }
        if (!PROTOCOLS.contains(securityProtocol)) {
            throw RunbookException.configuration(key + ".security.protocol must be one of " + List.copyOf(new java.util.TreeSet<>(PROTOCOLS))
                    + ", got '" + securityProtocol + "'.");
        }
        boolean sasl = securityProtocol.startsWith("SASL_");
        if (sasl) {
            if (saslMechanism == null || !MECHANISMS.contains(saslMechanism)) {
                throw RunbookException.configuration(key + ".security.sasl.mechanism must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 for "
                        + securityProtocol + ", got '" + (saslMechanism == null ? "" : saslMechanism) + "'.");
            }
            if (saslUsername == null || saslUsername.isBlank()) {
                throw RunbookException.configuration(key + ".security.sasl.username is missing (needed by " + securityProtocol + ").");
            }
            if (saslPassword == null) {
                throw RunbookException.configuration(key + ".security.sasl.password is missing: give {env: VARIABLE} or {file: PATH}.");
            }
        } else if (saslMechanism != null || saslUsername != null || saslPassword != null) {
            throw RunbookException.configuration(key + ".security.sasl is set but the protocol is " + securityProtocol
                    + ": use SASL_SSL or SASL_PLAINTEXT, or remove the sasl block.");
        }
        if (truststorePath != null) {
            if (!securityProtocol.endsWith("SSL")) {
                throw RunbookException.configuration(key + ".security.truststore is set but the protocol is " + securityProtocol
                        + ": use SSL or SASL_SSL, or remove the truststore block.");
            }
            if (!Files.isReadable(Path.of(truststorePath))) {
                throw RunbookException.configuration(key + ".security.truststore.path: cannot read " + truststorePath + ".");
            }
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw RunbookException.configuration(key + ".requestTimeout must be positive.");
        }
    }

    /** Client properties with the secrets resolved: hand them to a Kafka client and nowhere else. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol);
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "migration-runbook");
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis());
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        // Without a cap the client retries an unreachable bootstrap server quietly for the whole API timeout anyway;
        // keep reconnects quick so a broker that comes back is noticed.
        props.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        if (securityProtocol.startsWith("SASL_")) {
            Secret password = saslPassword.resolve("kafka.security.sasl.password");
            String module = saslMechanism.equals("PLAIN")
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            props.put(SaslConfigs.SASL_MECHANISM, saslMechanism);
            props.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + jaasEscape(saslUsername)
                    + "\" password=\"" + jaasEscape(password.reveal()) + "\";");
        }
        if (truststorePath != null) {
            props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststorePath);
            props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, truststoreType == null ? "PKCS12" : truststoreType);
            if (truststorePassword != null) {
                props.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, truststorePassword.resolve("kafka.security.truststore.password").reveal());
            }
        }
        return props;
    }

    /**
     * Opens an admin client and checks that the cluster answers, so an unreachable or misconfigured cluster is an
     * environment error up front instead of a timeout in the middle of an operation.
     */
    public Admin openAdmin() {
        Admin admin;
        try {
            admin = Admin.create(clientProperties());
        } catch (KafkaException e) {
            throw RunbookException.configuration("Cannot create a Kafka client for " + bootstrapServers + ": "
                    + redact(rootMessage(e)) + ". Check kafka.bootstrapServers and kafka.security.");
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) requestTimeout.toMillis())).nodes().get();
            return admin;
        } catch (Exception e) {
            admin.close(Duration.ZERO);
            throw translate(e, "connecting");
        }
    }

    /**
     * Turns a Kafka client failure into a RunbookException that names the problem and the fix: the one place where
     * Kafka's words become the runbook's, so the configured secrets are masked here (message and cause chain).
     */
    public RunbookException translate(Throwable failure, String doing) {
        Throwable unwrapped = unwrap(failure);
        if (unwrapped instanceof RunbookException re) {
            return re; // already the runbook's own words
        }
        RunbookException translated = describe(unwrapped, doing);
        List<Secret> secrets = secrets();
        Throwable cause = translated.getCause();
        Throwable safeCause = cause == null || !mentionsSecret(cause, secrets) ? cause : RedactedFailure.of(cause, secrets);
        return new RunbookException(translated.kind(), mask(translated.getMessage(), secrets), safeCause);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof ExecutionException || e instanceof java.util.concurrent.CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private RunbookException describe(Throwable e, String doing) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return RunbookException.environment("Interrupted while " + doing + " on Kafka " + bootstrapServers + ".", e);
        }
        if (e instanceof GroupIdNotFoundException) {
            return RunbookException.configuration("Consumer group not found on Kafka " + bootstrapServers + " while " + doing + ": "
                    + String.valueOf(e.getMessage()).replaceAll("\\.+$", "") + ". Check the group names in the configuration (kafka-consumer-groups.sh --list shows the existing ones).");
        }
        if (e instanceof TimeoutException) {
            return RunbookException.environment("Cannot reach the Kafka cluster at " + bootstrapServers + " within "
                    + requestTimeout.toMillis() + " ms while " + doing + ": check kafka.bootstrapServers, the network and "
                    + "kafka.security (a TLS or SASL mismatch also looks like this).", e);
        }
        if (e instanceof org.apache.kafka.common.errors.SslAuthenticationException) {
            return RunbookException.environment("The TLS handshake with Kafka at " + bootstrapServers + " failed while " + doing + ": "
                    + rootMessage(e) + ". Check kafka.security.truststore (it must hold the CA that signed the brokers' "
                    + "certificates) and that the certificates name the host in bootstrapServers.", e);
        }
        if (e instanceof AuthenticationException) {
            return RunbookException.environment("Kafka at " + bootstrapServers + " rejected the credentials while " + doing + ": "
                    + e.getMessage() + ". Check kafka.security (mechanism, username, the password's env var or file, trust store).", e);
        }
        if (e instanceof AuthorizationException) {
            return RunbookException.environment("Kafka at " + bootstrapServers + " refused access while " + doing + ": " + e.getMessage()
                    + ". The runbook's principal needs Describe on the consumer groups and Describe on their topics.", e);
        }
        return RunbookException.environment("Kafka at " + bootstrapServers + " failed while " + doing + ": "
                + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    /** {@code text} with every configured secret (SASL password, trust store password) masked: for text quoted from Kafka. */
    public String redact(String text) {
        return mask(text, secrets());
    }

    /** The secrets this configuration references that can be read now (one that cannot be read cannot leak either). */
    private List<Secret> secrets() {
        List<Secret> secrets = new java.util.ArrayList<>();
        for (SecretRef ref : java.util.Arrays.asList(saslPassword, truststorePassword)) {
            if (ref != null) {
                try {
                    secrets.add(ref.resolve("kafka.security"));
                } catch (RunbookException unreadable) {
                    // not readable now: nothing of it can be in a message built now
                }
            }
        }
        return secrets;
    }

    /**
     * Masks each secret in {@code text}, also in the escaped form it has inside sasl.jaas.config, and any quoted
     * {@code password="..."} of a JAAS configuration Kafka may quote back.
     */
    static String mask(String text, List<Secret> secrets) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (Secret secret : secrets) {
            masked = Secret.of(jaasEscape(secret.reveal())).redact(secret.redact(masked));
            // a secret of several lines can come back one line at a time (a parser stopping at the line break)
            for (String line : secret.reveal().split("[\r\n]+")) {
                if (line.length() >= MIN_MASKED_LINE && !line.equals(secret.reveal())) {
                    masked = Secret.of(line).redact(masked);
                }
            }
        }
        return JAAS_PASSWORD.matcher(masked).replaceAll("$1\"" + Secret.MASK + "\"");
    }

    /** Shorter lines of a multi-line secret are not masked on their own: "ab" would garble every message. */
    private static final int MIN_MASKED_LINE = 4;

    private static final java.util.regex.Pattern JAAS_PASSWORD =
            java.util.regex.Pattern.compile("(?i)(password\\s*=\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");

    private static boolean mentionsSecret(Throwable e, List<Secret> secrets) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.equals(mask(message, secrets))) {
                return true;
            }
        }
        return false;
    }

    /** Stands in for a Kafka exception whose text held a secret: same class name, stack and causes, masked text. */
    static final class RedactedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private RedactedFailure(String message, Throwable cause) {
            super(message, cause);
        }

        static RedactedFailure of(Throwable original, List<Secret> secrets) {
            Throwable next = original.getCause() == original ? null : original.getCause();
            RedactedFailure copy = new RedactedFailure(original.getClass().getName() + ": " + mask(original.getMessage(), secrets),
                    next == null ? null : of(next, secrets));
            copy.setStackTrace(original.getStackTrace());
            return copy;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /**
     * A value as a quoted JAAS string: backslash, quote and line breaks escaped. An unescaped line break ends the quoted
     * string, and Kafka's parse error then quotes the password's next line back ("Value not specified for key '...'").
     */
    static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r");
    }
}
