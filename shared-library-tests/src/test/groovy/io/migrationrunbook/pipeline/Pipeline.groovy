package io.migrationrunbook.pipeline

import com.lesfurets.jenkins.unit.BasePipelineTest
import com.lesfurets.jenkins.unit.cps.BasePipelineTestCPS

import static com.lesfurets.jenkins.unit.global.lib.LibraryConfiguration.library

/**
 * One pipeline run under JenkinsPipelineUnit, plain or CPS-interpreted (the CPS variant serializes the whole
 * program state at every step, as Jenkins does, so a non-serializable local held across a step fails the test).
 *
 * The plugin's steps cannot run here: they are registered as allowed methods that record what they were asked
 * (in {@link #timeline}, in order) and answer what the test configured in {@link #stepResults}.
 */
class Pipeline {

    static final String LIBRARY = 'migration-runbook'

    /** the plugin's plain steps: each takes a Map and returns a Map */
    static final List<String> PLUGIN_STEPS = ['migrationPrecheck', 'dbBackup', 'flywayMigrate', 'verifySchema',
                                              'pauseConsumers', 'resumeConsumers', 'checkConsumerLag', 'smokeTestApi',
                                              'dbRestore', 'freezeAutoDeploy', 'unfreezeAutoDeploy']

    /**
     * The parameters of the plugin's consumer steps (the @DataBoundSetters in plugin/src/.../consumers): Jenkins
     * refuses any other, so the fakes do too.
     */
    static final Map<String, List<String>> STEP_PARAMETERS = [
            withConsumersPaused: ['controller', 'stateDir', 'resumeOnFailure', 'adoptExistingPause'],
            pauseConsumers     : ['controller', 'stateDir', 'adoptExistingPause'],
            resumeConsumers    : ['controller', 'stateDir']]

    final BasePipelineTest base
    final boolean cps

    /** what happened, in order: "step:database" for plugin steps, "input:ID", "freeze", "pause:db", ... */
    final List<String> timeline = []
    /** every plugin step call: [step: name, args: Map] */
    final List<Map> stepCalls = []
    /** arguments of every input call */
    final List<Map> inputs = []
    /** answers the next input calls get, in order: a user id, a Map, a Closure(Map inputArgs) or a Throwable */
    final List<Object> answers = []
    /** per plugin step: a Map result, a Closure(Map args) returning one, or a Throwable to throw */
    final Map<String, Object> stepResults = [:]
    /** what the end of withConsumersPaused throws after its body passed (the resume failed), in order of the calls; null: resumes */
    final List<Throwable> resumeFailures = []
    final Map<String, String> files = [:]
    /** files already on the agent before the build (e.g. a pause state an earlier build left), by path as given */
    final Map<String, String> agentFiles = [:]
    final List<Map> archived = []
    final List<Map> builds = []
    final List<Map> notifications = []
    final List<String> log = []
    final List<List<String>> parallelBatches = []
    final List<Map> timeouts = []
    /** the label of every node {} (null: any agent) */
    final List<String> nodes = []
    /** for every input: whether it was shown inside node {} (it must not: that holds an executor) */
    final List<Boolean> inputsOnNode = []
    /** what the error-and-log check (recordCheck) answers per database; default passed */
    final Map<String, Object> checkResults = [:]
    final FakeBuild build = new FakeBuild()
    final Map env = [BUILD_NUMBER: '42', JOB_NAME: 'release', BUILD_URL: 'https://jenkins.example/job/release/42/']

    private static final Map<Boolean, Pipeline> SHARED = [:]

    /**
     * A pipeline with fresh state. Compiling the library (and CPS-transforming it) is what costs time, so one
     * helper per variant is kept for the JVM and everything a test can change is reset here.
     */
    static Pipeline fresh(boolean cps) {
        Pipeline p = SHARED[cps]
        if (p == null) {
            p = new Pipeline(cps)
            SHARED[cps] = p
        }
        p.reset()
        return p
    }

    private Pipeline(boolean cps) {
        this.cps = cps
        base = cps ? new CpsBase() : new PlainBase()
        base.scriptRoots = ['src/test/resources/pipelines'] as String[]
        base.scriptExtension = 'jenkins'
        base.setUp()
        base.helper.registerSharedLibrary(library().name(LIBRARY)
                .defaultVersion('local')
                .allowOverride(true)
                .implicit(false)
                .targetPath('not-used')
                .retriever(new ProjectRootLibrary(ProjectRootLibrary.locate()))
                .build())
    }

    void reset() {
        [timeline, stepCalls, inputs, answers, archived, builds, notifications, log, parallelBatches, timeouts,
         inputsOnNode, nodes, resumeFailures].each { it.clear() }
        [stepResults, checkResults, files, agentFiles].each { it.clear() }
        env.clear()
        env.putAll(BUILD_NUMBER: '42', JOB_NAME: 'release', BUILD_URL: 'https://jenkins.example/job/release/42/')
        build.result = null
        build.causes = []
        base.helper.clearCallStack()
        base.binding.variables.clear()
        base.binding.setVariable('currentBuild', build)
        base.binding.setVariable('env', env)
        base.binding.setVariable('params', [:])
        registerJenkinsSteps()
        registerPluginSteps()
        defaultResults()
    }

