package io.migrationrunbook.pipeline

/**
 * Stands in for the pipeline's currentBuild (RunWrapper). Serializable because the CPS tests serialize the
 * script's binding at every step, as Jenkins does.
 */
class FakeBuild implements Serializable {
    String result = null
    String currentResult = 'SUCCESS'
    int number = 42
    String displayName = '#42'
    String description = null
    String absoluteUrl = 'https://jenkins.example/job/release/42/'
    /** causes as getBuildCauses returns them: maps with _class, userId, userName, shortDescription */
    List<Map> causes = []

    List getBuildCauses(String className) {
        return causes.findAll { it._class == className }
    }

    List getBuildCauses() {
        return causes
    }

    FakeBuild startedBy(String userId) {
        causes = [[_class: 'hudson.model.Cause$UserIdCause', userId: userId, userName: userId,
                   shortDescription: "Started by user ${userId}".toString()]]
        return this
    }

    FakeBuild startedByTimer() {
        causes = [[_class: 'hudson.triggers.TimerTrigger$TimerTriggerCause', shortDescription: 'Started by timer']]
        return this
    }
}
