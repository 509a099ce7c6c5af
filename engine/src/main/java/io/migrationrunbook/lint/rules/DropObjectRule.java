package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The shared check of the ban-drop-view/function/type/sequence/trigger rules: DROP of an object that running code
 * may use. An object created earlier in the same file is not reported (nobody uses it yet); one dropped and created
 * again later in the same transaction (the usual way to change a view or a function's signature) is reported as a
 * warning, since readers see the new definition at commit and only break if it lost what they use.
 */
abstract class DropObjectRule extends BaseRule {

    private final Set<String> dropTypes;

    DropObjectRule(String id, Severity severity, String lock, String why, String alternative, List<String> squawk,
                   Set<String> dropTypes) {
        super(id, severity, lock, why, alternative, squawk, List.of());
        this.dropTypes = dropTypes;
    }

    /** True when {@code s} creates an object of the kind this rule's DROPs remove. */
    abstract boolean creates(ParsedStatement s);

    /** What else the drop does (CASCADE), for the message; empty when nothing. */
    String cascade(ParsedStatement drop) {
        return "";
    }

    /** A CREATE matches a DROP when it names the same object (and, for triggers, the same table). */
    boolean sameObject(ParsedStatement create, ParsedStatement drop, String name) {
        return create.names().stream().anyMatch(n -> bare(n).equals(bare(name)));
    }

    @Override
    public void check(ParsedStatement s, RuleContext context) {
        if (s.kind() != StatementKind.DROP || !dropTypes.contains(s.objectType())) {
            return;
        }
        List<ParsedStatement> all = context.migration().allStatements();
        int at = indexOf(all, s);
        List<String> dropped = new ArrayList<>();
        List<Integer> recreatedAt = new ArrayList<>();
        for (String name : s.names()) {
            if (context.isNewObject(s.objectType(), name, s.table())) {
                continue; // created earlier in this file: nobody uses it yet
            }
            dropped.add(name);
            ParsedStatement again = createdAfter(all, at + 1, s, name);
            if (again != null && context.inTransaction(s) && context.inTransaction(again)) {
                recreatedAt.add(again.line());
            }
        }
        if (dropped.isEmpty()) {
            return;
        }
        String noun = s.objectType().toLowerCase(Locale.ROOT);
        if (recreatedAt.size() == dropped.size()) {
            context.report(this, s, Severity.WARNING, capitalized(noun) + " " + String.join(", ", dropped)
                    + " is dropped and created again (line " + recreatedAt.get(0) + ") in the same transaction: running "
                    + "code sees the new definition at commit; check that it keeps what they use (columns, signature)"
                    + cascade(s) + ".");
        } else {
            context.report(this, s, "Dropping " + noun + " " + String.join(", ", dropped)
                    + (s.has("CASCADE") ? " with CASCADE" : "") + " breaks the running code that uses it" + cascade(s) + ".");
        }
    }

    private ParsedStatement createdAfter(List<ParsedStatement> all, int from, ParsedStatement drop, String name) {
        for (int k = from; k < all.size(); k++) {
            ParsedStatement c = all.get(k);
            if (creates(c) && sameObject(c, drop, name)) {
                return c;
            }
        }
        return null;
    }

    private static int indexOf(List<ParsedStatement> all, ParsedStatement s) {
        for (int k = 0; k < all.size(); k++) {
            if (all.get(k) == s) {
                return k;
            }
        }
        return all.size();
    }

    static String bare(String name) {
        if (name == null) {
            return "";
        }
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
