package io.migrationrunbook.pipeline

/** The fleet runs CPS-interpreted, the program state serialized at every step. */
class FleetCpsTest extends FleetTest {
    @Override
    boolean cps() {
        true
    }
}
