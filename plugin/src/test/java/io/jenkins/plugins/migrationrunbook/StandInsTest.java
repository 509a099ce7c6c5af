package io.jenkins.plugins.migrationrunbook;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.Extension;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import jenkins.model.GlobalConfiguration;
import net.java.sezpoz.Index;
import net.java.sezpoz.IndexItem;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;

/**
 * Guards the offline build: every plugin class compiled here must be registered as Jenkins would find it (the SezPoz
 * index the real jenkins-core build also writes), and no stand-in class may end up in the plugin's output.
 */
class StandInsTest {

    static final Set<String> STEP_NAMES = Set.of("migrationPrecheck", "dbBackup", "flywayMigrate", "verifySchema",
            "pauseConsumers", "resumeConsumers", "checkConsumerLag", "smokeTestApi", "dbRestore", "freezeAutoDeploy",
            "unfreezeAutoDeploy", "withConsumersPaused", "withAutoDeployFrozen");

    static Path pluginClasses() throws URISyntaxException {
        return Path.of(MigrationRunbookPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    public static List<Class<?>> pluginClassesOfType(Class<?> type) throws Exception {
        Path root = pluginClasses();
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, StandInsTest.class.getClassLoader());
                if (type.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    static Set<String> indexedExtensions() {
        Set<String> names = new TreeSet<>();
        for (IndexItem<Extension, Object> item : Index.load(Extension.class, Object.class, StandInsTest.class.getClassLoader())) {
            names.add(item.className());
        }
        return names;
    }

    @Test
    void everyStepDescriptorIsAnIndexedExtensionWithItsSymbol() throws Exception {
        List<Class<?>> descriptors = pluginClassesOfType(StepDescriptor.class);
        Set<String> indexed = indexedExtensions();
        Set<String> functionNames = new TreeSet<>();
        for (Class<?> d : descriptors) {
            assertThat(indexed).as(d.getName() + " must carry @Extension").contains(d.getName());
            StepDescriptor descriptor = (StepDescriptor) d.getDeclaredConstructor().newInstance();
            functionNames.add(descriptor.getFunctionName());
            Symbol symbol = d.getAnnotation(Symbol.class);
            assertThat(symbol).as(d.getName() + " @Symbol").isNotNull();
            assertThat(symbol.value()).containsExactly(descriptor.getFunctionName());
        }
        assertThat(functionNames).isEqualTo(new TreeSet<>(STEP_NAMES));
    }

    @Test
    void globalConfigurationAndItsItemDescriptorsAreIndexedWithSymbols() throws Exception {
        Set<String> indexed = indexedExtensions();
        for (Class<?> c : pluginClassesOfType(hudson.model.Descriptor.class)) {
            assertThat(indexed).as(c.getName() + " must carry @Extension").contains(c.getName());
            assertThat(c.getAnnotation(Symbol.class)).as(c.getName() + " @Symbol").isNotNull();
        }
        List<Class<?>> configs = pluginClassesOfType(GlobalConfiguration.class);
        assertThat(configs).hasSize(1);
        assertThat(configs.get(0).getAnnotation(Symbol.class).value()).containsExactly("migrationRunbook");
    }

    @Test
    void offlineOutputHoldsNoJenkinsClasses() throws Exception {
        Path root = pluginClasses();
        for (String pkg : List.of("hudson", "jenkins", "org/jenkinsci", "org/kohsuke", "com/cloudbees", "net/sf")) {
            assertThat(Files.exists(root.resolve(pkg))).as(pkg + " in " + root).isFalse();
        }
    }

    @Test
    void standInsStayMinimal() throws IOException, URISyntaxException {
        Path location = Path.of(Extension.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        // `mvn test` puts the stand-ins' classes directory on the class path, `mvn verify` their jar: read both
        try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location)) {
            Path standIns = jar == null ? location : jar.getPath("/");
            long count;
            try (Stream<Path> files = Files.walk(standIns)) {
                count = files.filter(p -> p.toString().endsWith(".class") && !p.toString().contains("$")).count();
            }
            // Types that only the JenkinsRule tests reach through methods of stand-in classes the plugin uses (compiled by
            // plugin-jenkinsrule-compile); they must sit here, not in jenkins-test-stand-ins, because those methods do.
            List<String> forJenkinsRuleTestsOnly = List.of("hudson/security/SecurityRealm.class", "hudson/security/AuthorizationStrategy.class",
                    "hudson/model/queue/QueueTaskFuture.class", "com/cloudbees/plugins/credentials/CredentialsStore.class",
                    "com/cloudbees/plugins/credentials/domains/Domain.class");
            for (String c : forJenkinsRuleTestsOnly) {
                assertThat(standIns.resolve(c)).exists();
            }
            assertThat(count).as("stand-in classes found in " + location).isGreaterThan(forJenkinsRuleTestsOnly.size());
            // exactly the API the plugin uses; grow this number only together with a new use in plugin/src/main
            assertThat(count - forJenkinsRuleTestsOnly.size()).isLessThanOrEqualTo(60);
        }
    }
}
