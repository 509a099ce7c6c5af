package io.migrationrunbook.window;

import io.migrationrunbook.core.RunbookException;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A recurring maintenance window: on some days of the week, from a local time to another (which may be past
 * midnight: the window then ends the next day), in a time zone. Pure: every question takes the instant to ask about.
 */
public record MaintenanceWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) {

    public MaintenanceWindow {
        if (days == null || days.isEmpty()) {
            throw RunbookException.configuration("A maintenance window needs at least one day (e.g. days: Mon-Fri).");
        }
        if (from == null || to == null || from.equals(to)) {
            throw RunbookException.configuration("A maintenance window needs distinct 'from' and 'to' times (HH:MM).");
        }
        days = Set.copyOf(days);
    }

    /**
     * Parses the plan's notation: {@code days} as "Mon-Fri", "Sat,Sun" or "daily"; times "HH:MM"; an IANA zone id.
     */
    public static MaintenanceWindow parse(String days, String from, String to, String zone) {
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone == null || zone.isBlank() ? "UTC" : zone);
        } catch (Exception e) {
            throw RunbookException.configuration("Unknown time zone '" + zone + "' in the maintenance window: use an IANA id such as Europe/Berlin.");
        }
        return new MaintenanceWindow(parseDays(days), parseTime(from, "from"), parseTime(to, "to"), zoneId);
    }

    static Set<DayOfWeek> parseDays(String text) {
        if (text == null || text.isBlank()) {
            throw RunbookException.configuration("A maintenance window needs 'days' (e.g. Mon-Fri, Sat,Sun or daily).");
        }
        String spec = text.trim().toLowerCase(Locale.ROOT);
        if (spec.equals("daily") || spec.equals("every day") || spec.equals("*")) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : spec.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            String[] range = part.split("-");
            if (range.length == 2) {
                DayOfWeek start = day(range[0]);
                DayOfWeek end = day(range[1]);
                for (DayOfWeek d = start; ; d = d.plus(1)) {
                    days.add(d);
                    if (d == end) {
                        break;
                    }
                }
            } else {
                days.add(day(part));
            }
        }
        return days;
    }

    private static DayOfWeek day(String text) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().toLowerCase(Locale.ROOT).startsWith(text) && text.length() >= 2) {
                return d;
            }
        }
        throw RunbookException.configuration("Unknown day '" + text + "' in the maintenance window: use Mon, Tue, ... Sun, ranges like Mon-Fri, or daily.");
    }

    private static LocalTime parseTime(String text, String field) {
        try {
            return LocalTime.parse(text == null ? "" : text.trim());
        } catch (DateTimeParseException e) {
            throw RunbookException.configuration("The maintenance window's '" + field + "' must be a time HH:MM, got '" + text + "'.");
        }
    }

    private boolean crossesMidnight() {
        return to.isBefore(from);
    }

    /** The occurrence of the window that starts on {@code date} (if that day is a window day). */
    private Occurrence occurrenceStarting(LocalDate date) {
        ZonedDateTime start = ZonedDateTime.of(date, from, zone);
        ZonedDateTime end = ZonedDateTime.of(crossesMidnight() ? date.plusDays(1) : date, to, zone);
        return new Occurrence(start.toInstant(), end.toInstant());
    }

    /** One concrete opening of the window. */
    public record Occurrence(Instant opens, Instant closes) {
        public boolean contains(Instant at) {
            return !at.isBefore(opens) && at.isBefore(closes);
        }
    }

    /** The occurrence open at {@code at}, or null when the window is closed then. */
    public Occurrence openAt(Instant at) {
        LocalDate today = at.atZone(zone).toLocalDate();
        for (LocalDate d : List.of(today.minusDays(1), today)) {
            if (days.contains(d.getDayOfWeek())) {
                Occurrence o = occurrenceStarting(d);
                if (o.contains(at)) {
                    return o;
                }
            }
        }
        return null;
    }

    /** The current occurrence if open, else the next one to open. */
    public Occurrence currentOrNext(Instant at) {
        Occurrence open = openAt(at);
        if (open != null) {
            return open;
        }
        LocalDate d = at.atZone(zone).toLocalDate();
        for (int i = 0; i <= 8; i++) {
            LocalDate candidate = d.plusDays(i);
            if (days.contains(candidate.getDayOfWeek())) {
                Occurrence o = occurrenceStarting(candidate);
                if (o.opens().isAfter(at)) {
                    return o;
                }
            }
        }
        throw new IllegalStateException("unreachable: a window day occurs every week");
    }

    /**
     * Decides whether a run estimated to take {@code estimated} may start at {@code at}: the window must be open and
     * must not close before the estimate ends.
     */
    public WindowCheck check(Instant at, Duration estimated) {
        Occurrence open = openAt(at);
        if (open == null) {
            Occurrence next = currentOrNext(at);
            return new WindowCheck(false, false, next.opens(), next.closes(), Duration.ZERO, estimated,
                    "The maintenance window is closed; it opens at " + next.opens().atZone(zone) + ".");
        }
        Duration remaining = Duration.between(at, open.closes());
        boolean fits = estimated == null || estimated.compareTo(remaining) <= 0;
        String message = fits
                ? "Inside the maintenance window until " + open.closes().atZone(zone) + " (" + remaining.toMinutes() + " min left)."
                : "The estimated duration (" + estimated.toMinutes() + " min) would overrun the window, which closes at "
                        + open.closes().atZone(zone) + " (" + remaining.toMinutes() + " min left). Start in the next window.";
        return new WindowCheck(true, fits, open.opens(), open.closes(), remaining, estimated, message);
    }

    /** The result of a window check: JSON for the report. */
    public record WindowCheck(boolean open, boolean fits, Instant opensAt, Instant closesAt, Duration remaining,
                              Duration estimated, String message) {
        public boolean passed() {
            return open && fits;
        }
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        days.stream().sorted().forEach(d -> names.add(d.name().substring(0, 3)));
        return String.join(",", names) + " " + from + "-" + to + " " + zone;
    }
}
