package io.jenkins.plugins.migrationrunbook.consumers;

import io.jenkins.plugins.migrationrunbook.agent.Workspace;
import hudson.Extension;
import io.jenkins.plugins.migrationrunbook.agent.AgentTask;
import io.jenkins.plugins.migrationrunbook.agent.SecretFiles;
import io.jenkins.plugins.migrationrunbook.steps.RunbookStep;
import io.jenkins.plugins.migrationrunbook.steps.Targets;
import io.migrationrunbook.consumers.ConsumersConfig;
import io.migrationrunbook.consumers.HumanGate;
import io.migrationrunbook.consumers.PauseConsumers;
import io.migrationrunbook.consumers.PauseResult;
import io.migrationrunbook.consumers.PauseState;
import io.jenkins.plugins.migrationrunbook.agent.StepResults;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.migrationrunbook.agent.EngineCallable;
import io.jenkins.plugins.migrationrunbook.freeze.JenkinsJobs;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.Secret;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code pauseConsumers(controller: 'ingestion')}: asks the service to pause its consumers, then proves it from Kafka
 * (committed offsets still over a quiet window), records the pre-pause lag baseline, and persists the pause state in
 * {@code stateDir} on the agent for {@code resumeConsumers} (or {@code runbook resume --state-dir}). On a failed
 * verification the engine resumes them (best effort) and the step fails.
 *
 * <p>A pause an earlier build left in {@code stateDir} (a failed migration keeps the consumers paused for a forward
 * fix) is taken over, as {@code runbook run} does: the engine's {@link PauseConsumers#checkAdoptable()} refuses a pause
 * of other consumers or one not verified, and {@link PauseConsumers#adopt()} checks from Kafka that the consumers are
 * still paused (outcome ADOPTED) or fails the step with NOT_ADOPTED; either refusal before anything is asked of the
 * controller. {@code adoptExistingPause: false} refuses any pause left behind instead.
 */
public class PauseConsumersStep extends RunbookStep {

    private String controller = "";
    private String stateDir = ControllerAccess.DEFAULT_STATE_DIR;
    private boolean adoptExistingPause = true;

    @DataBoundConstructor
    public PauseConsumersStep() {
    }

    public String getController() {
        return controller;
    }

    /** Id of a configured consumer controller. */
    @DataBoundSetter
    public void setController(String controller) {
        this.controller = controller == null ? "" : controller.trim();
    }

    public String getStateDir() {
        return stateDir;
    }

    /** Where the pause state is kept on the agent (relative to the workspace); resumeConsumers reads it. */
    @DataBoundSetter
    public void setStateDir(String stateDir) {
        this.stateDir = ControllerAccess.stateDirOrDefault(stateDir);
    }

    public boolean isAdoptExistingPause() {
        return adoptExistingPause;
    }

    /**
     * Take over a verified pause of the same controller and groups that an earlier build left in {@code stateDir}
     * (default true); false: such a pause fails the step, resume it first.
     */
    @DataBoundSetter
    public void setAdoptExistingPause(boolean adoptExistingPause) {
        this.adoptExistingPause = adoptExistingPause;
    }

    @Override
    protected String functionName() {
        return "pauseConsumers";
    }

    @Override
    protected PauseTask task(Targets targets) {
        return new PauseTask(ControllerAccess.resolve(targets, controller), stateDir, adoptExistingPause, targets.build());
    }

    /**
     * A pause held by a build that is still running is not taken over: parallel branches or concurrent builds sharing
     * {@code stateDir} would each resume the consumers while the other still migrates. The holder (the build that took
     * the pause over last, else the one that paused) is read on the agent, its build looked up here.
     */
    @Override
    public void checkBeforeAgent(Run<?, ?> run, FilePath workspace, TaskListener listener) throws Exception {
        if (!adoptExistingPause) {
            return; // any pause left there is refused by the engine anyway
        }
        Map<String, Object> found = workspace.act(new EngineCallable(new HolderTask(stateDir), listener));
        String refusal = heldByRunningBuild((String) found.get("stateFile"), (String) found.get("holder"), stateDir,
                JenkinsJobs::isBuilding);
        if (refusal != null) {
            throw new AbortException("[pauseConsumers] configuration error: " + refusal);
        }
    }

    /** Pure: why a pause held by {@code holder} cannot be taken over because that build still runs, or null. */
    static String heldByRunningBuild(String stateFile, String holder, String stateDir, Predicate<String> building) {
        String id = externalizableIdOf(holder);
        if (id == null || !building.test(id)) {
            return null;
        }
        return "The pause state " + stateFile + " is held by " + holder + ", which is still running: a pause a running build "
                + "holds is not taken over (two builds or parallel branches sharing stateDir '" + stateDir + "' would resume the "
                + "consumers while the other still migrates). Give each its own stateDir, or wait until that build ends (if it "
                + "fails with the consumers paused, the rerun takes the pause over).";
    }

    /** The externalizable id a Jenkins step records at the end of pausedBy: {@code "job #41 (folder/job#41)"}; else null. */
    static String externalizableIdOf(String who) {
        if (who == null) {
            return null;
        }
        Matcher m = EXTERNALIZABLE_ID.matcher(who);
        return m.find() ? m.group(1) : null;
    }

    private static final Pattern EXTERNALIZABLE_ID = Pattern.compile("\\(([^()]+#\\d+)\\)\\s*$");
    private static final String ADOPTED_BY = "pause adopted by ";

    /** Pure: who holds a pause — the last build that took it over (the engine's event), else the one that paused. */
    static String holderOf(PauseState state) {
        String holder = state.pausedBy();
        for (PauseState.Event e : state.events()) {
            String what = e.what();
            int end = what == null ? -1 : what.indexOf(" (state was ");
            if (what != null && what.startsWith(ADOPTED_BY) && end > ADOPTED_BY.length()) {
                holder = what.substring(ADOPTED_BY.length(), end);
            }
        }
        return holder;
    }

    /** Reads, on the agent, who holds a pause left in the state directory that no resume completed. */
    static final class HolderTask extends AgentTask<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        final String stateDir;

        HolderTask(String stateDir) {
            this.stateDir = stateDir;
        }

        @Override
        public Map<String, Object> run(File workspace, Progress progress, SecretFiles secrets) {
            Path dir = Workspace.resolve(workspace, stateDir);
            Map<String, Object> found = new java.util.LinkedHashMap<>();
            PauseState state = PauseState.load(dir);
            if (state != null && !state.isResumed()) {
                found.put("stateFile", PauseState.file(dir).toString());
                found.put("holder", holderOf(state));
            }
            return found;
        }

        @Override
        public List<Secret> secrets() {
            return List.of();
        }

        @Override
        public String describe() {
            return "Reading who holds the pause in " + stateDir;
        }
    }

    /**
     * The pause, as sent to the agent. The result is the engine's PauseResult with two fields added for pipelines:
     * {@code pausedAt} and {@code pausedBy} (of the pause taken over, or of this one).
     */
    public static final class PauseTask extends AgentTask<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        final ControllerAccess access;
        final String stateDir;
        final boolean adoptExistingPause;
        final String build;

        PauseTask(ControllerAccess access, String stateDir, boolean adoptExistingPause, String build) {
            this.access = access;
            this.stateDir = stateDir;
            this.adoptExistingPause = adoptExistingPause;
            this.build = build;
        }

        @Override
        public Map<String, Object> run(File workspace, Progress progress, SecretFiles secrets) throws Exception {
            Path dir = Workspace.resolve(workspace, stateDir);
            try (AutoCloseable files = ControllerAccess.writeSecretFiles(dir, access.secretFiles())) {
                ConsumersConfig config = ConsumersConfig.parse(access.engineConfig(dir));
                PauseConsumers pause = PauseConsumers.with(config).stateDir(dir).humanGate(HumanGate.refuseAll()).progress(progress)
                        .requestedBy(build);
                PauseState left = PauseState.load(dir);
                if (left == null || left.isResumed() || !adoptExistingPause) {
                    // a pause left behind with adoptExistingPause: false is refused by execute(), naming the state
                    PauseResult paused = pause.execute();
                    return withPausedAtAndBy(paused, paused.requestedAt(), build);
                }
                pause.checkAdoptable(); // other consumers, unverified, half resumed: refused before Kafka is asked
                PauseResult adopted = pause.adopt();
                if (adopted.passed()) {
                    progress.report(adoptedBanner(adopted, build));
                }
                return withPausedAtAndBy(adopted, adopted.adopted().pausedAt(), adopted.adopted().pausedBy());
            }
        }

        private static Map<String, Object> withPausedAtAndBy(PauseResult result, Instant pausedAt, String pausedBy) {
            Map<String, Object> map = StepResults.toMap(result);
            map.put("pausedAt", pausedAt == null ? null : pausedAt.toString());
            map.put("pausedBy", pausedBy);
            return map;
        }

        @Override
        public List<Secret> secrets() {
            return access.secrets();
        }

        @Override
        public String describe() {
            return "Pausing the consumers of " + access.groups() + " through controller '" + access.name() + "' (" + access.type()
                    + "), state in " + stateDir + (adoptExistingPause ? " (a verified pause an earlier build left there is taken over)" : "");
        }
    }

    /** What the build log shows when a pause is taken over: whose pause, since when, and that this build now owns it. */
    static String adoptedBanner(PauseResult adopted, String build) {
        PauseResult.Adoption a = adopted.adopted();
        String line = "=".repeat(100);
        return line + "\n[pauseConsumers] PAUSE TAKEN OVER: the consumers were paused by "
                + (a.pausedBy() == null ? "an earlier build (the state does not say which)" : a.pausedBy()) + " at " + a.pausedAt()
                + " and are STILL PAUSED (verified from Kafka: committed offsets unchanged since that pause's baseline)."
                + "\n[pauseConsumers] " + (build == null ? "This build" : build) + " keeps them paused and resumes them; "
                + "the lag baseline stays the one of " + a.pauseVerifiedAt() + " " + a.baselineLag() + ". State: " + a.stateFile()
                + "\n" + line;
    }

    @Extension
    @Symbol("pauseConsumers")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return CONTEXT;
        }

        @Override
        public String getFunctionName() {
            return "pauseConsumers";
        }

        @Override
        public String getDisplayName() {
            return "Pause a service's Kafka consumers and verify it from Kafka";
        }
    }
}
