package io.migrationrunbook.pipeline

/** The same cases, CPS-interpreted with the program state serialized at every step. */
class MigrationApprovalCpsTest extends MigrationApprovalTest {
    @Override
    boolean cps() {
        true
    }
}
