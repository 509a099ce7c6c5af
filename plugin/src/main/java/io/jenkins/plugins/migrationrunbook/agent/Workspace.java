package io.jenkins.plugins.migrationrunbook.agent;

import java.io.File;
import java.nio.file.Path;

/** Paths as pipelines give them: absolute, or relative to the workspace on the agent. */
public final class Workspace {
    private Workspace() {
    }

    public static Path resolve(File workspace, String path) {
        Path p = Path.of(path);
        return p.isAbsolute() ? p : workspace.toPath().resolve(p).normalize();
    }
}
