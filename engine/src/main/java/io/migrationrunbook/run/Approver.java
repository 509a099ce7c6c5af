package io.migrationrunbook.run;

import io.migrationrunbook.report.Approval;

/**
 * A human gate: shown what is about to happen, a person approves (an {@link Approval} naming who) or refuses (null).
 * The CLI asks on the terminal or takes {@code --approve-as NAME}; Jenkins uses input steps.
 */
@FunctionalInterface
public interface Approver {

    Approval approve(String gate, String summary);

    static Approver refuseAll() {
        return (gate, summary) -> null;
    }
}
