package io.migrationrunbook.dberrors;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.db.DatabaseTarget;
import io.migrationrunbook.embedded.PostgresExtension;
import io.migrationrunbook.embedded.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class ErrorRateTest {

    @Test
    void aRateRisesOnlyBeyondTheFactorAndTheAbsoluteFloor() {
        Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
        ErrorRates before = ErrorRates.between(new StatCounters(t0, 0, 0, 0, 0, 0), new StatCounters(t0.plusSeconds(10), 100, 10, 0, 0, 0));
        ErrorRates same = ErrorRates.between(new StatCounters(t0, 0, 0, 0, 0, 0), new StatCounters(t0.plusSeconds(10), 100, 12, 0, 0, 0));
        ErrorRates worse = ErrorRates.between(new StatCounters(t0, 0, 0, 0, 0, 0), new StatCounters(t0.plusSeconds(10), 100, 50, 1, 0, 0));
        assertThat(before.rollbacksPerSecond()).isEqualTo(1.0);

        assertThat(ErrorRateComparison.compare(before, same, 2.0, 0.1).passed()).isTrue();
        ErrorRateComparison rose = ErrorRateComparison.compare(before, worse, 2.0, 0.2);
        assertThat(rose.passed()).isFalse();
        assertThat(rose.counters()).filteredOn(ErrorRateComparison.Counter::rose).extracting(ErrorRateComparison.Counter::name)
                .containsExactly("rollbacks");  // 0.1 deadlocks/s stays under the 0.2/s floor
        assertThat(rose.summary()).contains("ROSE").contains("rollbacks");
    }

    @Test
    void measuresRealRollbacksFromPgStatDatabase(TestDatabase db) throws Exception {
        DatabaseTarget target = new DatabaseTarget(db.jdbcUrl(), db.user(), null);
        ErrorRateSampler sampler = new ErrorRateSampler(Clock.systemUTC());
        ErrorRates quiet = sampler.measure(target, Duration.ofMillis(1200), Progress.silent());

        AtomicBoolean stop = new AtomicBoolean();
        Thread failing = new Thread(() -> {
            try (Connection c = db.connect()) {
                c.setAutoCommit(false);
                while (!stop.get()) {
                    try (Statement s = c.createStatement()) {
                        s.execute("SELECT 1/0");
                    } catch (Exception expected) {
                        c.rollback();
                    }
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        failing.start();
        ErrorRates noisy;
        try {
            noisy = sampler.measure(target, Duration.ofMillis(1200), Progress.silent());
        } finally {
            stop.set(true);
            failing.join();
        }
        assertThat(noisy.rollbacksPerSecond()).isGreaterThan(quiet.rollbacksPerSecond() + 10);
        assertThat(ErrorRateComparison.compare(quiet, noisy, 2.0, 1.0).passed()).isFalse();
    }
}
