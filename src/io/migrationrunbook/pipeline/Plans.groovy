package io.migrationrunbook.pipeline

import com.cloudbees.groovy.cps.NonCPS

/**
 * Reads the plan that migrationPrecheck returns. The field names live here and nowhere else:
 * pending (list of [version, description, classification]), classification, pauseNeeded, pauseReason,
 * approvalNeeded, passed. A plan that does not say whether a pause is needed gets one (the safe side).
 */
class Plans implements Serializable {

    @NonCPS
    static Object field(Map plan, String... names) {
        if (plan == null) {
            return null
        }
        for (String n : names) {
            if (plan[n] != null) {
                return plan[n]
            }
        }
        if (plan.plan instanceof Map) {
            return field((Map) plan.plan, names)
        }
        return null
    }

    @NonCPS
    static boolean passed(Map plan) {
        Object p = field(plan, 'passed')
        Object status = field(plan, 'status')
        return p != false && !(status in ['FAIL', 'FAILED'])
    }

    @NonCPS
    static List<Map> pending(Map plan) {
        Object p = field(plan, 'pending', 'pendingMigrations')
        return p instanceof List ? (List<Map>) p : []
    }

    @NonCPS
    static boolean pauseNeeded(Map plan) {
        Object p = field(plan, 'pauseNeeded', 'pauseRequired')
        return p == null ? true : (p == true || String.valueOf(p) == 'true')
    }

    @NonCPS
    static String pauseReason(Map plan) {
        Object r = field(plan, 'pauseReason', 'pauseWhy')
        if (r != null) {
            return String.valueOf(r)
        }
        if (field(plan, 'pauseNeeded', 'pauseRequired') == null) {
            return 'the precheck did not say whether consumers must be paused: pausing to be safe'
        }
        return pauseNeeded(plan) ? 'the plan says writes are affected' : 'the plan says no change affects the write path'
    }

    @NonCPS
    static String classification(Map plan) {
        Object c = field(plan, 'classification', 'releaseClassification')
        return c == null ? 'unknown' : String.valueOf(c)
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
                if (m.classification) {
                    b.append(" [${m.classification}]")
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
}
