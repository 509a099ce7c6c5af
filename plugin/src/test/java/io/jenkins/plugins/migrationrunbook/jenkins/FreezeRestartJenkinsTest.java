package io.jenkins.plugins.migrationrunbook.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.FreeStyleProject;
import hudson.model.Result;
import io.jenkins.plugins.migrationrunbook.freeze.FreezeEntry;
import io.jenkins.plugins.migrationrunbook.freeze.FreezeRecord;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.MockFolder;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** withAutoDeployFrozen across a controller restart, and on failure. Real build only. */
class FreezeRestartJenkinsTest {

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void freezeSurvivesARestartAndReEnablesExactlyWhatItDisabled() throws Throwable {
        sessions.then(j -> {
            MockFolder deploy = j.createFolder("deploy");
            deploy.createProject(FreeStyleProject.class, "payments");
            FreeStyleProject off = deploy.createProject(FreeStyleProject.class, "legacy");
            off.makeDisabled(true);
            j.createFreeStyleProject("other");
            WorkflowJob p = j.createProject(WorkflowJob.class, "release");
            p.setDefinition(new CpsFlowDefinition("withAutoDeployFrozen(jobs: ['deploy/*']) { semaphore 'migrate' }", true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("migrate/1", b);
            assertThat(j.jenkins.getItemByFullName("deploy/payments", FreeStyleProject.class).isDisabled()).isTrue();
            assertThat(j.jenkins.getItemByFullName("other", FreeStyleProject.class).isDisabled()).isFalse();
        });
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("release", WorkflowJob.class).getBuildByNumber(1);
            FreezeEntry entry = b.getAction(FreezeRecord.class).getEntries().get(0);
            assertThat(entry.getDisabled()).containsExactly("deploy/payments");
            assertThat(entry.getAlreadyDisabled()).containsExactly("deploy/legacy");
            assertThat(j.jenkins.getItemByFullName("deploy/payments", FreeStyleProject.class).isDisabled()).isTrue();
            SemaphoreStep.success("migrate/1", null);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            assertThat(j.jenkins.getItemByFullName("deploy/payments", FreeStyleProject.class).isDisabled()).isFalse();
            assertThat(j.jenkins.getItemByFullName("deploy/legacy", FreeStyleProject.class).isDisabled()).isTrue();
        });
    }

    @Test
    void failingAndAbortedBodiesStillUnfreeze() throws Throwable {
        sessions.then(j -> {
            FreeStyleProject job = j.createFreeStyleProject("auto-deploy");
            WorkflowJob failing = j.createProject(WorkflowJob.class, "failing");
            failing.setDefinition(new CpsFlowDefinition("withAutoDeployFrozen(jobs: ['auto-deploy']) { error 'migration broke' }", true));
            j.buildAndAssertStatus(Result.FAILURE, failing);
            assertThat(job.isDisabled()).isFalse();

            WorkflowJob aborted = j.createProject(WorkflowJob.class, "aborted");
            aborted.setDefinition(new CpsFlowDefinition("withAutoDeployFrozen(jobs: ['auto-deploy']) { semaphore 'wait' }", true));
            WorkflowRun b = aborted.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("wait/1", b);
            assertThat(job.isDisabled()).isTrue();
            b.doStop();
            j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
            assertThat(job.isDisabled()).isFalse();
        });
    }
}
