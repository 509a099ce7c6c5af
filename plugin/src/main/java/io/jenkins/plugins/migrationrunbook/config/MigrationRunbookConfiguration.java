package io.jenkins.plugins.migrationrunbook.config;

import hudson.Extension;
import hudson.ExtensionList;
import io.migrationrunbook.core.RunbookException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * What administrators configure once (Manage Jenkins > System, or Configuration as Code under
 * {@code unclassified: migrationRunbook:}): the databases, Kafka clusters, consumer controllers, API targets and
 * freeze presets that pipelines refer to by id. Holds credential ids, never secrets.
 */
@Extension
@Symbol("migrationRunbook")
public class MigrationRunbookConfiguration extends GlobalConfiguration {

    private List<Database> databases = new ArrayList<>();
    private List<KafkaCluster> kafkaClusters = new ArrayList<>();
    private List<ConsumerController> consumerControllers = new ArrayList<>();
    private List<ApiTarget> apiTargets = new ArrayList<>();
    private List<FreezePreset> freezePresets = new ArrayList<>();

    /** Jenkins creates the one instance (and loads what was saved); tests and JCasC go through the setters. */
    public MigrationRunbookConfiguration() {
        load();
    }

    public static MigrationRunbookConfiguration get() {
        return ExtensionList.lookupSingleton(MigrationRunbookConfiguration.class);
    }

    @Override
    public String getDisplayName() {
        return "Migration Runbook";
    }

    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        // lists absent from the submitted form mean "all entries deleted"
        databases = new ArrayList<>();
        kafkaClusters = new ArrayList<>();
        consumerControllers = new ArrayList<>();
        apiTargets = new ArrayList<>();
        freezePresets = new ArrayList<>();
        req.bindJSON(this, json);
        String problem = problem();
        if (problem != null) {
            throw new FormException(problem, "databases");
        }
        save();
        return true;
    }

    /** Duplicate ids and references to unknown clusters; null when consistent. */
    public String problem() {
        for (List<? extends ConfigItem<?>> items : List.of(databases, kafkaClusters, consumerControllers, apiTargets, freezePresets)) {
            Set<String> seen = new HashSet<>();
            for (ConfigItem<?> item : items) {
                String idProblem = Validation.id(item.getId());
                if (idProblem != null) {
                    return idProblem;
                }
                if (!seen.add(item.getId())) {
                    return "The id '" + item.getId() + "' is used twice in the same list: pipelines could not tell them apart.";
                }
            }
        }
        for (ConsumerController c : consumerControllers) {
            if (!c.getCluster().isEmpty() && kafkaClusters.stream().noneMatch(k -> k.getId().equals(c.getCluster()))) {
                return "Consumer controller '" + c.getId() + "' names Kafka cluster '" + c.getCluster()
                        + "', which is not configured.";
            }
        }
        return null;
    }

    public List<Database> getDatabases() {
        return Collections.unmodifiableList(databases);
    }

    @DataBoundSetter
    public void setDatabases(List<Database> databases) {
        this.databases = copy(databases);
        save();
    }

    public List<KafkaCluster> getKafkaClusters() {
        return Collections.unmodifiableList(kafkaClusters);
    }

    @DataBoundSetter
    public void setKafkaClusters(List<KafkaCluster> kafkaClusters) {
        this.kafkaClusters = copy(kafkaClusters);
        save();
    }

    public List<ConsumerController> getConsumerControllers() {
        return Collections.unmodifiableList(consumerControllers);
    }

    @DataBoundSetter
    public void setConsumerControllers(List<ConsumerController> consumerControllers) {
        this.consumerControllers = copy(consumerControllers);
        save();
    }

    public List<ApiTarget> getApiTargets() {
        return Collections.unmodifiableList(apiTargets);
    }

    @DataBoundSetter
    public void setApiTargets(List<ApiTarget> apiTargets) {
        this.apiTargets = copy(apiTargets);
        save();
    }

    public List<FreezePreset> getFreezePresets() {
        return Collections.unmodifiableList(freezePresets);
    }

    @DataBoundSetter
    public void setFreezePresets(List<FreezePreset> freezePresets) {
        this.freezePresets = copy(freezePresets);
        save();
    }

    public Database database(String id) {
        return find(databases, id, "database", "databases");
    }

    public KafkaCluster kafkaCluster(String id) {
        return find(kafkaClusters, id, "Kafka cluster", "Kafka clusters");
    }

    public ConsumerController consumerController(String id) {
        return find(consumerControllers, id, "consumer controller", "consumer controllers");
    }

    public ApiTarget apiTarget(String id) {
        return find(apiTargets, id, "API target", "API targets");
    }

    public FreezePreset freezePreset(String id) {
        return find(freezePresets, id, "freeze preset", "freeze presets");
    }

    private static <T extends ConfigItem<?>> T find(List<T> items, String id, String what, String plural) {
        if (id == null || id.isBlank()) {
            throw RunbookException.configuration("No " + what + " id given: name one of the " + plural
                    + " configured under Manage Jenkins > System > Migration Runbook" + known(items) + ".");
        }
        for (T item : items) {
            if (item.getId().equals(id.trim())) {
                return item;
            }
        }
        throw RunbookException.configuration("Unknown " + what + " '" + id.trim() + "': configure it under Manage Jenkins > "
                + "System > Migration Runbook, or use one of the configured ids" + known(items) + ".");
    }

    private static String known(List<? extends ConfigItem<?>> items) {
        if (items.isEmpty()) {
            return " (none configured yet)";
        }
        List<String> ids = new ArrayList<>();
        for (ConfigItem<?> item : items) {
            ids.add(item.getId());
        }
        return " (" + String.join(", ", ids) + ")";
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? new ArrayList<>() : new ArrayList<>(list);
    }
}
