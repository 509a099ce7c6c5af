package io.migrationrunbook.cli;

import io.migrationrunbook.consumers.HumanGate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Asks the person at the terminal (manual controllers): the request goes to stderr, the answer is read from stdin.
 * Only "yes" confirms; end of input (a pipeline with no terminal) refuses, so nothing is assumed done.
 */
final class TerminalHumanGate implements HumanGate {

    private final BufferedReader in;
    private final PrintWriter err;

    TerminalHumanGate(InputStream in, PrintWriter err) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.err = err;
    }

    @Override
    public boolean confirm(String request) {
        err.println(request);
        err.print("Type 'yes' when done (anything else aborts): ");
        err.flush();
        try {
            String answer = in.readLine();
            if (answer == null) {
                err.println();
                err.println("No answer (end of input): not confirmed.");
                err.flush();
                return false;
            }
            return answer.trim().equalsIgnoreCase("yes");
        } catch (IOException e) {
            return false;
        }
    }
}
