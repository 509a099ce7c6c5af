package io.migrationrunbook.embedded;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: one real Kafka broker for the whole test JVM, injected as a {@link KafkaBroker} parameter. Tests
 * isolate themselves with their own topic and group names.
 */
public final class KafkaExtension implements ParameterResolver {

    private static volatile KafkaBroker shared;

    public static synchronized KafkaBroker broker() {
        if (shared == null) {
            KafkaBroker broker = KafkaBroker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "runbook-test-kafka-stop"));
            shared = broker;
        }
        return shared;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return broker();
    }
}
