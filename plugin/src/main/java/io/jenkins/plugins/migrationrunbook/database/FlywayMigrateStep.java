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

/** {@code flywayMigrate(...)}: Apply pending Flyway migrations, forward-only, under lock and statement timeouts. */
public class FlywayMigrateStep extends RunbookStep {

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
    public FlywayMigrateStep() {
    }

    @Override
    protected String functionName() {
        return "flywayMigrate";
    }

    @Override
    protected AgentTask<?> task(Targets targets) {
        throw NotYetAvailable.engine("flywayMigrate", "io.migrationrunbook.migrate");
    }

    @Extension
    @Symbol("flywayMigrate")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return CONTEXT;
        }

        @Override
        public String getFunctionName() {
            return "flywayMigrate";
        }

        @Override
        public String getDisplayName() {
            return "Apply pending Flyway migrations, forward-only, under lock and statement timeouts";
        }
    }
}
