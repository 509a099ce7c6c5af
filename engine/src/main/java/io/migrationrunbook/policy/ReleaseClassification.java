package io.migrationrunbook.policy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The release (every pending migration together).
 *
 * @param classes            union of the migrations' classes
 * @param consumersMustPause some change affects the write path; false means the pause can be skipped (window zero)
 * @param pauseReasons       the changes that need the pause, as "file:line reason"
 * @param migrations         per migration
 */
public record ReleaseClassification(Set<ChangeClass> classes, boolean consumersMustPause, List<String> pauseReasons,
                                    List<MigrationClassification> migrations) {

    public static ReleaseClassification of(List<MigrationClassification> migrations) {
        Set<ChangeClass> classes = EnumSet.noneOf(ChangeClass.class);
        List<String> reasons = new ArrayList<>();
        for (MigrationClassification m : migrations) {
            classes.addAll(m.classes());
            for (ClassifiedChange c : m.changes()) {
                if (c.needsPause()) {
                    reasons.add(c.file() + ":" + c.line() + " " + c.reason());
                }
            }
        }
        return new ReleaseClassification(classes.isEmpty() ? Set.of() : EnumSet.copyOf(classes), !reasons.isEmpty(),
                List.copyOf(reasons), List.copyOf(migrations));
    }

    public boolean has(ChangeClass changeClass) {
        return classes.contains(changeClass);
    }
}
