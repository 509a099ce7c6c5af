package io.migrationrunbook.bench;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table printed with the machine it was measured on (load average as of printing). */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    public Table row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(String.valueOf(cell));
        }
        rows.add(row);
        return this;
    }

    public Table note(String format, Object... args) {
        notes.add(String.format(format, args));
        return this;
    }

    public void print() {
        System.out.println();
        System.out.println("| " + String.join(" | ", headers) + " |");
        System.out.println("|" + "---|".repeat(headers.size()));
        rows.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
        System.out.println();
        notes.forEach(System.out::println);
        System.out.println(Machine.describe().line());
    }

    /** Milliseconds with one decimal below 10 ms. */
    public static String ms(double millis) {
        return millis < 10 ? String.format("%.1f ms", millis) : String.format("%.0f ms", millis);
    }
}