    /** Runs src/test/resources/pipelines/NAME.jenkins with the given binding variables. */
    Object run(String name, Map variables = [:]) {
        variables.each { k, v -> base.binding.setVariable(k as String, v) }
        return base.runScript(name + '.jenkins')
    }

    /** Runs a pipeline that must fail; returns the error. */
    Throwable runFailing(String name, Map variables = [:]) {
        try {
            run(name, variables)
        } catch (Throwable t) {
            return t
        }
        throw new AssertionError("pipeline ${name} succeeded but should have failed; timeline: ${timeline}")
    }

    /** the timeline without the noise of a given prefix list, or only the given prefixes */
    List<String> only(String... prefixes) {
        return timeline.findAll { e -> prefixes.any { p -> e == p || e.startsWith(p + ':') } }
    }

    List<Map> calls(String step) {
        return stepCalls.findAll { it.step == step }
    }

    Map json(String file) {
        String text = files[file]
        assert text != null: "no file ${file} written; files: ${files.keySet()}"
        return new groovy.json.JsonSlurper().parseText(text) as Map
    }

    private void allow(String name, List<Class> types, Closure body) {
        base.helper.registerAllowedMethod(name, types, body)
    }

    private Object runBody(Closure body) {
        return base.helper.callClosure(body)
    }

    private void registerJenkinsSteps() {
        allow('error', [String]) { String message ->
            timeline << 'error'
            throw new PipelineError(message)
        }
        allow('echo', [String]) { String message -> log << message }
        allow('input', [Map]) { Map args ->
            inputs << args
            inputsOnNode << (env.NODE_NAME != null)
            timeline << "input:${args.id}".toString()
            if (answers.isEmpty()) {
                throw new AssertionError("input '${args.id}' was shown but the test gave no answer: ${args.message}")
            }
            Object answer = answers.remove(0)
            if (answer instanceof Throwable) {
                throw (Throwable) answer
            }
            if (answer instanceof Closure) {
                return ((Closure) answer).call(args)
            }
            return answer
        }
        allow('timeout', [Map, Closure]) { Map args, Closure body ->
            timeouts << args
            return runBody(body)
        }
        allow('node', [String, Closure]) { String label, Closure body -> onNode(label, body) }
        allow('node', [Closure]) { Closure body -> onNode(null, body) }
        allow('unstash', [String]) { String name -> timeline << "unstash:${name}".toString() }
        allow('ws', [String, Closure]) { String dir, Closure body -> inWorkspace(dir, body) }
        allow('stage', [String, Closure]) { String name, Closure body ->
            timeline << "stage:${name}".toString()
            return runBody(body)
        }
        allow('parallel', [Map]) { Map branches ->
            List<String> names = branches.keySet().findAll { it != 'failFast' }.collect { it as String }
            parallelBatches << names
            timeline << "parallel:${names.join(',')}".toString()
            // Jenkins runs the branches concurrently and lets the others finish when one fails; here one after the other
            List<Throwable> failures = []
            names.each { n ->
                try {
                    runBody(branches[n] as Closure)
                } catch (Throwable t) {
                    failures << t
                }
            }
            if (failures) {
                throw failures[0]
            }
            return null
        }
        allow('fileExists', [String]) { String file ->
            stepCalls << [step: 'fileExists', args: [file: file], agent: env.NODE_NAME, workspace: env.WORKSPACE]
            return agentFiles.containsKey(file) || files.containsKey(file)
        }
        allow('readFile', [String]) { String file ->
            String text = agentFiles[file] ?: files[file]
            if (text == null) {
                throw new java.nio.file.NoSuchFileException(file)
            }
            return text
        }
        allow('writeFile', [Map]) { Map args ->
            timeline << "writeFile:${args.file}".toString()
            files[args.file as String] = args.text as String
        }
        allow('archiveArtifacts', [Map]) { Map args ->
            timeline << 'archiveArtifacts'
            archived << args
        }
        allow('build', [Map]) { Map args ->
            timeline << "build:${args.job}".toString()
            builds << args
            return [result: 'SUCCESS', number: 7]
        }
        allow('string', [Map]) { Map args -> [$class: 'StringParameterValue'] + args }
        allow('choice', [Map]) { Map args -> [$class: 'ChoiceParameterDefinition'] + args }
        allow('mail', [Map]) { Map args ->
            timeline << 'mail'
            notifications << [via: 'mail'] + args
        }
        allow('httpRequest', [Map]) { Map args ->
            timeline << 'httpRequest'
            notifications << [via: 'httpRequest'] + args
            return [status: 200]
        }
        // used by the test pipelines' notify closures
        allow('recordNotification', [Map]) { Map event ->
            timeline << "notify:${event.event}".toString()
            notifications << event
        }
        allow('recordCheck', [String]) { String db ->
            timeline << "check:${db}".toString()
            Object r = checkResults[db]
            if (r instanceof Throwable) {
                throw (Throwable) r
            }
            return r == null ? [passed: true, errors: 0] : r
        }
        allow('fail', [String]) { String message -> throw new IllegalStateException(message) }
    }

