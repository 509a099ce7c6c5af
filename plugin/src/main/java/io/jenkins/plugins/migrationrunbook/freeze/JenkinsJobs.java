package io.jenkins.plugins.migrationrunbook.freeze;

import hudson.model.Item;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.migrationrunbook.core.RunbookException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import jenkins.model.ParameterizedJobMixIn;

/**
 * The controller's buildable jobs, as visible to the current thread's authentication (a step's background thread
 * runs as the build's authentication). {@code makeDisabled} checks no permission itself, so Item.CONFIGURE is
 * checked here.
 */
public final class JenkinsJobs implements Jobs {

    @Override
    public List<JobState> all() {
        List<JobState> out = new ArrayList<>();
        for (Item item : Jenkins.get().getAllItems(Item.class)) {
            if (item instanceof ParameterizedJobMixIn.ParameterizedJob<?, ?> job) {
                out.add(state(item, job));
            }
        }
        return out;
    }

    @Override
    public Map<String, JobState> current(Collection<String> fullNames) {
        Map<String, JobState> out = new LinkedHashMap<>();
        for (String name : fullNames) {
            Item item = Jenkins.get().getItemByFullName(name, Item.class);
            if (item instanceof ParameterizedJobMixIn.ParameterizedJob<?, ?> job) {
                out.put(name, state(item, job));
            }
        }
        return out;
    }

    @Override
    public void setDisabled(String fullName, boolean disabled) throws IOException {
        Item item = Jenkins.get().getItemByFullName(fullName, Item.class);
        if (!(item instanceof ParameterizedJobMixIn.ParameterizedJob<?, ?> job)) {
            throw RunbookException.environment("Job '" + fullName + "' no longer exists or is not visible to this build.");
        }
        item.checkPermission(Item.CONFIGURE);
        job.makeDisabled(disabled);
    }

    /**
     * Whether the run with this externalizable id exists and is still building: a freeze hold of a finished or
     * deleted run is stale. Looked up as SYSTEM: a run the build cannot see may well hold a freeze.
     */
    public static boolean isBuilding(String externalizableId) {
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            Run<?, ?> run = Run.fromExternalizableId(externalizableId);
            return run != null && run.isBuilding();
        } catch (IllegalArgumentException e) {
            return false; // not a run id at all: nothing that could still release the hold
        }
    }

    private static JobState state(Item item, ParameterizedJobMixIn.ParameterizedJob<?, ?> job) {
        return new JobState(item.getFullName(), job.isDisabled(), job.supportsMakeDisabled(), item.hasPermission(Item.CONFIGURE));
    }
}
