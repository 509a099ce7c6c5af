package io.migrationrunbook.consumers;

import io.migrationrunbook.core.SecretRef;

/**
 * The {@code auth} of a controller that speaks HTTP ({@code http}, {@code kafka-connect}): basic (username and password)
 * or bearer (token). Holds a secret reference only; {@link HttpEndpoint} resolves it when the controller is created.
 *
 * @param type       "basic" or "bearer"
 * @param username   the basic user, null for bearer
 * @param credential the password (basic) or token (bearer)
 */
public record HttpAuth(String type, String username, SecretRef credential) {

    /** Parses {@code auth: {type: basic, username, password}} or {@code {type: bearer, token}}; null when absent. */
    static HttpAuth parse(ConfigNode node, String name) {
        ConfigNode auth = node.optionalObject(name);
        if (auth == null) {
            return null;
        }
        String type = auth.oneOf("type", null, "basic", "bearer");
        boolean basic = type.equals("basic");
        if (basic) {
            auth.allowOnly("type", "username", "password");
        } else {
            auth.allowOnly("type", "token");
        }
        String username = basic ? auth.string("username") : null;
        String secretKey = basic ? "password" : "token";
        SecretRef credential = auth.secret(secretKey);
        if (credential == null) {
            throw auth.error(auth.path() + "." + secretKey + " is missing: give {env: VARIABLE} or {file: PATH}.");
        }
        return new HttpAuth(type, username, credential);
    }
}
