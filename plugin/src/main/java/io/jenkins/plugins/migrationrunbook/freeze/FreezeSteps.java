package io.jenkins.plugins.migrationrunbook.freeze;

import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.migrationrunbook.config.MigrationRunbookConfiguration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;

/** What the three freeze steps share: the run's record, the controller's holds, the patterns from jobs and a preset. */
final class FreezeSteps {
    private FreezeSteps() {
    }

    static FreezeRecord record(Run<?, ?> run) {
        synchronized (run) {
            FreezeRecord record = run.getAction(FreezeRecord.class);
            if (record == null) {
                record = new FreezeRecord();
                run.addAction(record);
            }
            return record;
        }
    }

    static Freezer freezer(Run<?, ?> run, TaskListener listener) {
        return new Freezer(new JenkinsJobs(), record(run), run::save, listener.getLogger(), registry(), run.getExternalizableId());
    }

    /** The controller's registry of freeze holds: a file in the Jenkins root directory, like Jenkins' own settings. */
    static FreezeHolds.Registry registry() {
        Path file = Jenkins.get().getRootDir().toPath().resolve(FreezeHolds.FILE_NAME);
        return new FreezeHolds.Registry(file, JenkinsJobs::isBuilding);
    }

    /** The step's own list, plus the preset's jobs when a preset is named. */
    static List<String> patterns(List<String> jobs, String preset) {
        List<String> out = new ArrayList<>(jobs == null ? List.of() : jobs);
        if (preset != null && !preset.isBlank()) {
            out.addAll(MigrationRunbookConfiguration.get().freezePreset(preset).getJobList());
        }
        return out;
    }
}
