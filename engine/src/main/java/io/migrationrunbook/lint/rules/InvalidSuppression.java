package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.Severity;

import java.util.List;

/** A {@code -- runbook:allow} comment without a reason or with an unknown rule id (it is ignored). Reported by the linter. */
public final class InvalidSuppression extends BaseRule {

    public static final String ID = "invalid-suppression";

    public InvalidSuppression() {
        super(ID, Severity.WARNING, "none",
                "A waiver without a reason cannot be reviewed; a misspelt rule id silences nothing.",
                "Write -- runbook:allow <rule-id> <why this is safe here>, with a rule id from docs/lint.md.",
                List.of(), List.of());
    }
}
