package io.migrationrunbook.precheck;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The guide's "the migration has a descriptive name": a Flyway description (the part after {@code __}, underscores
 * read as spaces) must say what changes. Rejects template leftovers and placeholders ("describe your schema change",
 * "fix", "wip", "update", "test", "changes" ...) and descriptions shorter than {@code minWords} words or
 * {@code minLength} characters. Configurable: {@code --reject-description} adds descriptions, {@code --min-description-words}.
 *
 * @param rejected     whole descriptions that say nothing (compared lower case, separators as single spaces)
 * @param minWords     fewest words (default 2: "add_email" passes, "fix" does not)
 * @param minLength    fewest characters (default 6)
 */
public record DescriptionRule(Set<String> rejected, int minWords, int minLength) {

    public static final List<String> DEFAULT_REJECTED = List.of("describe your schema change", "describe your change",
            "description", "fix", "fixes", "hotfix", "wip", "update", "updates", "test", "tests", "testing", "changes", "change",
            "migration", "new migration", "my migration", "temp", "tmp", "todo", "misc", "stuff", "untitled", "changes to schema",
            "schema change", "schema changes", "db changes", "database changes", "fix schema", "update schema", "small fix", "minor fix");

    public DescriptionRule {
        rejected = rejected.stream().map(DescriptionRule::normalise).collect(Collectors.toUnmodifiableSet());
    }

    public static DescriptionRule defaults() {
        return new DescriptionRule(Set.copyOf(DEFAULT_REJECTED), 2, 6);
    }

    /** More descriptions to reject ({@code --reject-description}), besides the defaults. */
    public DescriptionRule withRejectedDescriptions(List<String> more) {
        java.util.HashSet<String> all = new java.util.HashSet<>(rejected);
        all.addAll(more);
        return new DescriptionRule(all, minWords, minLength);
    }

    public DescriptionRule withMinWords(int value) {
        return new DescriptionRule(rejected, value, minLength);
    }

    /** Why the description is not descriptive, or null when it is. */
    public String problem(String description) {
        String text = normalise(description == null ? "" : description);
        if (text.isEmpty()) {
            return "has no description";
        }
        if (rejected.contains(text)) {
            return "description \"" + text + "\" is a placeholder";
        }
        // "fix_2", "wip 3", "update-v2": a placeholder with a number says no more
        String withoutNumbers = normalise(text.replaceAll("\\bv?\\d+\\b", " "));
        if (!withoutNumbers.equals(text) && (withoutNumbers.isEmpty() || rejected.contains(withoutNumbers))) {
            return "description \"" + text + "\" is a placeholder";
        }
        long words = Arrays.stream(text.split(" ")).filter(w -> !w.isEmpty()).count();
        if (words < minWords || text.length() < minLength) {
            return "description \"" + text + "\" is too short (" + words + " word(s); at least " + minWords + " words and "
                    + minLength + " characters)";
        }
        return null;
    }

    static String normalise(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[_\\-.\\s]+", " ").trim();
    }
}
