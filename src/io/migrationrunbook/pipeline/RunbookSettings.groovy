package io.migrationrunbook.pipeline

import com.cloudbees.groovy.cps.NonCPS

/**
 * productionMigration's configuration: validated and normalized before anything touches a database, so a typo
 * in a production pipeline stops the build instead of silently skipping a safety step.
 */
class RunbookSettings implements Serializable {

    static final String FORWARD_FIX = 'forward-fix'
    static final String RESTORE = 'restore'
    static final String RESUME = 'resume'
    static final List<String> DECISIONS = [FORWARD_FIX, RESTORE, RESUME]

    /** keys productionMigration accepts (anything else is refused as a probable typo) */
    static final List<String> KEYS = ['database', 'databases', 'parallelism', 'agent', 'unstash', 'prepare', 'title',
                                      'precheck', 'backup', 'migrate', 'verify', 'restore', 'placeholders',
                                      'consumers', 'smoke', 'lag', 'checks', 'preChecks',
                                      'freezeJobs', 'freeze', 'approval', 'failureGate', 'onFailure',
                                      'deployJob', 'deployParameters', 'previousVersion', 'versionParameter',
                                      'resumeAfterRestore', 'notify', 'mailTo', 'webhookUrl', 'webhookCredentialsId',
                                      'reportFile']

    /** what a fleet entry may override */
    static final List<String> DATABASE_KEYS = ['id', 'precheck', 'backup', 'migrate', 'verify', 'restore', 'placeholders', 'consumers',
                                               'smoke', 'lag', 'deployJob', 'deployParameters', 'previousVersion']

    /** the parameters of withConsumersPaused (plugin: controller, stateDir, resumeOnFailure, adoptExistingPause) */
    static final List<String> CONSUMERS_KEYS = ['controller', 'stateDir', 'adoptExistingPause', 'resumeOnFailure']
    /** the parameters of resumeConsumers: the resume needs the controller and where its pause state is, nothing else */
    static final List<String> RESUME_KEYS = ['controller', 'stateDir']

