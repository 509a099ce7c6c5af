package io.jenkins.plugins.migrationrunbook.freeze;

import java.util.regex.Pattern;

/**
 * A job full name or a glob over full names: {@code *} matches within one folder level, {@code **} any number of
 * levels (including none), {@code ?} one character. {@code deploy/*} is every job directly in folder deploy;
 * {@code **}{@code /auto-deploy} is every job named auto-deploy at any depth.
 */
public final class JobPattern {

    private final String text;
    private final Pattern regex;

    private JobPattern(String text) {
        this.text = text;
        this.regex = Pattern.compile(toRegex(text));
    }

    public static JobPattern of(String text) {
        String problem = problem(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new JobPattern(text.trim());
    }

    /** Why {@code text} is not a usable pattern, or null. */
    public static String problem(String text) {
        if (text == null || text.isBlank()) {
            return "An empty job name cannot be frozen.";
        }
        String t = text.trim();
        if (t.startsWith("/") || t.endsWith("/") || t.contains("//")) {
            return "'" + t + "' is not a job full name: write folder/job without leading or trailing '/'.";
        }
        if (t.equals("**") || t.equals("*")) {
            return "'" + t + "' would freeze every job on the controller: name the auto-deploy jobs or their folder.";
        }
        return null;
    }

    public boolean isGlob() {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
    }

    public boolean matches(String fullName) {
        return regex.matcher(fullName).matches();
    }

    public String text() {
        return text;
    }

    static String toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                boolean slashAfter = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                boolean atStart = i == 0 || glob.charAt(i - 1) == '/';
                if (atStart && slashAfter) {
                    re.append("(?:[^/]+/)*"); // "**/" : zero or more folder levels
                    i += 3;
                } else {
                    re.append(".*");
                    i += 2;
                }
            } else if (c == '*') {
                re.append("[^/]*");
                i++;
            } else if (c == '?') {
                re.append("[^/]");
                i++;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return re.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
