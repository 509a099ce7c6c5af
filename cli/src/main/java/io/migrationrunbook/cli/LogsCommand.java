package io.migrationrunbook.cli;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import io.migrationrunbook.core.Secret;
import io.migrationrunbook.logs.LogSearchResult;
import io.migrationrunbook.logs.SplunkLogSearch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** {@code runbook logs}: "monitor logs in Splunk for errors" since the migration started, against a threshold. */
@Command(name = "logs", description = "Count log errors in Splunk since the migration started; fail above a threshold.")
public class LogsCommand extends EngineCommand {

    @Option(names = "--splunk-url", required = true, description = "Splunk management URL, e.g. https://splunk:8089")
    String splunkUrl;

    @Option(names = "--query", required = true, description = "Search, e.g. 'index=app level=ERROR'")
    String query;

    @Option(names = "--since", required = true, description = "Start of the range: ISO-8601 instant, or a duration ago (e.g. 15m).")
    String since;

    @Option(names = "--max-errors", defaultValue = "0", description = "Most matching events allowed (default ${DEFAULT-VALUE}).")
    long maxErrors;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Splunk authentication token (otherwise SPLUNK_TOKEN).")
    Path tokenFile;

    @Option(names = "--samples", defaultValue = "5", description = "Matching lines to show (default ${DEFAULT-VALUE}).")
    int samples;

    @Override
    protected Outcome run(Progress progress) {
        Secret token = tokenFile != null ? Secret.fromFile(tokenFile) : Secret.fromEnvironment("SPLUNK_TOKEN");
        Instant from = parseSince(since);
        SplunkLogSearch search = SplunkLogSearch.withToken(splunkUrl, token);
        progress.report("Searching %s for `%s` since %s ...", search.describe(), query, from);
        LogSearchResult.Verdict verdict = search.search(query, from, Instant.now(), samples).within(maxErrors);
        StringBuilder human = new StringBuilder(verdict.message());
        verdict.result().samples().forEach(line -> human.append("\n  ").append(line));
        return Outcome.of(verdict, verdict.passed(), human.toString());
    }

    static Instant parseSince(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                Duration ago = io.migrationrunbook.core.Durations.parse(text);
                return Instant.now().minus(ago);
            } catch (RunbookException e) {
                throw RunbookException.configuration("--since must be an ISO-8601 instant (2026-11-26T10:00:00Z) or a duration ago (15m), got '" + text + "'.");
            }
        }
    }
}
