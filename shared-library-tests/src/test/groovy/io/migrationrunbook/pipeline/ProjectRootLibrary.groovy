package io.migrationrunbook.pipeline

import com.lesfurets.jenkins.unit.global.lib.SourceRetriever

/** Serves the repository root (vars/, src/, resources/) as the shared library under test, whatever the version asked. */
class ProjectRootLibrary implements SourceRetriever {
    final File root

    ProjectRootLibrary(File root) {
        this.root = root
    }

    static File locate() {
        String configured = System.getProperty('library.root')
        File dir = configured ? new File(configured) : new File('..')
        dir = dir.canonicalFile
        if (!new File(dir, 'vars/productionMigration.groovy').exists() && !new File(dir, 'vars/migrationApproval.groovy').exists()) {
            throw new IllegalStateException("No shared library (vars/) under ${dir}: set -Dlibrary.root to the repository root")
        }
        return dir
    }

    @Override
    List<URL> retrieve(String repository, String branch, String targetPath) {
        return [root.toURI().toURL()]
    }
}
