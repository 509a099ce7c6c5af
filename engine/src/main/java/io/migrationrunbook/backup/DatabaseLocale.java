package io.migrationrunbook.backup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

/**
 * A database's encoding and locale as {@code pg_database} records them. pg_dump does not carry them in the archive
 * (only {@code pg_dump --create} would, and restore creates the database itself), so a restore into a new database
 * would otherwise take the server's defaults: text sorts differently, and characters the source's encoding allows
 * may not fit. Backup records them in the sidecar; restore creates the database from template0 with them.
 *
 * @param encoding       e.g. {@code UTF8}, {@code LATIN1} ({@code pg_encoding_to_char(encoding)})
 * @param lcCollate      {@code datcollate}, e.g. {@code en_US.UTF-8} or {@code C}
 * @param lcCtype        {@code datctype}
 * @param localeProvider {@code libc}, {@code icu} (PostgreSQL 15+) or {@code builtin} (17+); null before 15 (libc)
 * @param providerLocale the ICU locale ({@code daticulocale}, 15-16) or the ICU/builtin locale ({@code datlocale}, 17+);
 *                       null for libc
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatabaseLocale(String encoding, String lcCollate, String lcCtype, String localeProvider, String providerLocale) {

    /** {@code pg_database.datlocprovider}'s one-letter code as the name CREATE DATABASE takes. */
    static String providerName(String code) {
        if (code == null) {
            return null;
        }
        return switch (code) {
            case "c" -> "libc";
            case "i" -> "icu";
            case "b" -> "builtin";
            default -> code;
        };
    }

    /**
     * The options of {@code CREATE DATABASE} that give a new database this encoding and locale, every value a quoted
     * literal. {@code serverMajor} decides whether the locale provider may be named: before PostgreSQL 15 only libc
     * exists, and naming it is a syntax error.
     */
    String createDatabaseOptions(int serverMajor) {
        List<String> options = new ArrayList<>();
        if (encoding != null) {
            options.add("ENCODING " + literal(encoding));
        }
        if (lcCollate != null) {
            options.add("LC_COLLATE " + literal(lcCollate));
        }
        if (lcCtype != null) {
            options.add("LC_CTYPE " + literal(lcCtype));
        }
        String provider = localeProvider == null ? "libc" : localeProvider;
        if (!"libc".equals(provider)) {
            if (serverMajor < 15 || ("builtin".equals(provider) && serverMajor < 17)) {
                throw io.migrationrunbook.core.RunbookException.environment("The backed-up database uses the " + provider
                        + " locale provider (locale " + providerLocale + "), which this PostgreSQL " + serverMajor
                        + " server cannot create: restore onto a PostgreSQL " + ("builtin".equals(provider) ? 17 : 15)
                        + " or newer server.");
            }
            options.add("LOCALE_PROVIDER " + ("icu".equals(provider) ? "icu" : "builtin"));
            if (providerLocale != null) {
                options.add(("icu".equals(provider) ? "ICU_LOCALE " : "BUILTIN_LOCALE ") + literal(providerLocale));
            }
        } else if (serverMajor >= 15 && localeProvider != null) {
            options.add("LOCALE_PROVIDER libc");
        }
        return String.join(" ", options);
    }

    /** A SQL string literal: quotes doubled; with a backslash, an E'' literal with backslashes doubled (safe whatever standard_conforming_strings says). */
    static String literal(String value) {
        String quoted = value.replace("'", "''");
        if (value.indexOf('\\') >= 0) {
            return "E'" + quoted.replace("\\", "\\\\") + "'";
        }
        return "'" + quoted + "'";
    }

    @Override
    public String toString() {
        return "encoding " + encoding + ", LC_COLLATE " + lcCollate + ", LC_CTYPE " + lcCtype
                + (localeProvider == null || "libc".equals(localeProvider) ? "" : ", " + localeProvider + " locale " + providerLocale);
    }
}
