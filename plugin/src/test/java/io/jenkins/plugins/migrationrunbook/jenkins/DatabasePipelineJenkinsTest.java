package io.jenkins.plugins.migrationrunbook.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import io.jenkins.plugins.migrationrunbook.config.Database;
import io.jenkins.plugins.migrationrunbook.config.MigrationRunbookConfiguration;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** dbBackup + flywayMigrate + verifySchema in a real pipeline against a real (embedded) PostgreSQL. Real build only. */
@WithJenkins
@ExtendWith(PostgresExtension.class)
class DatabasePipelineJenkinsTest {

    static final String PASSWORD_STAND_IN = "pw-never-in-the-log-42";

    @Test
    void backupMigrateVerify(JenkinsRule j, TestDatabase db) throws Exception {
        String password = db.password() == null ? PASSWORD_STAND_IN : db.password();
        CredentialsProvider.lookupStores(j.jenkins).iterator().next().addCredentials(Domain.global(),
                new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "prod-db", "", db.user(), password));
        Database prod = new Database("prod", db.jdbcUrl());
        prod.setCredentialsId("prod-db");
        MigrationRunbookConfiguration.get().setDatabases(List.of(prod));

        WorkflowJob p = j.createProject(WorkflowJob.class, "release");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  writeFile file: 'db/migration/V1__create_orders.sql', text: 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);'
                  writeFile file: 'db/migration/V2__add_currency.sql', text: 'ALTER TABLE orders ADD COLUMN currency text;'
                  def backup = dbBackup(database: 'prod')
                  echo "backup verified=${backup.verified} sha256=${backup.sha256}"
                  def m = flywayMigrate(database: 'prod')
                  echo "migrated to ${m.finalVersion}, applied ${m.migrationsApplied}"
                  def v = verifySchema(database: 'prod', flywayVersion: '2')
                  echo "verify passed=${v.passed}"
                }
                """, true));
        WorkflowRun b = j.buildAndAssertSuccess(p);

        j.assertLogContains("backup verified=true", b);
        j.assertLogContains("migrated to 2, applied 2", b);
        j.assertLogContains("verify passed=true", b);
        j.assertLogNotContains(password, b);
        assertThat(db.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'currency'"))
                .isEqualTo(1);
    }
}
