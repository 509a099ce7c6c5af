package io.migrationrunbook.pipeline

import com.cloudbees.groovy.cps.NonCPS
import groovy.json.JsonOutput

/**
 * The run report of productionMigration as plain maps (serializable between steps), in the shape of the engine's
 * report.schema.json: runId, title, status, startedAt, finishedAt, durationMs, pauseWindowMs, pause, steps
 * (name, status PASSED/FAILED/SKIPPED, reason, startedAt, durationMs, details, database), approvals (gate,
 * approver, at, decision), nextActions, facts.
 */
class Report implements Serializable {

    static final String PASSED = 'PASSED'
    static final String FAILED = 'FAILED'
    static final String SKIPPED = 'SKIPPED'

    @NonCPS
    static Map start(Map settings, String job, String build) {
        String runId = (job ?: 'pipeline') + '#' + (build ?: '0')
        String names = settings.databases.collect { it.id }.join(', ')
        Map r = [runId: runId, title: settings.title ?: "Production migration of ${names}".toString(), status: 'RUNNING',
                 startedAt: now(), startedAtMs: System.currentTimeMillis(), pauseWindowMs: 0L, steps: [], approvals: [],
                 nextActions: [], facts: [databases: settings.databases.collect { it.id }, parallelism: settings.parallelism,
                                          plans: [:], backups: [:], pauseWindows: [:], refusedApprovals: []]]
        return r
    }

    @NonCPS
    static String now() {
        return java.time.Instant.now().toString()
    }

    @NonCPS
    static long millis() {
        return System.currentTimeMillis()
    }

    /** Records a step that started at startedMs and ends now. */
    @NonCPS
    static Map step(Map report, String name, String database, String status, long startedMs, Object details, String reason) {
        Map s = [name: name, status: status, startedAt: java.time.Instant.ofEpochMilli(startedMs).toString(),
                 durationMs: Math.max(0L, System.currentTimeMillis() - startedMs)]
        if (database != null) {
            s.database = database
        }
        if (reason != null) {
            s.reason = reason
        }
        if (details != null) {
            s.details = plain(details)
        }
        report.steps.add(s)
        return s
    }

    @NonCPS
    static Map skipped(Map report, String name, String database, String reason) {
        return step(report, name, database, SKIPPED, System.currentTimeMillis(), null, reason)
    }

    @NonCPS
    static void approval(Map report, String gate, String approver, String at, String decision) {
        Map a = [gate: gate, approver: approver ?: 'unknown', at: at ?: now()]
        if (decision != null) {
            a.decision = decision
        }
        report.approvals.add(a)
    }

    @NonCPS
    static void nextAction(Map report, String action) {
        if (!report.nextActions.contains(action)) {
            report.nextActions.add(action)
        }
    }

    /** Whether a step matching name, database and status (null: any) was recorded. */
    @NonCPS
    static boolean hasStep(Map report, String name, String database, String status) {
        return report.steps.any { (name == null || it.name == name) && (database == null || it.database == database) &&
                (status == null || it.status == status) }
    }

    @NonCPS
    static String ids(List<Map> databases) {
        return databases.collect { it.id }.join(', ')
    }

    @NonCPS
    static List<String> idList(List<Map> databases) {
        return databases.collect { String.valueOf(it.id) }
    }

    @NonCPS
    static List<String> users(List<Map> approvals) {
        return approvals.collect { String.valueOf(it.user) }
    }

    @NonCPS
    static boolean hasFailure(Map report) {
        return report.steps.any { it.status == FAILED }
    }

    @NonCPS
    static List<String> failedDatabases(Map report) {
        return report.steps.findAll { it.status == FAILED && it.database }.collect { it.database }.unique()
    }

    /**
     * A pause window: requested at requestedMs, resume verified at resumedMs (null: still paused), of one database
     * (a String) or of the databases one shared pause covered (a List of ids: each gets the same window).
     */
    @NonCPS
    static void pauseWindow(Map report, Object databases, long requestedMs, Long resumedMs) {
        List<String> ids = databases instanceof Collection ? ((Collection) databases).collect { String.valueOf(it) } : [String.valueOf(databases)]
        long end = resumedMs != null ? resumedMs : System.currentTimeMillis()
        long window = Math.max(0L, end - requestedMs)
        for (String id : ids) {
            report.facts.pauseWindows[id] = window
        }
        // the report's pause window is the longest one: each pause covers its own consumers
        if (window >= (report.pauseWindowMs as long)) {
            report.pauseWindowMs = window
            Map p = [requestedAt: java.time.Instant.ofEpochMilli(requestedMs).toString(), durationMs: window,
                     stillPaused: resumedMs == null]
            if (databases instanceof Collection) {
                p.databases = ids
            } else {
                p.database = ids[0]
            }
            if (resumedMs != null) {
                p.resumeVerifiedAt = java.time.Instant.ofEpochMilli(resumedMs).toString()
            }
            report.pause = p
        }
    }

