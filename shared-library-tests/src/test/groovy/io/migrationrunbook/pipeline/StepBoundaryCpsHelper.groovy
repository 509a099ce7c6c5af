package io.migrationrunbook.pipeline

import com.cloudbees.groovy.cps.Continuation
import com.cloudbees.groovy.cps.Envs
import com.cloudbees.groovy.cps.Next
import com.cloudbees.groovy.cps.impl.CpsCallableInvocation
import com.lesfurets.jenkins.unit.cps.PipelineTestHelperCPS

/**
 * Runs CPS-transformed code step by step like PipelineTestHelperCPS, but checks serializability where Jenkins
 * needs it: whenever the program calls a pipeline step (a registered method), the state of every running frame
 * (the closure bodies of node/parallel/timeout..., and the library's own methods) is serialized and read back.
 *
 * The stock helper serializes at every interpreter step, which costs seconds per test, and runs the library's
 * own methods (a var calling one of its helpers) to completion without any check. Here both are stepped, and a
 * non-serializable local held across a step fails the test wherever it lives.
 */
class StepBoundaryCpsHelper extends PipelineTestHelperCPS {

    /** the interpreter states of the frames running now, outermost first */
    private final List<Next> running = []

    int serializationChecks = 0

    @Override
    Object callClosure(Closure closure, Object[] args = null) {
        try {
            if (!args) {
                return closure.call()
            } else if (args.size() > closure.maximumNumberOfParameters) {
                return closure.call(args)
            } else {
                return closure.call(*args)
            }
        } catch (CpsCallableInvocation e) {
            return interpret(e.invoke(Envs.empty(), null, Continuation.HALT))
        }
    }

    @Override
    protected Object callMethod(MetaMethod method, Object delegate, Object[] args) {
        try {
            return method.doMethodInvoke(delegate, args)
        } catch (CpsCallableInvocation e) {
            return interpret(e.invoke(null, null, Continuation.HALT))
        }
    }

    @Override
    protected Object runScriptInternal(Script script) {
        try {
            return script.run()
        } catch (CpsCallableInvocation e) {
            return interpret(e.invoke(null, null, Continuation.HALT))
        }
    }

    private Object interpret(Next first) {
        int frame = running.size()
        running.add(first)
        try {
            Next next = first
            while (next.yield == null) {
                running.set(frame, next)
                next = next.step()
            }
            return next.yield.replay()
        } finally {
            running.remove(frame)
        }
    }

    @Override
    protected void registerMethodCall(Object target, int stackDepth, String name, Object... args) {
        super.registerMethodCall(target, stackDepth, name, args)
        if (!running.isEmpty() && isMethodAllowed(name, args)) {
            checkSerializable(name)
        }
    }

    private void checkSerializable(String step) {
        serializationChecks++
        List envs = running.collect { it.e }
        try {
            roundtripSerialization(envs)
        } catch (Throwable t) {
            throw new AssertionError("program state is not serializable when calling ${step}: ${t}", t)
        }
    }
}
