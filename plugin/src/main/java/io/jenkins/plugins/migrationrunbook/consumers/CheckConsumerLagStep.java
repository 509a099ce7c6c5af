package io.jenkins.plugins.migrationrunbook.consumers;

import io.jenkins.plugins.migrationrunbook.agent.Workspace;
import hudson.Extension;
import io.jenkins.plugins.migrationrunbook.agent.AgentTask;
import io.jenkins.plugins.migrationrunbook.agent.SecretFiles;
import io.jenkins.plugins.migrationrunbook.config.ConsumerController;
import io.jenkins.plugins.migrationrunbook.steps.RunbookStep;
import io.jenkins.plugins.migrationrunbook.steps.Targets;
import io.migrationrunbook.core.Durations;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.lag.CheckConsumerLag;
import io.migrationrunbook.lag.LagCheckResult;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.migrationrunbook.consumers.PauseState;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code checkConsumerLag(controller: 'ingestion', maxLag: 1000)} or {@code checkConsumerLag(cluster: 'main',
 * groups: ['persistence-service'], maxLag: 0)}: samples the groups' offsets and passes only when lag falls with
 * offsets advancing and total lag is back under the threshold before the deadline (Burrow-style statuses per
 * partition in the result).
 */
public class CheckConsumerLagStep extends RunbookStep {

    private String controller = "";
    private String cluster = "";
    private List<String> groups = new ArrayList<>();
    private Long maxLag;
    private int samples = 5;
    private String interval = "1s";
    private String deadline = "5m";
    private String stateDir = "";

    @DataBoundConstructor
    public CheckConsumerLagStep() {
    }

    public String getController() {
        return controller;
    }

    /** A configured consumer controller: its cluster and groups are checked. */
    @DataBoundSetter
    public void setController(String controller) {
        this.controller = controller == null ? "" : controller.trim();
    }

    public String getCluster() {
        return cluster;
    }

    @DataBoundSetter
    public void setCluster(String cluster) {
        this.cluster = cluster == null ? "" : cluster.trim();
    }

    public List<String> getGroups() {
        return List.copyOf(groups);
    }

    @DataBoundSetter
    public void setGroups(List<String> groups) {
        this.groups = groups == null ? new ArrayList<>() : new ArrayList<>(groups);
    }

    public Long getMaxLag() {
        return maxLag;
    }

    /** Total lag per group to get back under. */
    @DataBoundSetter
    public void setMaxLag(Long maxLag) {
        this.maxLag = maxLag;
    }

    public int getSamples() {
        return samples;
    }

    @DataBoundSetter
    public void setSamples(int samples) {
        this.samples = samples;
    }

    public String getInterval() {
        return interval;
    }

    @DataBoundSetter
    public void setInterval(String interval) {
        this.interval = interval == null || interval.isBlank() ? "1s" : interval.trim();
    }

    public String getDeadline() {
        return deadline;
    }

    @DataBoundSetter
    public void setDeadline(String deadline) {
        this.deadline = deadline == null || deadline.isBlank() ? "5m" : deadline.trim();
    }

    public String getStateDir() {
        return stateDir;
    }

    /** The pause state of pauseConsumers: lag must get back under the pre-pause baseline it recorded. */
    @DataBoundSetter
    public void setStateDir(String stateDir) {
        this.stateDir = stateDir == null ? "" : stateDir.trim();
    }

    @Override
    protected String functionName() {
        return "checkConsumerLag";
    }

    @Override
    protected LagTask task(Targets targets) {
        String clusterId = cluster;
        List<String> groupList = new ArrayList<>(groups);
        if (!controller.isEmpty()) {
            ConsumerController c = targets.configuration().consumerController(controller);
            if (clusterId.isEmpty()) {
                clusterId = c.getCluster();
            }
            if (groupList.isEmpty()) {
                groupList.addAll(c.getGroupList());
            }
        }
        if (clusterId.isEmpty()) {
            throw RunbookException.configuration("No Kafka cluster: pass controller: 'ID' or cluster: 'ID'.");
        }
        if (groupList.isEmpty()) {
            throw RunbookException.configuration("No consumer groups: pass groups: ['GROUP'] or a controller that lists them.");
        }
        if (maxLag == null && stateDir.isEmpty()) {
            throw RunbookException.configuration("No lag threshold: pass maxLag: N (total lag per group to get back under), or "
                    + "stateDir: the pauseConsumers state directory (its pre-pause baseline).");
        }
        Durations.parse(interval);
        Durations.parse(deadline);
        return new LagTask(KafkaAccess.resolve(targets, clusterId), groupList, maxLag, samples, interval, deadline, stateDir);
    }

    /** The lag check, as sent to the agent. */
    public static final class LagTask extends AgentTask<LagCheckResult> {
        private static final long serialVersionUID = 1L;
        final KafkaAccess kafka;
        final List<String> groups;
        final Long maxLag;
        final int samples;
        final String interval;
        final String deadline;
        final String stateDir;

        LagTask(KafkaAccess kafka, List<String> groups, Long maxLag, int samples, String interval, String deadline, String stateDir) {
            this.stateDir = stateDir;
            this.kafka = kafka;
            this.groups = new ArrayList<>(groups);
            this.maxLag = maxLag;
            this.samples = samples;
            this.interval = interval;
            this.deadline = deadline;
        }

        /** The engine check; {@code baselines} (group to pre-pause lag) from the pause state, used when no maxLag is given. */
        public CheckConsumerLag check(io.migrationrunbook.kafka.KafkaCluster cluster, Map<String, Long> baselines, Progress progress) {
            CheckConsumerLag check = CheckConsumerLag.on(cluster).maxLag(maxLag).samples(samples)
                    .interval(Durations.parse(interval)).deadline(Durations.parse(deadline)).progress(progress);
            for (String g : groups) {
                Long baseline = baselines.get(g);
                if (baseline != null) {
                    check.group(g, baseline);
                } else {
                    check.group(g);
                }
            }
            return check;
        }

        @Override
        public LagCheckResult run(File workspace, Progress progress, SecretFiles secrets) {
            Map<String, Long> baselines = Map.of();
            if (!stateDir.isEmpty()) {
                PauseState state = PauseState.load(Workspace.resolve(workspace, stateDir));
                if (state == null) {
                    throw RunbookException.configuration("No pause state in " + stateDir + ": pass the stateDir pauseConsumers used, "
                            + "or maxLag: N.");
                }
                baselines = state.baselineLag();
            }
            return check(kafka.engineCluster(secrets), baselines, progress).execute();
        }

        @Override
        public List<Secret> secrets() {
            return kafka.secrets();
        }

        @Override
        public String describe() {
            return "Checking consumer lag of " + groups + " on " + kafka.id() + " (back under "
                    + (maxLag != null ? String.valueOf(maxLag) : "the pre-pause baseline") + " within " + deadline + ")";
        }
    }

    @Extension
    @Symbol("checkConsumerLag")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return CONTEXT;
        }

        @Override
        public String getFunctionName() {
            return "checkConsumerLag";
        }

        @Override
        public String getDisplayName() {
            return "Check that consumer lag drains";
        }
    }
}
