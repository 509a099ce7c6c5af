package io.jenkins.plugins.migrationrunbook;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Descriptor;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.Test;

/**
 * The snippet generator and the configuration page need a config.jelly per describable whose fields all have getters
 * (Jenkins reads the current value through them) and a help file per field.
 */
class FormsAndHelpTest {

    static final Pattern FIELD = Pattern.compile("<f:(?:entry|repeatableProperty)[^>]*field=\"([A-Za-z]+)\"");

    static String resource(Class<?> type, String name) throws Exception {
        String path = type.getName().replace('.', '/') + "/" + name;
        try (InputStream in = type.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<Class<?>> describables() throws Exception {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> c : StandInsTest.pluginClassesOfType(Step.class)) {
            out.add(c);
        }
        for (Class<?> d : StandInsTest.pluginClassesOfType(Descriptor.class)) {
            Class<?> outer = d.getEnclosingClass();
            out.add(outer == null ? d : outer);
        }
        return out;
    }

    @Test
    void everyFormFieldHasAGetterAndAHelpFile() throws Exception {
        List<Class<?>> all = describables();
        assertThat(all).hasSizeGreaterThanOrEqualTo(13 + 6);
        for (Class<?> c : all) {
            String jelly = resource(c, "config.jelly");
            assertThat(jelly).as(c.getName() + "/config.jelly").isNotNull();
            assertThat(jelly).startsWith("<?jelly escape-by-default='true'?>");
            Matcher m = FIELD.matcher(jelly);
            while (m.find()) {
                String field = m.group(1);
                String cap = Character.toUpperCase(field.charAt(0)) + field.substring(1);
                boolean getter = false;
                for (Method method : c.getMethods()) {
                    if (method.getParameterCount() == 0 && (method.getName().equals("get" + cap) || method.getName().equals("is" + cap))) {
                        getter = true;
                    }
                }
                assertThat(getter).as(c.getSimpleName() + " getter for " + field).isTrue();
                if (Step.class.isAssignableFrom(c) || !jelly.contains("repeatableProperty")) {
                    assertThat(resource(c, "help-" + field + ".html")).as(c.getSimpleName() + " help-" + field + ".html").isNotNull();
                }
            }
            if (Step.class.isAssignableFrom(c)) {
                assertThat(resource(c, "help.html")).as(c.getSimpleName() + " help.html").isNotNull();
            }
        }
    }

    @Test
    void everyCredentialsFieldIsADropDownFilledForAdministratorsOnly() throws Exception {
        Pattern credentialsEntry = Pattern.compile("<f:entry field=\"([A-Za-z]*[cC]redentialsId)\"[^>]*>\\s*<([a-z]:[a-z]+)/>");
        List<String> seen = new ArrayList<>();
        for (Class<?> d : StandInsTest.pluginClassesOfType(Descriptor.class)) {
            Class<?> item = d.getEnclosingClass();
            if (item == null) {
                continue;
            }
            Matcher m = credentialsEntry.matcher(resource(item, "config.jelly"));
            while (m.find()) {
                String field = m.group(1);
                seen.add(item.getSimpleName() + "." + field);
                assertThat(m.group(2)).as(item.getSimpleName() + "." + field + ": the credentials plugin's select").isEqualTo("c:select");
                String fill = "doFill" + Character.toUpperCase(field.charAt(0)) + field.substring(1) + "Items";
                Method method = d.getMethod(fill, String.class);
                assertThat(method.getReturnType()).isEqualTo(hudson.util.ListBoxModel.class);
                assertThat(method.isAnnotationPresent(org.kohsuke.stapler.verb.POST.class)).as(fill + " @POST").isTrue();
                // Stapler binds the current value by the parameter's name (compiled with -parameters)
                assertThat(method.getParameters()[0].getName()).as(fill + " parameter").isEqualTo(field);
                assertThat(method.getParameters()[0].isAnnotationPresent(org.kohsuke.stapler.QueryParameter.class)).isTrue();
            }
        }
        assertThat(seen).containsExactlyInAnyOrder("Database.credentialsId", "KafkaCluster.saslCredentialsId",
                "KafkaCluster.truststorePasswordCredentialsId", "ConsumerController.credentialsId", "ApiTarget.credentialsId");
    }

    @Test
    void runPageActionsHaveAView() throws Exception {
        assertThat(resource(io.jenkins.plugins.migrationrunbook.freeze.FreezeRecord.class, "index.jelly")).contains("Still to re-enable");
        assertThat(resource(io.jenkins.plugins.migrationrunbook.consumers.ConsumersLeftPausedAction.class, "index.jelly"))
                .contains("still paused");
    }
}
