package io.jenkins.plugins.migrationrunbook.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.support.steps.input.ApproverAction;
import org.jenkinsci.plugins.workflow.support.steps.input.InputAction;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** An approval gate before a plugin step, approved by a named submitter over the web. Real build only. */
@WithJenkins
class InputGateJenkinsTest {

    @Test
    void approvedGateLetsTheFreezeRunAndRecordsTheApprover(JenkinsRule j) throws Exception {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(jenkins.model.Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(jenkins.model.Jenkins.READ, hudson.model.Item.READ, hudson.model.Item.BUILD).everywhere().to("alice"));
        hudson.model.FreeStyleProject deploy = j.createFreeStyleProject("auto-deploy");
        WorkflowJob p = j.createProject(WorkflowJob.class, "release");
        p.setDefinition(new CpsFlowDefinition("""
                input(message: 'Approve migration?', id: 'Approve', submitter: 'alice')
                def f = freezeAutoDeploy(jobs: ['auto-deploy'])
                echo "frozen ${f.disabled}"
                unfreezeAutoDeploy()
                """, true));

        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("Approve migration?", b);
        InputAction action = b.getAction(InputAction.class);
        while (action == null || action.getExecutions().isEmpty()) {
            Thread.sleep(100);
            action = b.getAction(InputAction.class);
        }
        JenkinsRule.WebClient wc = j.createWebClient().login("alice");
        WebRequest approve = new WebRequest(new URL(j.getURL(), b.getUrl() + "input/Approve/proceedEmpty"), HttpMethod.POST);
        wc.addCrumb(approve);
        wc.getPage(approve);

        j.assertBuildStatusSuccess(j.waitForCompletion(b));
        j.assertLogContains("frozen [auto-deploy]", b);
        assertThat(b.getAction(ApproverAction.class).getUserId()).isEqualTo("alice");
        assertThat(deploy.isDisabled()).isFalse();
    }
}
