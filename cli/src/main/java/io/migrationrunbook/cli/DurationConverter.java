package io.migrationrunbook.cli;

import io.migrationrunbook.core.Durations;
import picocli.CommandLine.ITypeConverter;

import java.time.Duration;

/** Lets options be declared as {@link Duration} and written as {@code 500ms}, {@code 30s}, {@code 5m}. */
public class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return Durations.parse(value);
    }
}
