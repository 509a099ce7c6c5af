package io.migrationrunbook.pipeline

import com.fasterxml.jackson.databind.ObjectMapper
import com.networknt.schema.SchemaRegistry
import com.networknt.schema.SpecificationVersion
import org.junit.jupiter.api.Test

import static org.assertj.core.api.Assertions.assertThat

/** The shared library's run report has the shape of the engine's report (report.schema.json), so one reader fits both. */
class ReportSchemaTest {

    static List validate(String json) {
        File schemaFile = new File(System.getProperty('report.schema',
                new File(ProjectRootLibrary.locate(), 'engine/src/main/resources/io/migrationrunbook/report/report.schema.json').path))
        def schema = schemaFile.withInputStream { SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(it) }
        return schema.validate(new ObjectMapper().readTree(json)) as List
    }

    @Test
    void aSuccessfulRunsReportMatchesTheSchema() {
        Pipeline p = Pipeline.fresh(false)
        p.build.startedBy('alice')
        p.answers.addAll(['bob', 'carol'])
        p.run('releaseRunbook', [runbookConfig: ProductionMigrationTest.config(), useChecks: true])

        assertThat(validate(p.files['migration-report.json'])).isEmpty()
    }

    @Test
    void aFailedRunsReportMatchesTheSchemaToo() {
        Pipeline p = Pipeline.fresh(false)
        p.build.startedBy('alice')
        p.stepResults.flywayMigrate = new IllegalStateException('V7 failed')
        p.answers.addAll(['bob', 'carol', [action: 'restore', decidedBy: 'dave']])
        p.runFailing('releaseRunbook', [runbookConfig: ProductionMigrationTest.config(), useChecks: true])

        assertThat(validate(p.files['migration-report.json'])).isEmpty()
        assertThat(p.json('migration-report.json').status).isEqualTo('FAILED')
    }
}