    @NonCPS
    static Map normalize(Map config) {
        Map c = config == null ? [:] : config
        List<String> unknown = []
        for (Object k : c.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) {
                unknown.add(String.valueOf(k))
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("productionMigration: unknown setting(s) ${unknown.join(', ')}. "
                    + "Known settings: ${KEYS.join(', ')} (see docs/shared-library.md)")
        }
        Map s = [:]
        s.databases = databases(c)
        s.parallelism = positive(c.parallelism, 1, 'parallelism')
        s.agent = c.agent != null ? String.valueOf(c.agent) : null
        s.title = c.title != null ? String.valueOf(c.title) : null
        s.unstash = Approvals.splitNames(c.unstash)
        if (c.prepare != null && !(c.prepare instanceof Closure)) {
            throw new IllegalArgumentException('productionMigration: prepare must be a closure run on the agent first, e.g. { checkout scm }')
        }
        s.prepare = c.prepare
        for (String k : ['precheck', 'backup', 'migrate', 'verify', 'restore']) {
            s[k] = map(c[k], k, [:])
        }
        s.placeholders = placeholders(c.placeholders, 'placeholders')
        for (Map db : (List<Map>) s.databases) {
            if (db.placeholders != null) {
                db.placeholders = placeholders(db.placeholders, "database ${db.id} placeholders")
            }
        }
        s.consumers = map(c.consumers, 'consumers', null)
        for (Map db : (List<Map>) s.databases) {
            checkConsumers(optionalArgs(s, db, 'consumers'), db.id as String)
        }
        s.smoke = map(c.smoke, 'smoke', null)
        s.lag = map(c.lag, 'lag', null)
        s.checks = checks(c.checks, 'checks')
        s.preChecks = checks(c.preChecks, 'preChecks')
        s.freeze = freeze(c)
        s.approval = approval(c.approval)
        s.failureGate = map(c.failureGate, 'failureGate', [:])
        s.failureGate.timeoutMinutes = positive(s.failureGate.timeoutMinutes, 60, 'failureGate.timeoutMinutes')
        s.failureGate.submitters = Approvals.splitNames(s.failureGate.submitters != null ? s.failureGate.submitters
                : (s.approval ? s.approval.submitters : null))
        s.onFailure = c.onFailure != null ? String.valueOf(c.onFailure) : null
        if (s.onFailure != null && !DECISIONS.contains(s.onFailure)) {
            throw new IllegalArgumentException("productionMigration: onFailure must be one of ${DECISIONS.join(', ')} "
                    + "(or unset to ask at the failure gate), was '${s.onFailure}'")
        }
        if (s.onFailure == null && s.failureGate.submitters.isEmpty()) {
            throw new IllegalArgumentException('productionMigration: the failure gate has nobody to ask: set '
                    + "failureGate: [submitters: [...]] (or approval.submitters), or onFailure: '${FORWARD_FIX}'")
        }
        s.deployJob = c.deployJob != null ? String.valueOf(c.deployJob) : null
        s.deployParameters = c.deployParameters instanceof List ? c.deployParameters : null
        s.previousVersion = c.previousVersion != null ? String.valueOf(c.previousVersion) : null
        s.versionParameter = c.versionParameter != null ? String.valueOf(c.versionParameter) : 'VERSION'
        s.resumeAfterRestore = c.resumeAfterRestore == true
        s.notify = c.notify instanceof Closure ? c.notify : null
        if (c.notify != null && !(c.notify instanceof Closure)) {
            throw new IllegalArgumentException('productionMigration: notify must be a closure { Map event -> ... }')
        }
        s.mailTo = c.mailTo != null ? String.valueOf(c.mailTo) : null
        s.webhookUrl = c.webhookUrl != null ? String.valueOf(c.webhookUrl) : null
        s.webhookCredentialsId = c.webhookCredentialsId != null ? String.valueOf(c.webhookCredentialsId) : null
        s.reportFile = c.reportFile != null ? String.valueOf(c.reportFile) : 'migration-report.json'
        checkDeployJobNotFrozen(s)
        return s
    }

    /** The steps that read the migrations: they get the same Flyway placeholder values. */
    static final List<String> PLACEHOLDER_STEPS = ['precheck', 'migrate']

    /**
     * Per-database arguments of a step: the fleet-wide map, then the database's own, then the target id. precheck and
     * migrate also get the Flyway placeholders (fleet-wide, then the database's, then the step's own
     * {@code placeholders}), so both read the same SQL.
     */
    @NonCPS
    static Map stepArgs(Map settings, Map db, String key) {
        Map args = [:]
        if (settings[key] instanceof Map) {
            args.putAll((Map) settings[key])
        }
        if (db[key] instanceof Map) {
            args.putAll((Map) db[key])
        }
        if (PLACEHOLDER_STEPS.contains(key)) {
            Map values = [:]
            for (Object m : [settings.placeholders, db.placeholders, settings[key] instanceof Map ? ((Map) settings[key]).placeholders : null,
                             db[key] instanceof Map ? ((Map) db[key]).placeholders : null]) {
                if (m instanceof Map) {
                    values.putAll((Map) m)
                }
            }
            if (!values.isEmpty()) {
                args.placeholders = values
            }
        }
        return args
    }

    /** The consumers (or smoke, lag) arguments of a database, null when neither the fleet nor it has any. */
    @NonCPS
    static Map optionalArgs(Map settings, Map db, String key) {
        if (settings[key] == null && db[key] == null) {
            return null
        }
        return stepArgs(settings, db, key)
    }