    private Object onNode(String label, Closure body) {
        timeline << 'node'
        nodes << label
        Map before = [NODE_NAME: env.NODE_NAME, WORKSPACE: env.WORKSPACE]
        env.NODE_NAME = label ?: 'agent-1'
        env.WORKSPACE = "/var/jenkins/workspace/release@${nodes.size()}".toString()
        try {
            return runBody(body)
        } finally {
            restore(before)
        }
    }

    private Object inWorkspace(String dir, Closure body) {
        timeline << "ws:${dir}".toString()
        Map before = [NODE_NAME: env.NODE_NAME, WORKSPACE: env.WORKSPACE]
        env.WORKSPACE = dir
        try {
            return runBody(body)
        } finally {
            restore(before)
        }
    }

    private void restore(Map before) {
        before.each { k, v ->
            if (v == null) {
                env.remove(k)
            } else {
                env[k] = v
            }
        }
    }

    private void registerPluginSteps() {
        PLUGIN_STEPS.each { String step ->
            allow(step, [Map]) { Map args -> pluginStep(step, args) }
        }
        allow('withConsumersPaused', [Map, Closure]) { Map args, Closure body ->
            checkParameters('withConsumersPaused', args)
            String db = args.database ?: args.controller
            timeline << "pause:${db}".toString()
            stepCalls << [step: 'withConsumersPaused', args: args]
            Object r = runBody(body)
            // like the plugin: when the body fails consumers stay paused unless resumeOnFailure
            Throwable resumeFailure = resumeFailures.isEmpty() ? null : resumeFailures.remove(0)
            if (resumeFailure != null) {
                timeline << "resumeFailed:${db}".toString()
                throw resumeFailure
            }
            timeline << "resume:${db}".toString()
            return r
        }
        allow('withAutoDeployFrozen', [Map, Closure]) { Map args, Closure body ->
            timeline << 'freeze'
            stepCalls << [step: 'withAutoDeployFrozen', args: args]
            try {
                return runBody(body)
            } finally {
                timeline << 'unfreeze'
            }
        }
    }

    private static void checkParameters(String step, Map args) {
        List unknown = args.keySet().findAll { !STEP_PARAMETERS[step].contains(it as String) } as List
        if (unknown) {
            throw new IllegalArgumentException("${step} has no parameter(s) ${unknown} (it takes ${STEP_PARAMETERS[step]})")
        }
    }

    private Object pluginStep(String step, Map args) {
        if (STEP_PARAMETERS.containsKey(step)) {
            checkParameters(step, args)
        }
        String db = args.database ?: args.controller ?: args.api ?: args.cluster
        timeline << (db ? "${step}:${db}" : step).toString()
        stepCalls << [step: step, args: args, agent: env.NODE_NAME, workspace: env.WORKSPACE]
        Object r = stepResults[step]
        if (r instanceof Closure) {
            r = ((Closure) r).call(args)
        }
        if (r instanceof Throwable) {
            throw (Throwable) r
        }
        return r == null ? [:] : new LinkedHashMap((Map) r)
    }

    /** A plan that needs a pause, and steps that pass. */
    private void defaultResults() {
        stepResults.migrationPrecheck = { Map args ->
            [database: args.database, passed: true, classification: 'locking', pauseNeeded: true,
             pauseReason: 'ALTER TABLE processed_events takes ACCESS EXCLUSIVE on a written table',
             approvalNeeded: ['breaking change needs an explicit approval'],
             pending: [[version: '7', description: 'add column status to processed_events', classification: 'locking']]]
        }
        stepResults.dbBackup = { Map args ->
            [file: "/backups/${args.database}-42.dump".toString(), sha256: 'ab12', sizeBytes: 2048, verified: true]
        }
        stepResults.flywayMigrate = { Map args -> [initialVersion: '6', finalVersion: '7', applied: [[version: '7']]] }
        stepResults.verifySchema = [passed: true, checks: 3]
        stepResults.smokeTestApi = [passed: true, checks: 2]
        // shaped like the engine's LagCheckResult
        stepResults.checkConsumerLag = [passed: true, outcome: 'DRAINED', reason: 'every group drained',
                                        groups: [[group: 'persistence-service', verdict: 'DRAINED', totalLagAtStart: 420,
                                                  totalLag: 3, windowStart: '2026-11-26T10:00:00Z', windowEnd: '2026-11-26T10:00:20Z']]]
        stepResults.resumeConsumers = [resumed: true]
        stepResults.dbRestore = [restored: true]
    }

    static class PlainBase extends BasePipelineTest {
    }

    static class CpsBase extends BasePipelineTestCPS {
        CpsBase() {
            helper = new StepBoundaryCpsHelper()
        }
    }
}
