package io.migrationrunbook.policy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The classification of one migration file.
 *
 * @param file               the file
 * @param version            its Flyway version, or null
 * @param classes            union of its changes' classes (empty: nothing schema-relevant, e.g. grants only)
 * @param consumersMustPause some change affects the write path of an existing table
 * @param changes            the statements that decided it
 */
public record MigrationClassification(String file, String version, Set<ChangeClass> classes, boolean consumersMustPause,
                                      List<ClassifiedChange> changes) {

    public static MigrationClassification of(String file, String version, List<ClassifiedChange> changes) {
        Set<ChangeClass> classes = EnumSet.noneOf(ChangeClass.class);
        boolean pause = false;
        for (ClassifiedChange change : changes) {
            classes.addAll(change.classes());
            pause |= change.needsPause();
        }
        return new MigrationClassification(file, version, Set.copyOf(classes).isEmpty() ? Set.of() : EnumSet.copyOf(classes),
                pause, List.copyOf(changes));
    }
}
