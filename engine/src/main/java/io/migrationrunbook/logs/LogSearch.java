package io.migrationrunbook.logs;

import java.time.Instant;

/** A log store that can count the events matching a query in a time range (Splunk; others can plug in). */
public interface LogSearch {

    LogSearchResult search(String query, Instant from, Instant to, int maxSamples);

    /** Where the search went, for messages (never credentials). */
    String describe();
}
