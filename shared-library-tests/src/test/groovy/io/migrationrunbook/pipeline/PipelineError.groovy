package io.migrationrunbook.pipeline

/** What the registered `error` step throws (JenkinsPipelineUnit 1.1's own error step does not throw). */
class PipelineError extends RuntimeException {
    PipelineError(String message) {
        super(message)
    }
}
