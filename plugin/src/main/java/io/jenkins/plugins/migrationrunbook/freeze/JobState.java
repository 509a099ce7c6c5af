package io.jenkins.plugins.migrationrunbook.freeze;

/**
 * What the freeze needs to know about one job, read from Jenkins before deciding anything.
 *
 * @param fullName      the job's full name ({@code folder/job})
 * @param disabled      whether it is disabled now
 * @param canBeDisabled whether the job type supports being disabled
 * @param canConfigure  whether the build's authentication has Item.CONFIGURE on it
 */
public record JobState(String fullName, boolean disabled, boolean canBeDisabled, boolean canConfigure) {
}
