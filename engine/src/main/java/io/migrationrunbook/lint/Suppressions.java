package io.migrationrunbook.lint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Suppression comments of one file:
 * <ul>
 *   <li>{@code -- runbook:allow <rule-id>[,<rule-id>] <reason>}: the next statement; the reason is required</li>
 *   <li>{@code -- squawk-ignore <rule>[,<rule>]}: the next statement (Squawk names or our ids)</li>
 *   <li>{@code -- squawk-ignore-file [<rule>,...]}: the whole file (every rule when none is named)</li>
 *   <li>{@code -- atlas:nolint [<code> ...]}: the next statement (Atlas codes or our ids; every rule when none)</li>
 * </ul>
 */
final class Suppressions {

    private static final Pattern ALLOW = Pattern.compile("runbook:allow(?:\\s+([^\\s]+))?(?:\\s+(.*))?");
    private static final Pattern SQUAWK = Pattern.compile("squawk-ignore(-file)?(?:\\s+(.*))?");
    private static final Pattern ATLAS = Pattern.compile("atlas:nolint(?:\\s+(.*))?");

    /** One directive: which rules (empty = all), by what, with what reason. */
    record Directive(String by, Set<String> rules, String reason) {
        boolean covers(LintRule rule) {
            if (rules.isEmpty()) {
                return true;
            }
            if (rules.contains(rule.id())) {
                return true;
            }
            for (String name : rule.squawk()) {
                if (rules.contains(name.toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
            for (String code : rule.atlas()) {
                if (rules.contains(code.toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Map<Integer, List<Directive>> byStatement = new HashMap<>();
    /** Directives written inside a DO block's body, in front of one of its statements. */
    private final Map<SqlStatement, List<Directive>> inDoBlock = new java.util.IdentityHashMap<>();
    private final List<Directive> fileWide = new ArrayList<>();
    private final List<Finding> problems = new ArrayList<>();

    static Suppressions of(Migration migration, LintRule invalidRule, Map<String, LintRule> rules) {
        Suppressions s = new Suppressions();
        for (Token comment : migration.comments()) {
            String text = commentText(comment);
            Matcher m = SQUAWK.matcher(text);
            if (m.lookingAt() && m.group(1) != null) {
                s.fileWide.add(new Directive("squawk-ignore-file", names(m.group(2)), null));
            }
        }
        for (ParsedStatement st : migration.allStatements()) {
            for (Token comment : st.statement().leadingComments()) {
                String text = commentText(comment);
                Matcher allow = ALLOW.matcher(text);
                Matcher squawk = SQUAWK.matcher(text);
                Matcher atlas = ATLAS.matcher(text);
                if (allow.lookingAt()) {
                    Set<String> ids = names(allow.group(1));
                    String reason = allow.group(2) == null ? "" : allow.group(2).trim();
                    List<String> unknown = ids.stream().filter(id -> !rules.containsKey(id)).toList();
                    if (ids.isEmpty() || reason.isEmpty()) {
                        s.problem(migration, invalidRule, comment, st, "'-- runbook:allow' needs a rule id and a reason "
                                + "(-- runbook:allow <rule-id> <why this is safe here>); this one is ignored.");
                    } else if (!unknown.isEmpty()) {
                        s.problem(migration, invalidRule, comment, st, "'-- runbook:allow' names unknown rule "
                                + String.join(", ", unknown) + "; see docs/lint.md for the rule ids. It is ignored.");
                    } else {
                        s.add(st, new Directive("runbook:allow", ids, reason));
                    }
                } else if (squawk.lookingAt() && squawk.group(1) == null) {
                    s.add(st, new Directive("squawk-ignore", names(squawk.group(2)), null));
                } else if (atlas.lookingAt()) {
                    s.add(st, new Directive("atlas:nolint", names(atlas.group(1)), null));
                }
            }
        }
        return s;
    }

    private void add(ParsedStatement st, Directive directive) {
        if (st.statement().inDoBlock()) {
            inDoBlock.computeIfAbsent(st.statement(), k -> new ArrayList<>()).add(directive);
        } else {
            byStatement.computeIfAbsent(st.statement().index(), k -> new ArrayList<>()).add(directive);
        }
    }

    private void problem(Migration migration, LintRule rule, Token comment, ParsedStatement st, String message) {
        problems.add(new Finding(migration.path(), comment.line(), rule.id(), rule.severity(), message, rule.lock(), rule.why(),
                rule.alternative(), st.statement().summary()));
    }

    /** The directive that silences {@code finding} of {@code rule}, or null. */
    Directive find(Finding finding, LintRule rule, ParsedStatement statement) {
        for (Directive d : fileWide) {
            if (d.covers(rule)) {
                return d;
            }
        }
        if (statement != null) {
            // a statement of a DO block shares its DO's index: a directive in front of the DO covers the whole block
            for (Directive d : byStatement.getOrDefault(statement.statement().index(), List.of())) {
                if (d.covers(rule)) {
                    return d;
                }
            }
            for (SqlStatement s = statement.statement(); s != null && s.inDoBlock(); s = s.enclosing()) {
                for (Directive d : inDoBlock.getOrDefault(s, List.of())) {
                    if (d.covers(rule)) {
                        return d;
                    }
                }
            }
        }
        return null;
    }

    List<Finding> problems() {
        return problems;
    }

    private static String commentText(Token comment) {
        String text = comment.text();
        if (text.startsWith("--")) {
            text = text.substring(2);
        } else if (text.startsWith("/*")) {
            text = text.substring(2, text.endsWith("*/") ? text.length() - 2 : text.length());
        }
        return text.trim();
    }

    private static Set<String> names(String list) {
        Set<String> names = new LinkedHashSet<>();
        if (list == null) {
            return names;
        }
        for (String n : list.split("[,\\s]+")) {
            if (!n.isBlank()) {
                names.add(n.trim().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
