import io.migrationrunbook.pipeline.Approvals

/**
 * migrationApproval(message:, submitters:, approvals: N, timeoutMinutes:, ...)
 *
 * Waits for N distinct people from the submitters list to approve, each through its own `input` (distinct id,
 * submitterParameter), all inside one `timeout`. Refuses the user who started the build (separation of duties)
 * and anyone who already approved, and asks again. Call it outside node {}: waiting for people must not hold an
 * executor. Returns the approvals as a list of [user:, at:, inputId:] maps (also in env.MIGRATION_APPROVERS).
 */
def call(Map args = [:]) {
    Map s
    try {
        s = Approvals.settings(args)
    } catch (IllegalArgumentException e) {
        error(e.message)
    }
    if (env.NODE_NAME && !s.allowInsideNode) {
        error("migrationApproval: called inside node {} (on ${env.NODE_NAME}). Waiting for approvers would hold that "
                + 'executor for up to ' + s.timeoutMinutes + ' minutes: call it outside node {} (declarative: '
                + "agent none on the approval stage), or pass allowInsideNode: true")
    }
    String builder = s.startedBy
    if (builder == null) {
        builder = Approvals.builderOf(currentBuild.getBuildCauses(Approvals.USER_ID_CAUSE))
    }
    List approved = []
    List refused = []
    int attempt = 0
    echo("Approval gate: ${s.approvals} distinct approver(s) needed from [${s.submitters.join(', ')}]"
            + (builder != null && !s.allowBuilder ? "; ${builder} started this build and cannot approve" : '')
            + "; times out after ${s.timeoutMinutes} min")
    timeout(time: s.timeoutMinutes, unit: 'MINUTES') {
        while (approved.size() < s.approvals) {
            if (attempt >= s.maxAttempts) {
                error("migrationApproval: ${attempt} answers gave ${approved.size()} of ${s.approvals} valid approvals "
                        + "(refused: ${refusalSummary(refused)}). Start the gate again with other approvers")
            }
            String submitter = Approvals.submitterFor(s.submitters, builder, approved, s.allowBuilder)
            if (submitter == null) {
                error("migrationApproval: nobody eligible is left in [${s.submitters.join(', ')}] for approval "
                        + "${approved.size() + 1} of ${s.approvals} (the builder and those who approved are excluded). "
                        + 'Add approvers to submitters or lower approvals')
            }
            attempt++
            String inputId = s.idPrefix + attempt
            String text = s.message + " (approval ${approved.size() + 1} of ${s.approvals})"
            if (s.details) {
                text = text + '\n\n' + s.details
            }
            def answer = input(id: inputId, message: text, ok: s.ok, submitter: submitter,
                    submitterParameter: Approvals.APPROVER_PARAMETER)
            String who = Approvals.approverOf(answer)
            String why = Approvals.refusal(who, builder, approved, s)
            if (why != null) {
                refused.add([user: who, at: Approvals.now(), inputId: inputId, reason: why])
                echo("Approval refused: ${why}")
            } else {
                approved.add([user: who, at: Approvals.now(), inputId: inputId])
                echo("Approved by ${who} (${approved.size()} of ${s.approvals})")
            }
        }
    }
    env.MIGRATION_APPROVERS = approverNames(approved)
    return [approvals: approved, refused: refused, builder: builder, required: s.approvals]
}

@NonCPS
String approverNames(List approved) {
    return approved.collect { it.user }.join(',')
}

@NonCPS
String refusalSummary(List refused) {
    return refused.isEmpty() ? 'none' : refused.collect { "${it.user}: ${it.reason}" }.join('; ')
}
