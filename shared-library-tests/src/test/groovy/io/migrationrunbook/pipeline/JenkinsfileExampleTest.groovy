package io.migrationrunbook.pipeline

import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.Phases
import org.junit.jupiter.api.Test

import static org.assertj.core.api.Assertions.assertThat

/** Jenkinsfile.example is valid Groovy and uses the var and, in one stage, the plugin's steps directly. */
class JenkinsfileExampleTest {

    @Test
    void theExampleParsesAndUsesTheVarAndTheSteps() {
        File example = new File(ProjectRootLibrary.locate(), 'Jenkinsfile.example')
        CompilationUnit unit = new CompilationUnit()
        unit.addSource(example)
        unit.compile(Phases.CONVERSION) // syntax; the pipeline DSL itself only exists in Jenkins

        String text = example.text
        assertThat(text).contains("@Library('migration-runbook') _").contains('agent none').contains('productionMigration(')
        ['migrationPrecheck(', 'dbBackup(', 'withConsumersPaused(', 'flywayMigrate(', 'verifySchema(', 'smokeTestApi(',
         'checkConsumerLag('].each { assertThat(text).contains(it) }
        // every productionMigration key it uses is one the var accepts
        String call = text.substring(text.indexOf('productionMigration('))
        GroovyClassLoader library = new GroovyClassLoader(getClass().classLoader)
        library.addClasspath(new File(ProjectRootLibrary.locate(), 'src').path)
        List<String> known = library.loadClass('io.migrationrunbook.pipeline.RunbookSettings').KEYS
        List<String> used = (call =~ /(?m)^\s+([a-zA-Z]+):/).collect { it[1] as String }
        assertThat(used).contains('databases', 'parallelism', 'approval', 'freezeJobs', 'deployJob')
        used.each { key ->
            assertThat(known + ['submitters', 'approvals', 'timeoutMinutes', 'locations', 'expect', 'controller',
                                               'api', 'checks']).contains(key)
        }
    }
}
