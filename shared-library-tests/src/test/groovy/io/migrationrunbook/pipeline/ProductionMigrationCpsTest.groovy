package io.migrationrunbook.pipeline

/** The same runs CPS-interpreted, the program state serialized at every step as Jenkins does. */
class ProductionMigrationCpsTest extends ProductionMigrationTest {
    @Override
    boolean cps() {
        true
    }
}