    /**
     * Why the plans cannot be carried out with this configuration (null when they can): a pause with no consumers
     * configured, or a plan that needs an approval while approval is false. Checked before the approval gate.
     */
    @NonCPS
    static String blockerFor(Map settings, List<Map> databases, Map<String, Map> plans) {
        List<String> problems = []
        for (Map db : databases) {
            Map plan = plans[db.id]
            if (Plans.pauseNeeded(plan) && optionalArgs(settings, db, 'consumers') == null) {
                problems.add("database ${db.id}: the plan says consumers must be paused (${Plans.pauseReason(plan)}) but no "
                        + 'consumers are configured: set consumers: [controller: ...] (the withConsumersPaused arguments)')
            }
            if (settings.approval == false && !Plans.approvalNeeded(plan).isEmpty()) {
                problems.add("database ${db.id}: the plan needs an approval (${Plans.approvalNeeded(plan).join('; ')}) but "
                        + 'approval is false: configure approval: [submitters: [...]]')
            }
        }
        // one pause covers the databases sharing a controller: it is called with one set of arguments
        for (Map.Entry<String, List<Map>> e : sharedControllers(settings, databases, plans).entrySet()) {
            Map first = optionalArgs(settings, e.value[0], 'consumers')
            for (Map db : e.value) {
                Map own = optionalArgs(settings, db, 'consumers')
                if (own != first) {
                    problems.add("databases ${e.value[0].id} and ${db.id} share the consumer controller '${e.key}' but configure "
                            + "it differently (${Report.stepCall('consumers', first)} vs ${Report.stepCall('consumers', own)}): one "
                            + 'pause covers both, so give them the same consumers settings (stateDir, adoptExistingPause)')
                }
            }
        }
        return problems.isEmpty() ? null : problems.join('\n')
    }

