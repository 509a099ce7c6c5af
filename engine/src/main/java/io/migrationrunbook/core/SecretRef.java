package io.migrationrunbook.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.nio.file.Path;

/**
 * Where a secret lives, never the secret itself: an environment variable or a file. Configuration files and
 * persisted state hold these references, so they can be stored, logged and shown; the value is read only by
 * {@link #resolve(String)} at the moment a client needs it.
 *
 * @param env  name of an environment variable holding the value
 * @param file path of a file holding the value (trailing newlines are not part of it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretRef(String env, String file) {

    public SecretRef {
        if ((env == null) == (file == null)) {
            throw RunbookException.configuration("A secret reference names exactly one of 'env' (an environment variable) "
                    + "or 'file' (a secret file), never a literal value.");
        }
    }

    public static SecretRef env(String variable) {
        return new SecretRef(variable, null);
    }

    public static SecretRef file(String path) {
        return new SecretRef(null, path);
    }

    /** Reads the value now; {@code key} names the configuration key in the error when it is missing. */
    public Secret resolve(String key) {
        if (env != null) {
            Secret secret = Secret.fromEnvironment(env);
            if (secret == null) {
                throw RunbookException.configuration(key + ": the environment variable " + env
                        + " is not set or empty. Export it before running, or point '" + key + "' at a secret file.");
            }
            return secret;
        }
        return Secret.fromFile(Path.of(file));
    }

    @JsonIgnore
    public String describe() {
        return env != null ? "env " + env : "file " + file;
    }
}
