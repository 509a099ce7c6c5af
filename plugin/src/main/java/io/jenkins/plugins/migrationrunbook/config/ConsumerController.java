package io.jenkins.plugins.migrationrunbook.config;

import hudson.Extension;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * How to pause and resume one service's Kafka consumers: {@code http} (the service's own ops endpoint),
 * {@code kafka-connect} (connectors through the Connect REST API), {@code kubernetes} (a Deployment or StatefulSet scaled
 * to 0 and back to the replica count read at pause time) or {@code manual} (a human is asked; the Kafka-side
 * verification decides). The effect is always verified from Kafka, on {@link #getCluster() the cluster}'s groups.
 */
public class ConsumerController extends ConfigItem<ConsumerController> {

    public static final List<String> TYPES = List.of("http", "kafka-connect", "kubernetes", "manual");

    private final String id;
    private final String type;
    private String cluster = "";
    private String groups = "";
    private String credentialsId = "";
    private String httpMethod = "PUT";
    private String pauseUrl = "";
    private String pauseBody = "";
    private String resumeUrl = "";
    private String resumeBody = "";
    private String statusUrl = "";
    private String statusPausedValue = "";
    private String statusPointer = "/mode";
    private String statusRunningValue = "";
    private String connectUrl = "";
    private String connectors = "";
    private String apiServer = "";
    private String namespace = "";
    private String kind = "Deployment";
    private String workload = "";
    private String caCert = "";

    @DataBoundConstructor
    public ConsumerController(String id, String type) {
        this.id = trimToEmpty(id);
        this.type = trimToEmpty(type).isEmpty() ? "http" : trimToEmpty(type);
    }

    @Override
    public String getId() {
        return id;
    }

    public String getType() {
        return type;
    }

    /** Id of the Kafka cluster the groups live on. */
    public String getCluster() {
        return cluster;
    }

    @DataBoundSetter
    public void setCluster(String cluster) {
        this.cluster = trimToEmpty(cluster);
    }

    /** Comma-separated consumer groups this controller pauses. */
    public String getGroups() {
        return groups;
    }

    @DataBoundSetter
    public void setGroups(String groups) {
        this.groups = trimToEmpty(groups);
    }

    public List<String> getGroupList() {
        return Validation.splitList(groups);
    }

    /** Username/password (basic) or secret text (bearer token) for the endpoints. */
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = trimToEmpty(credentialsId);
    }

    public String getHttpMethod() {
        return httpMethod;
    }

    @DataBoundSetter
    public void setHttpMethod(String httpMethod) {
        this.httpMethod = trimToEmpty(httpMethod).isEmpty() ? "PUT" : trimToEmpty(httpMethod).toUpperCase(java.util.Locale.ROOT);
    }

    public String getPauseUrl() {
        return pauseUrl;
    }

    @DataBoundSetter
    public void setPauseUrl(String pauseUrl) {
        this.pauseUrl = trimToEmpty(pauseUrl);
    }

    public String getPauseBody() {
        return pauseBody;
    }

    @DataBoundSetter
    public void setPauseBody(String pauseBody) {
        this.pauseBody = pauseBody == null ? "" : pauseBody;
    }

    public String getResumeUrl() {
        return resumeUrl;
    }

    @DataBoundSetter
    public void setResumeUrl(String resumeUrl) {
        this.resumeUrl = trimToEmpty(resumeUrl);
    }

    public String getResumeBody() {
        return resumeBody;
    }

    @DataBoundSetter
    public void setResumeBody(String resumeBody) {
        this.resumeBody = resumeBody == null ? "" : resumeBody;
    }

    /** Optional status probe (GET) and the value it shows when paused. */
    public String getStatusUrl() {
        return statusUrl;
    }

    @DataBoundSetter
    public void setStatusUrl(String statusUrl) {
        this.statusUrl = trimToEmpty(statusUrl);
    }

    public String getStatusPausedValue() {
        return statusPausedValue;
    }

    @DataBoundSetter
    public void setStatusPausedValue(String statusPausedValue) {
        this.statusPausedValue = trimToEmpty(statusPausedValue);
    }

    /** JSON Pointer of the mode in the status response (default {@code /mode}). */
    public String getStatusPointer() {
        return statusPointer;
    }

    @DataBoundSetter
    public void setStatusPointer(String statusPointer) {
        this.statusPointer = trimToEmpty(statusPointer).isEmpty() ? "/mode" : trimToEmpty(statusPointer);
    }

    /** The value the status shows when consuming (optional: then any other value than paused means running). */
    public String getStatusRunningValue() {
        return statusRunningValue;
    }

    @DataBoundSetter
    public void setStatusRunningValue(String statusRunningValue) {
        this.statusRunningValue = trimToEmpty(statusRunningValue);
    }

    /** Kafka Connect REST base URL (type kafka-connect). */
    public String getConnectUrl() {
        return connectUrl;
    }

    @DataBoundSetter
    public void setConnectUrl(String connectUrl) {
        this.connectUrl = trimToEmpty(connectUrl);
    }

    /** Comma-separated connector names (type kafka-connect). */
    public String getConnectors() {
        return connectors;
    }

    @DataBoundSetter
    public void setConnectors(String connectors) {
        this.connectors = trimToEmpty(connectors);
    }

    /** Kubernetes API server base URL (type kubernetes; blank: https://kubernetes.default.svc, for an agent in the cluster). */
    public String getApiServer() {
        return apiServer;
    }

    @DataBoundSetter
    public void setApiServer(String apiServer) {
        this.apiServer = trimToEmpty(apiServer);
    }

    /** Namespace of the workload (type kubernetes). */
    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = trimToEmpty(namespace);
    }

    /** Deployment or StatefulSet (type kubernetes). */
    public String getKind() {
        return kind;
    }

    @DataBoundSetter
    public void setKind(String kind) {
        this.kind = trimToEmpty(kind).isEmpty() ? "Deployment" : trimToEmpty(kind);
    }

    /** Name of the Deployment or StatefulSet (type kubernetes). */
    public String getWorkload() {
        return workload;
    }

    @DataBoundSetter
    public void setWorkload(String workload) {
        this.workload = trimToEmpty(workload);
    }

    /** Path on the agent of the API server's CA (PEM; type kubernetes; blank: the pod's service account CA or the JVM's). */
    public String getCaCert() {
        return caCert;
    }

    @DataBoundSetter
    public void setCaCert(String caCert) {
        this.caCert = trimToEmpty(caCert);
    }

    /** Problems with this entry as a whole (null when consistent). */
    public String problem() {
        if (!TYPES.contains(type)) {
            return "Controller type must be one of " + TYPES + ", got '" + type + "'.";
        }
        if (cluster.isEmpty()) {
            return "Controller '" + id + "' names no Kafka cluster: the pause is verified from the cluster's consumer groups.";
        }
        if (getGroupList().isEmpty()) {
            return "Controller '" + id + "' names no consumer groups.";
        }
        return switch (type) {
            case "http" -> firstNonNull(Validation.httpUrl(pauseUrl, true), Validation.httpUrl(resumeUrl, true),
                    Validation.httpUrl(statusUrl, false));
            case "kafka-connect" -> firstNonNull(Validation.httpUrl(connectUrl, true),
                    Validation.splitList(connectors).isEmpty() ? "Name the connectors to pause." : null);
            case "kubernetes" -> firstNonNull(apiServer.isEmpty() ? null : Validation.httpUrl(apiServer, true),
                    namespace.isEmpty() || workload.isEmpty() ? "Name the namespace and the Deployment or StatefulSet to scale." : null,
                    kind.equals("Deployment") || kind.equals("StatefulSet") ? null : "Kind must be Deployment or StatefulSet, got '" + kind + "'.");
            default -> null;
        };
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    @Extension
    @Symbol("consumerController")
    public static final class DescriptorImpl extends Descriptor<ConsumerController> {
        @Override
        public String getDisplayName() {
            return "Consumer controller";
        }

        public ListBoxModel doFillTypeItems() {
            ListBoxModel items = new ListBoxModel();
            for (String t : TYPES) {
                items.add(t);
            }
            return items;
        }

        /** The drop-down of secret text or username/password credentials (administrators only). */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            return CredentialsItems.tokenOrLogin(credentialsId);
        }

        public FormValidation doCheckId(@QueryParameter String value) {
            return Forms.check(Validation.id(value));
        }

        public FormValidation doCheckPauseUrl(@QueryParameter String value) {
            return Forms.check(Validation.httpUrl(value, false));
        }

        public FormValidation doCheckResumeUrl(@QueryParameter String value) {
            return Forms.check(Validation.httpUrl(value, false));
        }

        public FormValidation doCheckStatusUrl(@QueryParameter String value) {
            return Forms.check(Validation.httpUrl(value, false));
        }

        public FormValidation doCheckConnectUrl(@QueryParameter String value) {
            return Forms.check(Validation.httpUrl(value, false));
        }
    }
}
