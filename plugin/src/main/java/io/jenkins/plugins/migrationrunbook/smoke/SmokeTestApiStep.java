package io.jenkins.plugins.migrationrunbook.smoke;

import io.jenkins.plugins.migrationrunbook.agent.Workspace;
import hudson.Extension;
import io.jenkins.plugins.migrationrunbook.agent.AgentTask;
import io.jenkins.plugins.migrationrunbook.agent.SecretFiles;
import io.jenkins.plugins.migrationrunbook.config.ApiTarget;
import io.jenkins.plugins.migrationrunbook.steps.RunbookStep;
import io.jenkins.plugins.migrationrunbook.steps.Targets;
import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.smoke.SmokeFile;
import io.migrationrunbook.smoke.SmokeResult;
import io.migrationrunbook.smoke.SmokeSettings;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code smokeTestApi(api: 'payments', checks: 'smoke/checks.yaml')}: runs the HTTP checks of a checks file (docs of
 * {@code runbook smoke}) against the configured API target's base URL, every request carrying a correlation id
 * ({@code X-Correlation-ID: TEST:<uuid>}), with the target's credentials. Fails when a check fails, quoting its id.
 */
public class SmokeTestApiStep extends RunbookStep {

    private String api = "";
    private String checks = "";

    @DataBoundConstructor
    public SmokeTestApiStep() {
    }

    public String getApi() {
        return api;
    }

    /** Id of a configured API target. */
    @DataBoundSetter
    public void setApi(String api) {
        this.api = api == null ? "" : api.trim();
    }

    public String getChecks() {
        return checks;
    }

    /** Checks file (YAML) in the workspace. */
    @DataBoundSetter
    public void setChecks(String checks) {
        this.checks = checks == null ? "" : checks.trim();
    }

    @Override
    protected String functionName() {
        return "smokeTestApi";
    }

    @Override
    protected SmokeTask task(Targets targets) {
        if (api.isEmpty()) {
            throw RunbookException.configuration("No API target given: pass api: 'ID', one of the API targets configured under "
                    + "Manage Jenkins > System > Migration Runbook.");
        }
        if (checks.isEmpty()) {
            throw RunbookException.configuration("No checks file given: pass checks: 'smoke/checks.yaml' (format of runbook smoke).");
        }
        ApiTarget target = targets.configuration().apiTarget(api);
        String user = null;
        Secret password = null;
        Secret token = null;
        if (!target.getCredentialsId().isEmpty()) {
            try {
                Targets.Login login = targets.usernamePassword(target.getCredentialsId());
                user = login.user();
                password = login.password();
            } catch (RunbookException notUsernamePassword) {
                token = targets.secretText(target.getCredentialsId());
            }
        }
        return new SmokeTask(target.getBaseUrl(), checks, user, password, token);
    }

    /** The smoke checks, as sent to the agent. */
    public static final class SmokeTask extends AgentTask<SmokeResult> {
        private static final long serialVersionUID = 1L;
        final String baseUrl;
        final String checks;
        final String user;
        final Secret password;
        final Secret token;

        SmokeTask(String baseUrl, String checks, String user, Secret password, Secret token) {
            this.baseUrl = baseUrl;
            this.checks = checks;
            this.user = user;
            this.password = password;
            this.token = token;
        }

        /** The engine settings: the checks file from the workspace, base URL and credentials from the configuration. */
        public SmokeSettings settings(File workspace, Progress progress) {
            SmokeSettings settings = SmokeFile.load(Workspace.resolve(workspace, checks)).toSettings().progress(progress)
                    .baseUrl(baseUrl);
            if (token != null) {
                settings.basicAuth(null, null).bearerToken(token);
            } else if (user != null) {
                settings.bearerToken(null).basicAuth(user, password);
            }
            return settings;
        }

        @Override
        public SmokeResult run(File workspace, Progress progress, SecretFiles secrets) {
            return settings(workspace, progress).run();
        }

        /** Names the failed checks with their correlation ids, so the service's logs can be searched for them. */
        @Override
        public String failureOf(Map<String, Object> result) {
            if (!Boolean.FALSE.equals(result.get("passed"))) {
                return null;
            }
            List<String> failed = new ArrayList<>();
            if (result.get("checks") instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> check && Boolean.FALSE.equals(check.get("passed"))) {
                        failed.add("'" + check.get("name") + "' (correlation id " + check.get("correlationId") + "): "
                                + check.get("failures"));
                    }
                }
            }
            return failed.size() + " smoke check(s) failed: " + String.join("; ", failed);
        }

        @Override
        public List<Secret> secrets() {
            List<Secret> out = new ArrayList<>();
            out.add(password);
            out.add(token);
            return out;
        }

        @Override
        public String describe() {
            return "Smoke-testing " + baseUrl + " with " + checks;
        }
    }

    @Extension
    @Symbol("smokeTestApi")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return CONTEXT;
        }

        @Override
        public String getFunctionName() {
            return "smokeTestApi";
        }

        @Override
        public String getDisplayName() {
            return "Smoke-test an API after the migration, with correlation ids";
        }
    }
}
