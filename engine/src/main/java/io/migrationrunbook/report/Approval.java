package io.migrationrunbook.report;

import java.time.Instant;

/** A human decision at a gate: who approved what, and when. */
public record Approval(String gate, String approver, Instant at, String decision) {
}
