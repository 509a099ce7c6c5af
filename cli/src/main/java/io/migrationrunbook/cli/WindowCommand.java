package io.migrationrunbook.cli;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.window.MaintenanceWindow;
import io.migrationrunbook.window.WindowGate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code runbook window}: is the maintenance window open, and does the estimated run fit in what is left of it. */
@Command(name = "window", description = "Check (or wait for) the maintenance window; fail if the run would overrun it.")
public class WindowCommand extends EngineCommand {

    @Option(names = "--days", required = true, description = "Mon-Fri, Sat,Sun or daily")
    String days;

    @Option(names = "--from", required = true, description = "Opening time HH:MM")
    String from;

    @Option(names = "--to", required = true, description = "Closing time HH:MM (earlier than --from: the next day)")
    String to;

    @Option(names = "--zone", defaultValue = "UTC", description = "IANA time zone (default ${DEFAULT-VALUE})")
    String zone;

    @Option(names = "--estimate", defaultValue = "0s", description = "Estimated duration of the run (from rehearsal or earlier runs)")
    Duration estimate;

    @Option(names = "--wait-up-to", defaultValue = "0s", description = "Wait at most this long for the window to open (default: do not wait)")
    Duration waitUpTo;

    @Override
    protected Outcome run(Progress progress) {
        MaintenanceWindow window = MaintenanceWindow.parse(days, from, to, zone);
        MaintenanceWindow.WindowCheck check = WindowGate.system().await(window, estimate, waitUpTo, progress);
        return Outcome.passed(check, check.message());
    }
}
