package io.migrationrunbook.pipeline

import com.cloudbees.groovy.cps.NonCPS

/**
 * Pure rules of the approval gate (no pipeline steps here, so everything is @NonCPS):
 * who may still approve, who is refused and why, and how an input answer names its approver.
 * The var migrationApproval does the waiting; this class only decides.
 */
class Approvals implements Serializable {

    static final String USER_ID_CAUSE = 'hudson.model.Cause$UserIdCause'
    static final String APPROVER_PARAMETER = 'approver'

    /** Validates and normalizes migrationApproval's arguments; throws before any input is shown. */
    @NonCPS
    static Map settings(Map args) {
        Map a = args == null ? [:] : args
        List<String> submitters = splitNames(a.submitters != null ? a.submitters : a.submitter)
        if (submitters.isEmpty()) {
            throw new IllegalArgumentException('migrationApproval: submitters is empty. Name the users or groups '
                    + "allowed to approve, e.g. submitters: ['alice', 'bob', 'dba-team']: "
                    + 'an empty list would let anyone approve')
        }
        int approvals = toInt(a.approvals, 1, 'approvals')
        if (approvals < 1) {
            throw new IllegalArgumentException("migrationApproval: approvals must be at least 1, was ${approvals}")
        }
        int timeoutMinutes = toInt(a.timeoutMinutes, 60, 'timeoutMinutes')
        if (timeoutMinutes < 1) {
            throw new IllegalArgumentException("migrationApproval: timeoutMinutes must be at least 1, was ${timeoutMinutes}")
        }
        int maxAttempts = toInt(a.maxAttempts, approvals * 3, 'maxAttempts')
        if (maxAttempts < approvals) {
            throw new IllegalArgumentException("migrationApproval: maxAttempts (${maxAttempts}) is below approvals (${approvals})")
        }
        String idPrefix = a.id != null ? String.valueOf(a.id) : 'MigrationApproval'
        if (!(idPrefix ==~ /[A-Za-z0-9_-]+/)) {
            throw new IllegalArgumentException("migrationApproval: id '${idPrefix}' must be URL-safe (letters, digits, _ and -)")
        }
        Map s = [:]
        s.message = a.message != null ? String.valueOf(a.message) : 'Approve the production migration?'
        s.details = a.details != null ? String.valueOf(a.details) : null
        s.ok = a.ok != null ? String.valueOf(a.ok) : 'Approve'
        s.submitters = submitters
        s.approvals = approvals
        s.timeoutMinutes = timeoutMinutes
        s.maxAttempts = maxAttempts
        s.idPrefix = idPrefix
        s.allowBuilder = a.allowBuilder == true
        s.strictSubmitters = a.strictSubmitters == true
        s.allowInsideNode = a.allowInsideNode == true
        s.startedBy = a.startedBy != null ? String.valueOf(a.startedBy) : null
        return s
    }

    /** The user id of whoever started the build, from currentBuild.getBuildCauses(USER_ID_CAUSE); null if no user did. */
    @NonCPS
    static String builderOf(Object causes) {
        if (causes == null) {
            return null
        }
        for (Object cause : causes) {
            if (cause instanceof Map && cause.userId) {
                return String.valueOf(cause.userId)
            }
        }
        return null
    }

    /**
     * The submitter string for the next input: the configured list minus the builder and those who already
     * approved (they cannot approve again). Groups stay (membership is Jenkins' business; the var re-checks
     * the answer). Returns null when nobody eligible is left, so the caller fails instead of passing an empty
     * submitter, which Jenkins reads as "anyone".
     */
    @NonCPS
    static String submitterFor(List<String> submitters, String builder, List<Map> approved, boolean allowBuilder) {
        Set<String> excluded = new HashSet<String>()
        for (Map a : approved) {
            excluded.add(norm(a.user))
        }
        if (builder != null && !allowBuilder) {
            excluded.add(norm(builder))
        }
        List<String> left = []
        for (String s : submitters) {
            if (!excluded.contains(norm(s))) {
                left.add(s)
            }
        }
        return left.isEmpty() ? null : left.join(',')
    }

    /** The approver's user id from what input returned (the submitterParameter value, alone or in a Map). */
    @NonCPS
    static String approverOf(Object answer) {
        if (answer instanceof Map) {
            Object who = ((Map) answer).get(APPROVER_PARAMETER)
            return who == null ? null : String.valueOf(who)
        }
        return answer == null ? null : String.valueOf(answer)
    }

    /** Why this answer does not count (null when it counts). User ids compare case-insensitively, as Jenkins' default. */
    @NonCPS
    static String refusal(String who, String builder, List<Map> approved, Map settings) {
        if (who == null || who.trim().isEmpty()) {
            return 'the input returned no approver id (is submitterParameter supported by this Jenkins?)'
        }
        if (!settings.allowBuilder && builder != null && norm(who) == norm(builder)) {
            return "${who} started this build and cannot approve it (separation of duties)"
        }
        for (Map a : approved) {
            if (norm(a.user) == norm(who)) {
                return "${who} already approved; ${settings.approvals} distinct approvers are needed"
            }
        }
        if (settings.strictSubmitters) {
            boolean listed = false
            for (String s : (List<String>) settings.submitters) {
                if (norm(s) == norm(who)) {
                    listed = true
                }
            }
            if (!listed) {
                return "${who} is not in the submitters list (strictSubmitters: administrators not listed cannot approve)"
            }
        }
        return null
    }

    @NonCPS
    static String now() {
        return java.time.Instant.now().toString()
    }

    @NonCPS
    static List<String> splitNames(Object value) {
        List<String> names = []
        if (value == null) {
            return names
        }
        List raw = value instanceof Collection ? new ArrayList((Collection) value) : String.valueOf(value).split(',').toList()
        for (Object o : raw) {
            String s = o == null ? '' : String.valueOf(o).trim()
            if (!s.isEmpty() && !names.contains(s)) {
                names.add(s)
            }
        }
        return names
    }

    @NonCPS
    private static int toInt(Object value, int dflt, String name) {
        if (value == null) {
            return dflt
        }
        try {
            return value instanceof Number ? ((Number) value).intValue() : Integer.parseInt(String.valueOf(value).trim())
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("migrationApproval: ${name} must be a whole number, was '${value}'")
        }
    }

    @NonCPS
    private static String norm(Object s) {
        return s == null ? '' : String.valueOf(s).trim().toLowerCase(Locale.ROOT)
    }
}
