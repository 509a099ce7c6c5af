package io.migrationrunbook.window;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Checks the maintenance window before a run and, when asked, waits for it to open. */
public final class WindowGate {

    /** How a gate waits: real sleeping in production, instant in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Clock clock;
    private final Sleeper sleeper;

    public WindowGate(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public static WindowGate system() {
        return new WindowGate(Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
    }

    /**
     * Returns the check once the window is open and the estimate fits. With {@code maxWait} zero a closed window
     * fails at once; otherwise waits (reporting progress) until it opens, at most {@code maxWait}.
     */
    public MaintenanceWindow.WindowCheck await(MaintenanceWindow window, Duration estimated, Duration maxWait, Progress progress) {
        Instant deadline = clock.instant().plus(maxWait);
        while (true) {
            Instant now = clock.instant();
            MaintenanceWindow.WindowCheck check = window.check(now, estimated);
            if (check.passed()) {
                return check;
            }
            if (check.open()) {
                throw RunbookException.checkFailed(check.message());
            }
            if (!check.opensAt().isAfter(deadline) && maxWait.compareTo(Duration.ZERO) > 0) {
                Duration wait = Duration.between(now, check.opensAt());
                progress.report("Waiting %s for the maintenance window (%s) to open at %s ...", io.migrationrunbook.core.Progress.format(wait),
                        window, check.opensAt().atZone(window.zone()));
                try {
                    sleeper.sleep(wait.plusMillis(1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw RunbookException.checkFailed("Interrupted while waiting for the maintenance window.");
                }
                continue;
            }
            throw RunbookException.checkFailed(check.message()
                    + (maxWait.isZero() ? " Pass a maximum wait to wait for it." : " That is later than the maximum wait."));
        }
    }
}
