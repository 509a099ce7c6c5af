package io.jenkins.plugins.migrationrunbook.database;

import hudson.Extension;
import io.jenkins.plugins.migrationrunbook.agent.AgentTask;
import io.jenkins.plugins.migrationrunbook.steps.NotYetAvailable;
import io.jenkins.plugins.migrationrunbook.steps.RunbookStep;
import io.jenkins.plugins.migrationrunbook.steps.Targets;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** {@code migrationPrecheck(...)}: Pre-checks before a migration: naming, validation, pending list and classification, blockers on the target. */
public class MigrationPrecheckStep extends RunbookStep {

    private String database = "";

    public String getDatabase() {
        return database;
    }

    /** Id of a configured database. */
    @DataBoundSetter
    public void setDatabase(String database) {
        this.database = database == null || database.isBlank() ? "" : database.trim();
    }

    private String locations = "filesystem:db/migration";

    public String getLocations() {
        return locations;
    }

    /** Flyway locations, comma-separated. */
    @DataBoundSetter
    public void setLocations(String locations) {
        this.locations = locations == null || locations.isBlank() ? "filesystem:db/migration" : locations.trim();
    }
    @DataBoundConstructor
    public MigrationPrecheckStep() {
    }

    @Override
    protected String functionName() {
        return "migrationPrecheck";
    }

    @Override
    protected AgentTask<?> task(Targets targets) {
        throw NotYetAvailable.engine("migrationPrecheck", "io.migrationrunbook.precheck");
    }

    @Extension
    @Symbol("migrationPrecheck")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return CONTEXT;
        }

        @Override
        public String getFunctionName() {
            return "migrationPrecheck";
        }

        @Override
        public String getDisplayName() {
            return "Pre-checks before a migration: naming, validation, pending list and classification, blockers on the target";
        }
    }
}