    /**
     * The drain of each consumer group as lag samples for the report's chart: the total lag at the start and at
     * the end of the window that decided checkConsumerLag (its groups[].windowStart/totalLagAtStart, windowEnd/totalLag).
     */
    @NonCPS
    static void lagSamples(Map report, String database, Object lagResult) {
        if (!(lagResult instanceof Map) || !(((Map) lagResult).groups instanceof List)) {
            return
        }
        if (report.lagSamples == null) {
            report.lagSamples = []
        }
        for (Object g : (List) ((Map) lagResult).groups) {
            if (!(g instanceof Map)) {
                continue
            }
            Map group = (Map) g
            if (group.windowStart != null && group.totalLagAtStart instanceof Number) {
                report.lagSamples.add([at: String.valueOf(group.windowStart), totalLag: ((Number) group.totalLagAtStart).longValue(),
                                       group: String.valueOf(group.group), database: database])
            }
            if (group.windowEnd != null && group.totalLag instanceof Number) {
                report.lagSamples.add([at: String.valueOf(group.windowEnd), totalLag: ((Number) group.totalLag).longValue(),
                                       group: String.valueOf(group.group), database: database])
            }
        }
    }

    @NonCPS
    static void finish(Map report) {
        report.status = hasFailure(report) ? 'FAILED' : 'SUCCEEDED'
        report.finishedAt = now()
        report.durationMs = Math.max(0L, System.currentTimeMillis() - (report.startedAtMs as long))
    }

    @NonCPS
    static String toJson(Map report) {
        Map copy = new LinkedHashMap(report)
        copy.remove('startedAtMs')
        return JsonOutput.prettyPrint(JsonOutput.toJson(plain(copy)))
    }

    /** A short human summary for the log and notifications. */
    @NonCPS
    static String summary(Map report) {
        List failed = report.steps.findAll { it.status == FAILED }.collect { "${it.name}${it.database ? ' on ' + it.database : ''}: ${it.reason}" }
        String head = "${report.title}: ${report.status}"
        if (!failed.isEmpty()) {
            head += ' — ' + failed.join('; ')
        }
        if (!report.nextActions.isEmpty()) {
            head += '\nNext: ' + report.nextActions.join('\nNext: ')
        }
        return head
    }

    /** How a human would call a step with these arguments, for nextActions: resumeConsumers(controller: 'ingestion'). */
    @NonCPS
    static String stepCall(String step, Map args) {
        List<String> parts = []
        for (Object e : (args ?: [:]).entrySet()) {
            Map.Entry en = (Map.Entry) e
            Object v = en.value
            String literal = v instanceof Number || v instanceof Boolean ? String.valueOf(v)
                    : v instanceof Collection ? '[' + ((Collection) v).collect { "'${it}'" }.join(', ') + ']'
                    : "'${v}'"
            parts.add("${en.key}: ${literal}".toString())
        }
        return "${step}(${parts.join(', ')})"
    }

    @NonCPS
    static String describe(Throwable t) {
        String m = t.getMessage()
        return m != null && !m.trim().isEmpty() ? m : t.getClass().getSimpleName()
    }

    /** True for an abort or timeout (Jenkins' FlowInterruptedException) rather than a failure. */
    @NonCPS
    static boolean interrupted(Throwable t) {
        return t instanceof InterruptedException || t.getClass().getName().endsWith('FlowInterruptedException')
    }

    /** Copies step results into JSON-friendly values (no closures, no GStrings). */
    @NonCPS
    static Object plain(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v
        }
        if (v instanceof CharSequence) {
            return v.toString()
        }
        if (v instanceof Map) {
            Map m = [:]
            for (Object e : ((Map) v).entrySet()) {
                Map.Entry en = (Map.Entry) e
                if (!(en.value instanceof Closure)) {
                    m[String.valueOf(en.key)] = plain(en.value)
                }
            }
            return m
        }
        if (v instanceof Collection || v instanceof Object[]) {
            List l = []
            for (Object o : (v as List)) {
                if (!(o instanceof Closure)) {
                    l.add(plain(o))
                }
            }
            return l
        }
        return String.valueOf(v)
    }
}
