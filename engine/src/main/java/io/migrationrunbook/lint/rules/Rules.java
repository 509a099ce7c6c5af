package io.migrationrunbook.lint.rules;

import io.migrationrunbook.lint.LintRule;

import java.util.List;

/** Every rule, in the order docs/lint.md lists them. */
public final class Rules {

    private static final List<LintRule> ALL = List.of(
            new RewritingAddColumn(),
            new AddingRequiredField(),
            new SettingNotNull(),
            new ConstraintMissingNotValid(),
            new DisallowedUniqueConstraint(),
            new RequireConcurrentIndexCreation(),
            new RequireConcurrentIndexDeletion(),
            new ConcurrentIndexInTransaction(),
            new ChangingColumnType(),
            new RenamingColumn(),
            new RenamingTable(),
            new BanDropColumn(),
            new BanDropTable(),
            new BanDropSchema(),
            new BanDropDatabase(),
            new BanDropView(),
            new BanDropFunction(),
            new BanDropType(),
            new BanDropSequence(),
            new BanDropTrigger(),
            new BanTruncate(),
            new MixedDdlDml(),
            new BackfillWithoutWhere(),
            new LargeBackfill(),
            new RewritingMaintenance(),
            new RequireConcurrentReindex(),
            new RequireConcurrentDetachPartition(),
            new TransactionNesting(),
            new RequireLockTimeout(),
            new UnparsedStatement(),
            new UnresolvedPlaceholder(),
            new InvalidSuppression());

    private Rules() {
    }

    public static List<LintRule> all() {
        return ALL;
    }

    public static LintRule byId(String id) {
        return ALL.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    }
}
