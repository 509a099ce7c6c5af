package io.jenkins.plugins.migrationrunbook.config;

import hudson.model.Describable;
import hudson.model.Descriptor;
import jenkins.model.Jenkins;

/** One entry of the global configuration (a database, a cluster, ...): a describable with its own descriptor. */
public abstract class ConfigItem<T extends ConfigItem<T>> implements Describable<T> {

    /** The id pipelines use to refer to this entry ({@code database: 'prod'}). */
    public abstract String getId();

    @Override
    @SuppressWarnings("unchecked")
    public Descriptor<T> getDescriptor() {
        return Jenkins.get().getDescriptorOrDie(getClass());
    }

    static String trimToEmpty(String value) {
        return value == null ? "" : value.trim();
    }
}
