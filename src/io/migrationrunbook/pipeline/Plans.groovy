package io.migrationrunbook.pipeline

import com.cloudbees.groovy.cps.NonCPS

/**
 * Reads the plan that migrationPrecheck returns. The field names live here and nowhere else. Accepted: the
 * library's names (pending, classification, pauseNeeded, pauseReason, approvalNeeded, passed) and the engine's
 * (pending from the migrate plan; consumersMustPause, pauseReasons, classes from the release classification),
 * at the top level or nested under plan, classification, release or policy. A plan that does not say whether a
 * pause is needed gets one (the safe side).
 */
class Plans implements Serializable {

    static final List<String> NESTED = ['plan', 'classification', 'release', 'policy']

    /** What forward-fix means while consumers are paused: the rerun continues with them (withConsumersPaused takes over). */
    static final String FORWARD_FIX_RERUN = 'fix the migration and rerun this pipeline: the rerun takes over the pause and resumes at the end'

    /** The plugin's default stateDir (ControllerAccess.DEFAULT_STATE_DIR) and the engine's state file name. */
    static final String DEFAULT_CONSUMERS_STATE_DIR = '.runbook/consumers'
    static final String PAUSE_STATE_FILE = 'consumers-state.json'

    /**
     * A pause state file's text (PauseState, docs/consumers.md) as [stateFile, status, pausedAt, pausedBy] when no
     * resume completed (what a failed build leaves), null when it was resumed. A file that cannot be read counts as
     * left behind with status 'unreadable': the plugin then refuses with the engine's message.
     */
    @NonCPS
    static Map leftPause(String json, String file) {
        Object state
        try {
            state = new groovy.json.JsonSlurperClassic().parseText(json)
        } catch (Exception e) {
            return [stateFile: file, status: 'unreadable', pausedAt: null, pausedBy: null]
        }
        if (!(state instanceof Map) || ((Map) state).status == 'RESUMED') {
            return state instanceof Map ? null : [stateFile: file, status: 'unreadable', pausedAt: null, pausedBy: null]
        }
        Map m = (Map) state
        return [stateFile: file, status: m.status as String, pausedAt: m.pauseRequestedAt as String, pausedBy: m.pausedBy as String]
    }

    @NonCPS
    static String describeLeftPause(Map left) {
        return "status ${left.status}" + (left.pausedAt ? " since ${left.pausedAt}" : '') + (left.pausedBy ? " by ${left.pausedBy}" : '') +
                ", ${left.stateFile}"
    }

    /** When the pause left behind was requested (the pause window counts from there), null when unknown. */
    @NonCPS
    static Long leftPauseMillis(Map left) {
        if (left?.pausedAt == null) {
            return null
        }
        try {
            return java.time.Instant.parse(left.pausedAt as String).toEpochMilli()
        } catch (Exception e) {
            return null
        }
    }

    @NonCPS
    static Object field(Map plan, String... names) {
        if (plan == null) {
            return null
        }
        for (String n : names) {
            if (plan[n] != null && !(n == 'classification' && plan[n] instanceof Map)) {
                return plan[n]
            }
        }
        for (String nested : NESTED) {
            if (plan[nested] instanceof Map) {
                Object v = field((Map) plan[nested], names)
                if (v != null) {
                    return v
                }
            }
        }
        return null
    }

    @NonCPS
    static boolean passed(Map plan) {
        Object p = field(plan, 'passed')
        Object status = field(plan, 'status')
        return p != false && !(String.valueOf(status).toUpperCase() in ['FAIL', 'FAILED', 'REFUSED'])
    }

    @NonCPS
    static List<Map> pending(Map plan) {
        Object p = field(plan, 'pending', 'pendingMigrations')
        return p instanceof List ? (List<Map>) p : []
    }

    @NonCPS
    static boolean pauseNeeded(Map plan) {
        Object p = field(plan, 'pauseNeeded', 'pauseRequired', 'consumersMustPause')
        return p == null ? true : (p == true || String.valueOf(p) == 'true')
    }

    @NonCPS
    static String pauseReason(Map plan) {
        Object r = field(plan, 'pauseReason', 'pauseReasons')
        if (r instanceof List && !((List) r).isEmpty()) {
            return ((List) r).join('; ')
        }
        if (r != null && !(r instanceof List)) {
            return String.valueOf(r)
        }
        if (field(plan, 'pauseNeeded', 'pauseRequired', 'consumersMustPause') == null) {
            return 'the precheck did not say whether consumers must be paused: pausing to be safe'
        }
        return pauseNeeded(plan) ? 'the plan says writes are affected' : 'the plan says no change affects the write path'
    }

