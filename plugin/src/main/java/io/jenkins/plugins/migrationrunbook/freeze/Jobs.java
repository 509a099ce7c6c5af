package io.jenkins.plugins.migrationrunbook.freeze;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The jobs a freeze acts on, as seen by the build. Jenkins-free so the freeze is tested offline. */
public interface Jobs {

    /** Every job the build can see. */
    List<JobState> all();

    /** The current state of the named jobs; absent names are gone (deleted, renamed, or no longer visible). */
    Map<String, JobState> current(Collection<String> fullNames);

    void setDisabled(String fullName, boolean disabled) throws IOException;
}
