package io.jenkins.plugins.migrationrunbook.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.jenkins.plugins.migrationrunbook.config.ConsumerController;
import io.jenkins.plugins.migrationrunbook.config.KafkaCluster;
import io.jenkins.plugins.migrationrunbook.config.MigrationRunbookConfiguration;
import io.jenkins.plugins.migrationrunbook.consumers.ConsumersLeftPausedAction;
import io.migrationrunbook.demo.DemoConfig;
import io.migrationrunbook.demo.DemoService;
import io.migrationrunbook.embedded.KafkaBroker;
import io.migrationrunbook.embedded.KafkaExtension;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** withConsumersPaused in a real pipeline against the demo service and a real Kafka broker. Real build only. */
@WithJenkins
@ExtendWith({PostgresExtension.class, KafkaExtension.class})
class WithConsumersPausedJenkinsTest {

    @Test
    void aFailedBlockLeavesConsumersPausedAndSaysHowToResumeAndTheRerunTakesThePauseOver(JenkinsRule j, TestDatabase db, KafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        String stateDir = dir.resolve("state").toString();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String group = "persistence-service-" + suffix;
        try (DemoService service = DemoService.start(new DemoConfig().database(db.jdbcUrl(), db.user(), db.password())
                .kafka(kafka.bootstrapServers()).topic("transactions-" + suffix).groupId(group).retryBackoff(Duration.ofMillis(100)))) {
            MigrationRunbookConfiguration config = MigrationRunbookConfiguration.get();
            config.setKafkaClusters(List.of(new KafkaCluster("main", kafka.bootstrapServers())));
            ConsumerController c = new ConsumerController("persistence", "http");
            c.setCluster("main");
            c.setGroups(group);
            String control = service.baseUrl() + "/ops/control";
            c.setPauseUrl(control);
            c.setPauseBody("{\"mode\":\"paused\"}");
            c.setResumeUrl(control);
            c.setResumeBody("{\"mode\":\"normal\"}");
            c.setStatusUrl(control);
            c.setStatusPointer("/effective");
            config.setConsumerControllers(List.of(c));
            Thread.sleep(1500); // the group joins

            WorkflowJob p = j.createProject(WorkflowJob.class, "release");
            p.setDefinition(new CpsFlowDefinition("""
                    node {
                      withConsumersPaused(controller: 'persistence', stateDir: '%s') {
                        echo 'migrating'
                        error 'migration broke'
                      }
                    }
                    """.formatted(stateDir), true));
            WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
            j.assertLogContains("CONSUMERS OF 'persistence' ARE STILL PAUSED", b);
            j.assertLogContains("resumeConsumers(controller: 'persistence', stateDir: '" + stateDir + "')", b);
            assertThat(b.getAction(ConsumersLeftPausedAction.class)).isNotNull();
            assertThat(service.control().effective()).isEqualTo("paused");

            WorkflowJob r = j.createProject(WorkflowJob.class, "resume");
            r.setDefinition(new CpsFlowDefinition("node { def res = resumeConsumers(controller: 'persistence', stateDir: '" + stateDir
                    + "'); echo \"resumed ${res.passed}\" }", true));
            j.assertLogContains("resumed true", j.buildAndAssertSuccess(r));
            assertThat(service.control().effective()).isEqualTo("normal");

            // the forward-fix loop: a failed build leaves the pause, the rerun after the fix takes it over and resumes
            p.setDefinition(new CpsFlowDefinition("""
                    node {
                      withConsumersPaused(controller: 'persistence', stateDir: '%s') {
                        error 'migration broke'
                      }
                    }
                    """.formatted(stateDir), true));
            WorkflowRun failed = j.buildAndAssertStatus(Result.FAILURE, p);
            j.assertLogContains("Fix the migration and rerun this pipeline: the rerun takes over the pause", failed);
            assertThat(service.control().effective()).isEqualTo("paused");
            p.setDefinition(new CpsFlowDefinition("""
                    node {
                      withConsumersPaused(controller: 'persistence', stateDir: '%s') {
                        echo 'migrating the fix'
                      }
                    }
                    """.formatted(stateDir), true));
            WorkflowRun rerun = j.buildAndAssertSuccess(p);
            j.assertLogContains("PAUSE TAKEN OVER: the consumers were paused by " + failed.getFullDisplayName() + " ("
                    + failed.getExternalizableId() + ")", rerun);
            assertThat(service.control().effective()).isEqualTo("normal");

            p.setDefinition(new CpsFlowDefinition(
                    "node { withConsumersPaused(controller: 'persistence', resumeOnFailure: true) { error 'broke again' } }", true));
            j.buildAndAssertStatus(Result.FAILURE, p);
            assertThat(service.control().effective()).isEqualTo("normal");
        }
    }
}
