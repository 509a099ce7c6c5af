package io.migrationrunbook.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --name=value} options and benchmark names from the command line. */
public record Options(Map<String, String> values, List<String> names) {

    static final String HELP = """
            --quick (smaller sizes everywhere, for a loaded machine)
              --hold-seconds=30 (writer-stall: how long the lock is held)   --writers=4
              --backup-mb=500 (quick: 100)   --rounds=3
              --tables=200,2000,20000 (quick: 200,2000)
              --lint-files=1000 (>= 5,000 statements)
              --fleet=50 --fleet-parallelism=4""";

    public static Options parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                values.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
            } else {
                names.add(arg);
            }
        }
        return new Options(values, names);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public boolean quick() {
        return has("quick");
    }

    /** The option's value, else the quick default on --quick, else the full default. */
    public int integer(String name, int full, int quick) {
        String value = values.get(name);
        return value != null ? Integer.parseInt(value) : quick() ? quick : full;
    }

    public String text(String name, String full, String quick) {
        String value = values.get(name);
        return value != null ? value : quick() ? quick : full;
    }
}