    /**
     * The withConsumersPaused arguments are passed to the plugin as they are: a key it does not know would fail the
     * step only after the approval, backup and freeze. resumeOnFailure is the library's to decide (false: the failure
     * gate decides what happens to paused consumers).
     */
    @NonCPS
    private static void checkConsumers(Map consumers, String database) {
        if (consumers == null) {
            return
        }
        List unknown = consumers.keySet().findAll { !CONSUMERS_KEYS.contains(String.valueOf(it)) } as List
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("productionMigration: consumers of database ${database}: unknown parameter(s) "
                    + "${unknown.join(', ')}; withConsumersPaused takes ${CONSUMERS_KEYS.join(', ')} (the consumer groups "
                    + 'belong to the controller configured under Migration Runbook)')
        }
        if (consumers.resumeOnFailure == true) {
            throw new IllegalArgumentException("productionMigration: consumers of database ${database}: resumeOnFailure: true "
                    + 'would resume the consumers on a half-migrated schema; the failure gate offers resume instead (remove it)')
        }
    }

    /** resumeConsumers' arguments for these consumers (the step takes only controller and stateDir). */
    @NonCPS
    static Map resumeArgs(Map consumers) {
        Map args = [:]
        for (String k : RESUME_KEYS) {
            if (consumers != null && consumers[k] != null) {
                args[k] = consumers[k]
            }
        }
        return args
    }

    /**
     * The migration work split by how consumers are paused, in the order of the work list. Databases whose resolved
     * consumers name the same controller pause the same consumers: when two or more of them are migrated, a
     * per-database pause would let the first to finish resume the consumers while the others still migrate. Such a
     * group is one unit [shared: true, controller, consumers, databases], paused once around all of its databases
     * (when a plan needs it or an earlier build left a pause to take over). Every other database keeps its own pause: consecutive ones form a unit
     * [shared: false, databases] that runs in batches as before.
     */
    @NonCPS
    static List<Map> pauseUnits(Map settings, List<Map> work, Map plans) {
        Map<String, List<Map>> byController = sharedControllers(settings, work, plans)
        List<Map> units = []
        Set<String> done = new HashSet<String>()
        for (Map db : work) {
            Map consumers = optionalArgs(settings, db, 'consumers')
            String controller = consumers == null ? null : String.valueOf(consumers.controller)
            if (controller != null && byController.containsKey(controller)) {
                if (done.add(controller)) {
                    units.add([shared: true, controller: controller, consumers: consumers, databases: byController[controller]])
                }
            } else if (!units.isEmpty() && !units.last().shared) {
                ((List) units.last().databases).add(db)
            } else {
                units.add([shared: false, databases: [db]])
            }
        }
        return units
    }

    /**
     * controller -> the databases sharing it (two or more). They share one pause when a plan needs it, and also when
     * none does but an earlier build left that controller paused (known only on the agent): the takeover is then one.
     */
    @NonCPS
    private static Map<String, List<Map>> sharedControllers(Map settings, List<Map> work, Map plans) {
        Map<String, List<Map>> byController = new LinkedHashMap<String, List<Map>>()
        for (Map db : work) {
            Map consumers = optionalArgs(settings, db, 'consumers')
            if (consumers != null) {
                String controller = String.valueOf(consumers.controller)
                if (!byController.containsKey(controller)) {
                    byController[controller] = []
                }
                byController[controller].add(db)
            }
        }
        Map<String, List<Map>> shared = new LinkedHashMap<String, List<Map>>()
        for (Map.Entry<String, List<Map>> e : byController.entrySet()) {
            if (e.value.size() >= 2) {
                shared[e.key] = e.value
            }
        }
        return shared
    }

    @NonCPS
    static String deployJobOf(Map settings, Map db) {
        return db.deployJob != null ? String.valueOf(db.deployJob) : settings.deployJob
    }

    @NonCPS
    private static List<Map> databases(Map c) {
        Object raw = c.databases != null ? c.databases : (c.database != null ? [c.database] : null)
        if (raw == null || !(raw instanceof List) || ((List) raw).isEmpty()) {
            throw new IllegalArgumentException("productionMigration: name the database target(s): database: 'prod' "
                    + "or databases: ['orders', 'billing'] (ids of the targets configured under Migration Runbook)")
        }
        List<Map> dbs = []
        Set<String> seen = new HashSet<String>()
        for (Object o : (List) raw) {
            Map db
            if (o instanceof Map) {
                db = new LinkedHashMap((Map) o)
                for (Object k : db.keySet()) {
                    if (!DATABASE_KEYS.contains(String.valueOf(k))) {
                        throw new IllegalArgumentException("productionMigration: unknown setting '${k}' on database "
                                + "${db.id}; a database entry may set ${DATABASE_KEYS.join(', ')}")
                    }
                }
            } else {
                db = [id: o]
            }
            String id = db.id == null ? '' : String.valueOf(db.id).trim()
            if (!(id ==~ /[A-Za-z0-9_.-]+/)) {
                throw new IllegalArgumentException("productionMigration: database id '${id}' must be a configured target id "
                        + '(letters, digits, _ . -)')
            }
            if (!seen.add(id)) {
                throw new IllegalArgumentException("productionMigration: database ${id} is listed twice")
            }
            db.id = id
            dbs.add(db)
        }
        return dbs
    }

    @NonCPS
    private static Map freeze(Map c) {
        if (c.freeze != null && c.freezeJobs != null) {
            throw new IllegalArgumentException('productionMigration: set freezeJobs or freeze, not both')
        }
        if (c.freezeJobs != null) {
            List jobs = Approvals.splitNames(c.freezeJobs)
            return jobs.isEmpty() ? null : [jobs: jobs]
        }
        return map(c.freeze, 'freeze', null)
    }

    @NonCPS
    private static Object approval(Object a) {
        if (a == false) {
            return false
        }
        if (!(a instanceof Map)) {
            throw new IllegalArgumentException('productionMigration: approval is required: approval: [submitters: '
                    + "['alice', 'dba-team'], approvals: 2, timeoutMinutes: 60] (or approval: false to run without a gate)")
        }
        Map m = new LinkedHashMap((Map) a)
        Approvals.settings(m) // same validation as migrationApproval, before anything runs
        m.submitters = Approvals.splitNames(m.submitters != null ? m.submitters : m.submitter)
        m.remove('submitter')
        return m
    }

    @NonCPS
    private static List<Map> checks(Object raw, String key) {
        List<Map> list = []
        if (raw == null) {
            return list
        }
        if (!(raw instanceof List)) {
            throw new IllegalArgumentException("productionMigration: ${key} must be a list of [name: 'splunkErrors', run: { Map db -> ... }]")
        }
        for (Object o : (List) raw) {
            if (!(o instanceof Map) || !(((Map) o).run instanceof Closure) || !((Map) o).name) {
                throw new IllegalArgumentException("productionMigration: each entry of ${key} needs a name and a run closure, got ${o}")
            }
            list.add((Map) o)
        }
        return list
    }

    /** The redeploy job must still be runnable while auto-deploy is frozen. */
    @NonCPS
    private static void checkDeployJobNotFrozen(Map s) {
        if (s.deployJob == null || s.freeze == null || !(s.freeze.jobs instanceof List)) {
            return
        }
        for (Object pattern : (List) s.freeze.jobs) {
            if (globMatches(String.valueOf(pattern), s.deployJob)) {
                throw new IllegalArgumentException("productionMigration: deployJob ${s.deployJob} matches freezeJobs "
                        + "entry '${pattern}': it would be disabled when a restore needs to redeploy the previous version. "
                        + 'Freeze only the automatic deploy triggers, not the deploy job itself')
            }
        }
    }

    @NonCPS
    static boolean globMatches(String glob, String name) {
        StringBuilder re = new StringBuilder()
        for (int i = 0; i < glob.length(); i++) {
            char ch = glob.charAt(i)
            if (ch == '*' as char) {
                boolean twice = i + 1 < glob.length() && glob.charAt(i + 1) == '*' as char
                re.append(twice ? '.*' : '[^/]*')
                if (twice) {
                    i++
                }
            } else if (ch == '?' as char) {
                re.append('[^/]')
            } else {
                re.append(java.util.regex.Pattern.quote(String.valueOf(ch)))
            }
        }
        return name.matches(re.toString())
    }

    /** Flyway placeholder values: a map of name to value ({@code [schema: 'app']}); values become strings. */
    @NonCPS
    private static Map placeholders(Object value, String name) {
        if (value == null) {
            return [:]
        }
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("productionMigration: ${name} must be a map of Flyway placeholder values, "
                    + "e.g. placeholders: [schema: 'app', app_role: 'app_reader'], was ${value}")
        }
        Map values = [:]
        for (Map.Entry e : ((Map) value).entrySet()) {
            String key = String.valueOf(e.key)
            if (!(key ==~ /[A-Za-z_][A-Za-z0-9_.\-]*/)) {
                throw new IllegalArgumentException("productionMigration: ${name}: '${key}' is not a Flyway placeholder name "
                        + '(letters, digits, _ . -, starting with a letter or _; flyway:... names are Flyway\'s own)')
            }
            values[key] = e.value == null ? null : String.valueOf(e.value)
        }
        return values
    }

    @NonCPS
    private static Map map(Object value, String name, Map dflt) {
        if (value == null) {
            return dflt == null ? null : new LinkedHashMap(dflt)
        }
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("productionMigration: ${name} must be a map of step arguments, was ${value}")
        }
        return new LinkedHashMap((Map) value)
    }

    @NonCPS
    private static int positive(Object value, int dflt, String name) {
        if (value == null) {
            return dflt
        }
        int n
        try {
            n = value instanceof Number ? ((Number) value).intValue() : Integer.parseInt(String.valueOf(value).trim())
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("productionMigration: ${name} must be a whole number, was '${value}'")
        }
        if (n < 1) {
            throw new IllegalArgumentException("productionMigration: ${name} must be at least 1, was ${n}")
        }
        return n
    }
}
