package io.migrationrunbook.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.migrationrunbook.core.Json;
import io.migrationrunbook.core.RunbookException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Reads a plan file strictly: an unknown or misspelt key is an error that names it, before anything runs. */
public final class PlanLoader {

    private PlanLoader() {
    }

    public static RunPlan load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw RunbookException.configuration("The plan file " + file + " does not exist: pass --plan FILE (YAML).");
        }
        RunPlan plan;
        try {
            plan = Json.yaml().readerFor(RunPlan.class)
                    .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(file.toFile());
        } catch (UnrecognizedPropertyException e) {
            throw RunbookException.configuration("Unknown key '" + path(e) + "' in the plan " + file + ". Known keys here: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ".");
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause() instanceof RunbookException ? e.getCause() : null;
            if (cause != null) {
                throw RunbookException.configuration("In the plan " + file + " at '" + path(e) + "': " + cause.getMessage());
            }
            throw RunbookException.configuration("The plan " + file + " is not valid at '" + path(e) + "': " + e.getOriginalMessage());
        } catch (IOException e) {
            throw RunbookException.configuration("Cannot read the plan " + file + ": " + e.getMessage());
        }
        if (plan == null) {
            throw RunbookException.configuration("The plan " + file + " is empty.");
        }
        validate(plan);
        return plan;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    static void validate(RunPlan plan) {
        if (plan.database() == null || plan.database().url() == null || plan.database().user() == null) {
            throw RunbookException.configuration("The plan needs database.url and database.user.");
        }
        if (plan.migrations() == null || plan.migrations().locations() == null || plan.migrations().locations().isEmpty()) {
            throw RunbookException.configuration("The plan needs migrations.locations (e.g. [filesystem:db/migration]).");
        }
        if (plan.consumers() != null && plan.consumers().pause() != null
                && !java.util.Set.of("auto", "always", "never").contains(plan.consumers().pause())) {
            throw RunbookException.configuration("consumers.pause must be auto, always or never, got '" + plan.consumers().pause() + "'.");
        }
    }
}
