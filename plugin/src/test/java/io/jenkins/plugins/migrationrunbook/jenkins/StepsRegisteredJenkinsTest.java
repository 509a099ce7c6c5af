package io.jenkins.plugins.migrationrunbook.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.ExtensionList;
import io.jenkins.plugins.migrationrunbook.MigrationRunbookPlugin;
import io.jenkins.plugins.migrationrunbook.config.MigrationRunbookConfiguration;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Runs only in the real build (mvn -Pjenkins -pl plugin -am verify). */
@WithJenkins
class StepsRegisteredJenkinsTest {

    @Test
    void everyStepIsRegisteredUnderItsName(JenkinsRule j) {
        for (String name : MigrationRunbookPlugin.STEP_NAMES) {
            StepDescriptor d = StepDescriptor.byFunctionName(name);
            assertThat(d).as(name).isNotNull();
            assertThat(d.getClass().getName()).startsWith("io.jenkins.plugins.migrationrunbook.");
        }
        assertThat(StepDescriptor.byFunctionName("withConsumersPaused").takesImplicitBlockArgument()).isTrue();
        assertThat(StepDescriptor.byFunctionName("withAutoDeployFrozen").takesImplicitBlockArgument()).isTrue();
        assertThat(ExtensionList.lookupSingleton(MigrationRunbookConfiguration.class)).isNotNull();
    }

    @Test
    void aStepRefusesAnUnknownDatabaseWithoutAStackTrace(JenkinsRule j) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("node { dbBackup(database: 'nope') }", true));
        WorkflowRun b = j.buildAndAssertStatus(hudson.model.Result.FAILURE, p);
        j.assertLogContains("[dbBackup] configuration error: Unknown database 'nope'", b);
        j.assertLogNotContains("\tat io.jenkins.plugins", b);
    }
}
