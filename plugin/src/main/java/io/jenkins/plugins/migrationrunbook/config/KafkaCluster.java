package io.jenkins.plugins.migrationrunbook.config;

import hudson.Extension;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.migrationrunbook.agent.SecretFiles;
import io.jenkins.plugins.migrationrunbook.consumers.KafkaAccess;
import io.jenkins.plugins.migrationrunbook.steps.Targets;
import io.migrationrunbook.core.RunbookException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jenkins.model.Jenkins;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** A Kafka cluster whose consumer groups the runbook pauses, verifies and watches. */
public class KafkaCluster extends ConfigItem<KafkaCluster> {

    private final String id;
    private final String bootstrapServers;
    private String saslMechanism = "";
    private String saslCredentialsId = "";
    private boolean tls;
    private String truststorePath = "";
    private String truststorePasswordCredentialsId = "";

    @DataBoundConstructor
    public KafkaCluster(String id, String bootstrapServers) {
        this.id = trimToEmpty(id);
        this.bootstrapServers = trimToEmpty(bootstrapServers);
    }

    @Override
    public String getId() {
        return id;
    }

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    /** Empty (no SASL), PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512. */
    public String getSaslMechanism() {
        return saslMechanism;
    }

    @DataBoundSetter
    public void setSaslMechanism(String saslMechanism) {
        this.saslMechanism = trimToEmpty(saslMechanism);
    }

    /** A username/password credential for SASL; required when a mechanism is set. */
    public String getSaslCredentialsId() {
        return saslCredentialsId;
    }

    @DataBoundSetter
    public void setSaslCredentialsId(String saslCredentialsId) {
        this.saslCredentialsId = trimToEmpty(saslCredentialsId);
    }

    public boolean isTls() {
        return tls;
    }

    @DataBoundSetter
    public void setTls(boolean tls) {
        this.tls = tls;
    }

    /** A trust store file on the agent (PKCS12 or JKS) for brokers with a private CA; empty means the JVM's. */
    public String getTruststorePath() {
        return truststorePath;
    }

    @DataBoundSetter
    public void setTruststorePath(String truststorePath) {
        this.truststorePath = trimToEmpty(truststorePath);
    }

    /** A secret text credential holding the trust store password. */
    public String getTruststorePasswordCredentialsId() {
        return truststorePasswordCredentialsId;
    }

    @DataBoundSetter
    public void setTruststorePasswordCredentialsId(String truststorePasswordCredentialsId) {
        this.truststorePasswordCredentialsId = trimToEmpty(truststorePasswordCredentialsId);
    }

    /** The Kafka security protocol these settings amount to. */
    public String securityProtocol() {
        boolean sasl = !saslMechanism.isEmpty();
        if (sasl) {
            return tls ? "SASL_SSL" : "SASL_PLAINTEXT";
        }
        return tls ? "SSL" : "PLAINTEXT";
    }

    /** Problems with this entry as a whole (null when consistent). */
    public String problem() {
        String p = Validation.bootstrapServers(bootstrapServers);
        if (p != null) {
            return p;
        }
        if (!saslMechanism.isEmpty() && !saslMechanism.matches("PLAIN|SCRAM-SHA-256|SCRAM-SHA-512")) {
            return "SASL mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.";
        }
        if (!saslMechanism.isEmpty() && saslCredentialsId.isEmpty()) {
            return "SASL " + saslMechanism + " needs a username/password credentials id.";
        }
        return null;
    }

    @Extension
    @Symbol("kafkaCluster")
    public static final class DescriptorImpl extends Descriptor<KafkaCluster> {
        @Override
        public String getDisplayName() {
            return "Kafka cluster";
        }

        public FormValidation doCheckId(@QueryParameter String value) {
            return Forms.check(Validation.id(value));
        }

        public FormValidation doCheckBootstrapServers(@QueryParameter String value) {
            return Forms.check(Validation.bootstrapServers(value));
        }

        public ListBoxModel doFillSaslMechanismItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("none", "");
            items.add("PLAIN");
            items.add("SCRAM-SHA-256");
            items.add("SCRAM-SHA-512");
            return items;
        }

        /** The drop-down of username/password credentials for SASL (administrators only). */
        @POST
        public ListBoxModel doFillSaslCredentialsIdItems(@QueryParameter String saslCredentialsId) {
            return CredentialsItems.usernamePassword(saslCredentialsId);
        }

        /** The drop-down of secret text credentials for the trust store password (administrators only). */
        @POST
        public ListBoxModel doFillTruststorePasswordCredentialsIdItems(@QueryParameter String truststorePasswordCredentialsId) {
            return CredentialsItems.secretText(truststorePasswordCredentialsId);
        }

        /** "Test connection": describes the cluster (brokers, controller) with these settings. Administrators only. */
        @POST
        public FormValidation doTestConnection(@QueryParameter String bootstrapServers, @QueryParameter String saslMechanism,
                @QueryParameter String saslCredentialsId, @QueryParameter boolean tls) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            KafkaCluster cluster = new KafkaCluster("test", bootstrapServers);
            cluster.setSaslMechanism(saslMechanism);
            cluster.setSaslCredentialsId(saslCredentialsId);
            cluster.setTls(tls);
            String problem = cluster.problem();
            if (problem != null) {
                return FormValidation.error(problem);
            }
            GlobalCredentials.Login login;
            try {
                login = cluster.getSaslMechanism().isEmpty() ? null : GlobalCredentials.login(cluster.getSaslCredentialsId());
            } catch (RunbookException e) {
                return FormValidation.error(e.getMessage());
            }
            KafkaAccess access = KafkaAccess.of(cluster, login == null ? null : new Targets.Login(login.user(), login.password()), null);
            try (SecretFiles files = new SecretFiles();
                 Admin admin = access.engineCluster(files).withRequestTimeout(Duration.ofSeconds(10)).openAdmin()) {
                DescribeClusterResult r = admin.describeCluster();
                int brokers = r.nodes().get(15, TimeUnit.SECONDS).size();
                return FormValidation.ok("Connected: cluster " + r.clusterId().get(15, TimeUnit.SECONDS) + ", " + brokers + " broker(s)");
            } catch (RunbookException e) {
                return FormValidation.error(e.getMessage());
            } catch (Exception e) {
                return FormValidation.error("Cannot reach the cluster at " + bootstrapServers + ": " + e.getClass().getSimpleName()
                        + ". Check the servers, the security settings and that this controller can reach them.");
            }
        }

    }
}
