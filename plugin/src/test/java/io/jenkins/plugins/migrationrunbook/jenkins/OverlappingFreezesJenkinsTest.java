package io.jenkins.plugins.migrationrunbook.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.FreeStyleProject;
import io.jenkins.plugins.migrationrunbook.freeze.FreezeHolds;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Two builds freezing the same auto-deploy job at once. Runs only in the real build (mvn -Pjenkins -pl plugin -am verify). */
@WithJenkins
class OverlappingFreezesJenkinsTest {

    private static WorkflowJob pipeline(JenkinsRule j, String name, String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    @Test
    void aJobFrozenByTwoBuildsIsReEnabledOnlyWhenTheLastOneEnds(JenkinsRule j) throws Exception {
        FreeStyleProject deploy = j.createFreeStyleProject("auto-deploy");
        FreeStyleProject manual = j.createFreeStyleProject("manual-deploy");
        manual.makeDisabled(true); // disabled by a human before any freeze
        WorkflowJob a = pipeline(j, "release-a", "withAutoDeployFrozen(jobs: ['auto-deploy', 'manual-deploy']) { semaphore 'a' }");
        WorkflowJob b = pipeline(j, "release-b", "withAutoDeployFrozen(jobs: ['auto-deploy', 'manual-deploy']) { semaphore 'b' }");

        WorkflowRun ra = a.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("a/1", ra);
        assertThat(deploy.isDisabled()).isTrue();
        WorkflowRun rb = b.scheduleBuild2(0).waitForStart();
        SemaphoreStep.waitForStart("b/1", rb);
        j.assertLogContains("auto-deploy is already frozen by [release-a#1 (freeze-1)]: held jointly", rb);

        // A ends first: B's migration is still running, so auto-deploy must stay frozen
        SemaphoreStep.success("a/1", null);
        j.assertBuildStatusSuccess(j.waitForCompletion(ra));
        j.assertLogContains("auto-deploy stays disabled: still frozen by [release-b#1 (freeze-1)]", ra);
        assertThat(deploy.isDisabled()).isTrue();

        SemaphoreStep.success("b/1", null);
        j.assertBuildStatusSuccess(j.waitForCompletion(rb));
        j.assertLogContains("Re-enabled auto-deploy", rb);
        assertThat(deploy.isDisabled()).isFalse();
        assertThat(manual.isDisabled()).as("disabled before any freeze").isTrue();
        assertThat(FreezeHolds.read(j.jenkins.getRootDir().toPath().resolve(FreezeHolds.FILE_NAME)).jobs()).isEmpty();
    }

    @Test
    void aFreezeLeftBehindByAFinishedBuildIsTakenOverAndReEnabledByTheNextFreeze(JenkinsRule j) throws Exception {
        FreeStyleProject deploy = j.createFreeStyleProject("auto-deploy");
        // freezes and never unfreezes (no post { always { unfreezeAutoDeploy() } })
        j.buildAndAssertSuccess(pipeline(j, "forgetful", "freezeAutoDeploy(jobs: ['auto-deploy'])"));
        assertThat(deploy.isDisabled()).isTrue();

        WorkflowRun r = j.buildAndAssertSuccess(pipeline(j, "release", "withAutoDeployFrozen(jobs: ['auto-deploy']) { echo 'migrating' }"));

        j.assertLogContains("Dropped the stale hold of forgetful#1 (freeze-1) on auto-deploy", r);
        j.assertLogContains("this freeze takes it over", r);
        assertThat(deploy.isDisabled()).isFalse();
    }
}