    @NonCPS
    static boolean anyPauseNeeded(List<Map> databases, Map plans) {
        return databases.any { pauseNeeded((Map) plans[it.id]) }
    }

    /** Why one pause covers these databases (they share the controller): each plan's own answer. */
    @NonCPS
    static String sharedPauseReason(String controller, List<Map> databases, Map plans) {
        List<String> parts = []
        for (Map db : databases) {
            Map plan = (Map) plans[db.id]
            parts.add("${db.id}: ${pauseNeeded(plan) ? pauseReason(plan) : 'needs none alone (' + pauseReason(plan) + ')'}".toString())
        }
        return "one pause of the consumers of controller '${controller}' around the migrations of all the databases sharing it, " +
                "resumed after the last of them (${parts.join('; ')})"
    }

    /** The release's classification: a name, or the classes of the engine's release classification. */
    @NonCPS
    static String classification(Map plan) {
        Object c = plan == null ? null : plan.classification
        if (c instanceof Map) {
            c = ((Map) c).classes != null ? ((Map) c).classes : ((Map) c).classification
        }
        if (c == null) {
            c = field(plan, 'releaseClassification', 'classes')
        }
        return describeClasses(c, 'unknown')
    }

    /** One pending migration's classification, from the entry itself or the release classification's migrations. */
    @NonCPS
    static String classificationOf(Map plan, Map migration) {
        Object c = migration.classification != null ? migration.classification : migration.classes
        if (c == null) {
            Object perMigration = field(plan, 'migrations')
            if (perMigration instanceof List) {
                for (Object o : (List) perMigration) {
                    if (o instanceof Map && o.version != null && String.valueOf(o.version) == String.valueOf(migration.version)) {
                        c = o.classes
                    }
                }
            }
        }
        return describeClasses(c, null)
    }

    @NonCPS
    private static String describeClasses(Object c, String dflt) {
        if (c instanceof Collection) {
            return ((Collection) c).isEmpty() ? 'none' : ((Collection) c).collect { String.valueOf(it).toLowerCase() }.join(', ')
        }
        return c == null ? dflt : String.valueOf(c)
    }

    @NonCPS
    static List approvalNeeded(Map plan) {
        Object a = field(plan, 'approvalNeeded', 'needsApproval')
        if (a == null || a == false) {
            return []
        }
        return a instanceof List ? (List) a : [String.valueOf(a)]
    }

    @NonCPS
    static String failureReason(Map plan) {
        Object r = field(plan, 'reason', 'message', 'summary')
        return r != null ? String.valueOf(r) : 'the precheck failed (see its details in the report)'
    }

    /** What the approvers read: per database, the pending migrations, the classification, and the pause decision. */
    @NonCPS
    static String describe(List<Map> databases, Map<String, Map> plans) {
        StringBuilder b = new StringBuilder()
        for (Map db : databases) {
            Map plan = plans[db.id]
            List<Map> pending = pending(plan)
            b.append("Database ${db.id}: ${pending.size()} pending migration(s), classification ${classification(plan)}\n")
            for (Map m : pending) {
                b.append("  - V${m.version} ${m.description ?: ''}")
                String c = classificationOf(plan, m)
                if (c) {
                    b.append(" [${c}]")
                }
                b.append('\n')
            }
            b.append(pauseNeeded(plan) ? "  Consumers will be PAUSED: ${pauseReason(plan)}\n"
                    : "  No pause needed: ${pauseReason(plan)}\n")
            for (Object a : approvalNeeded(plan)) {
                b.append("  Needs approval: ${a}\n")
            }
        }
        return b.toString().trim()
    }

    /**
     * The plan as describe shows it, and per group of databases sharing a consumer controller (the shared units of
     * RunbookSettings.pauseUnits) that their consumers are paused once for all of them, and when their checks run.
     */
    @NonCPS
    static String describe(List<Map> databases, Map<String, Map> plans, List<Map> pauseUnits) {
        StringBuilder b = new StringBuilder(describe(databases, plans))
        for (Map unit : pauseUnits) {
            if (!unit.shared) {
                continue
            }
            List<Map> group = (List<Map>) unit.databases
            String ids = group.collect { it.id }.join(', ')
            if (anyPauseNeeded(group, plans)) {
                b.append("\nShared pause: consumers of controller '${unit.controller}' paused ONCE for databases ${ids}, "
                        + 'resumed after the last of them migrated and verified; their smoke test and lag checks run after '
                        + 'that shared resume')
            } else {
                b.append("\nShared controller: databases ${ids} share the consumers of controller '${unit.controller}'; "
                        + 'no plan needs a pause (a pause an earlier build left is taken over once for all of them)')
            }
        }
        return b.toString()
    }
}
