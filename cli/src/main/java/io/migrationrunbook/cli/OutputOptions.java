package io.migrationrunbook.cli;

import picocli.CommandLine.Option;

/** {@code --json}: exactly one JSON object on stdout; human progress always goes to stderr. */
public class OutputOptions {

    @Option(names = "--json", description = "Print the result as one JSON object on stdout.")
    boolean json;

    public boolean json() {
        return json;
    }
}
