package io.migrationrunbook.window;

import io.migrationrunbook.core.Progress;
import io.migrationrunbook.core.RunbookException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaintenanceWindowTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    // Tuesday-to-Friday nights, 22:00 to 02:00 Berlin time
    private final MaintenanceWindow nights = MaintenanceWindow.parse("Tue-Fri", "22:00", "02:00", "Europe/Berlin");

    private static Instant berlin(String localDateTime) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), BERLIN).toInstant();
    }

    @Test
    void parsesRangesListsAndDaily() {
        assertThat(MaintenanceWindow.parseDays("Mon-Fri")).containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.TUESDAY,
                DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);
        assertThat(MaintenanceWindow.parseDays("sat, sun")).containsExactlyInAnyOrder(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        assertThat(MaintenanceWindow.parseDays("Fri-Mon")).hasSize(4).contains(DayOfWeek.SUNDAY);
        assertThat(MaintenanceWindow.parseDays("daily")).hasSize(7);
    }

    @Test
    void badInputNamesTheFieldAndTheFix() {
        assertThatThrownBy(() -> MaintenanceWindow.parse("Funday", "22:00", "02:00", "UTC"))
                .isInstanceOf(RunbookException.class).hasMessageContaining("Unknown day 'funday'").hasMessageContaining("Mon-Fri");
        assertThatThrownBy(() -> MaintenanceWindow.parse("Mon", "25:00", "02:00", "UTC")).hasMessageContaining("'from' must be a time HH:MM");
        assertThatThrownBy(() -> MaintenanceWindow.parse("Mon", "22:00", "02:00", "Mars/Olympus")).hasMessageContaining("IANA");
        assertThatThrownBy(() -> MaintenanceWindow.parse("Mon", "22:00", "22:00", "UTC")).hasMessageContaining("distinct");
    }

    @Test
    void aWindowPastMidnightBelongsToTheDayItStarted() {
        // Tuesday 23:00 and Wednesday 01:30 are in Tuesday's window; Tuesday 01:30 belongs to Monday, not a window day
        assertThat(nights.openAt(berlin("2026-11-24T23:00"))).isNotNull();
        assertThat(nights.openAt(berlin("2026-11-25T01:30"))).isNotNull();
        assertThat(nights.openAt(berlin("2026-11-24T01:30"))).isNull();
        // Saturday 01:00 is the tail of Friday's window
        assertThat(nights.openAt(berlin("2026-11-28T01:00"))).isNotNull();
        assertThat(nights.openAt(berlin("2026-11-28T02:00"))).isNull();
    }

    @Test
    void aRunThatWouldOverrunTheWindowIsRefused() {
        MaintenanceWindow.WindowCheck fits = nights.check(berlin("2026-11-24T23:00"), Duration.ofMinutes(90));
        assertThat(fits.passed()).isTrue();
        assertThat(fits.remaining()).isEqualTo(Duration.ofHours(3));

        MaintenanceWindow.WindowCheck overruns = nights.check(berlin("2026-11-25T01:00"), Duration.ofMinutes(90));
        assertThat(overruns.open()).isTrue();
        assertThat(overruns.fits()).isFalse();
        assertThat(overruns.message()).contains("would overrun").contains("60 min left");
    }

    @Test
    void aClosedWindowSaysWhenItOpensAcrossTheWeekend() {
        MaintenanceWindow.WindowCheck closed = nights.check(berlin("2026-11-28T12:00"), Duration.ofMinutes(10));
        assertThat(closed.open()).isFalse();
        assertThat(closed.opensAt()).isEqualTo(berlin("2026-12-01T22:00")); // next Tuesday
    }

    @Test
    void theGateWaitsForTheWindowToOpenWhenAllowedAndRefusesOtherwise() {
        Instant[] now = {berlin("2026-11-24T21:30")};
        Clock clock = new Clock() {
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return now[0];
            }
        };
        List<Duration> slept = new ArrayList<>();
        WindowGate gate = new WindowGate(clock, d -> {
            slept.add(d);
            now[0] = now[0].plus(d);
        });
        assertThatThrownBy(() -> gate.await(nights, Duration.ofMinutes(30), Duration.ZERO, Progress.silent()))
                .hasMessageContaining("closed");
        MaintenanceWindow.WindowCheck check = gate.await(nights, Duration.ofMinutes(30), Duration.ofHours(1), Progress.silent());
        assertThat(check.passed()).isTrue();
        assertThat(slept).singleElement().satisfies(d -> assertThat(d.toMinutes()).isEqualTo(30));
        now[0] = berlin("2026-11-24T12:00");
        assertThatThrownBy(() -> gate.await(nights, Duration.ofMinutes(30), Duration.ofHours(1), Progress.silent()))
                .hasMessageContaining("later than the maximum wait");
    }
}
