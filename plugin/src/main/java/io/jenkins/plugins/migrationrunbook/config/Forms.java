package io.jenkins.plugins.migrationrunbook.config;

import hudson.util.FormValidation;

/** Turns a {@link Validation} message into a form validation result. */
final class Forms {
    private Forms() {
    }

    static FormValidation check(String problem) {
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }
}
