package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.AlterAction;
import io.migrationrunbook.lint.LintRule;
import io.migrationrunbook.lint.ParsedStatement;
import io.migrationrunbook.lint.RuleContext;
import io.migrationrunbook.lint.Severity;
import io.migrationrunbook.lint.StatementKind;

import java.util.List;

/** Holds a rule's metadata so each rule class is only its check. */
abstract class BaseRule implements LintRule {

    private final String id;
    private final Severity severity;
    private final String lock;
    private final String why;
    private final String alternative;
    private final List<String> squawk;
    private final List<String> atlas;

    BaseRule(String id, Severity severity, String lock, String why, String alternative, List<String> squawk, List<String> atlas) {
        this.id = id;
        this.severity = severity;
        this.lock = lock;
        this.why = why;
        this.alternative = alternative;
        this.squawk = squawk;
        this.atlas = atlas;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Severity severity() {
        return severity;
    }

    @Override
    public String lock() {
        return lock;
    }

    @Override
    public String why() {
        return why;
    }

    @Override
    public String alternative() {
        return alternative;
    }

    @Override
    public List<String> squawk() {
        return squawk;
    }

    @Override
    public List<String> atlas() {
        return atlas;
    }

    /** ALTER TABLE actions of {@code type} on a table that already exists (others block nobody). */
    static List<AlterAction> actionsOnExisting(ParsedStatement s, RuleContext context, AlterAction.Type type) {
        if (s.kind() != StatementKind.ALTER_TABLE || !context.isExistingTable(s.table())) {
            return List.of();
        }
        return s.actions().stream().filter(a -> a.type() == type).toList();
    }
}
