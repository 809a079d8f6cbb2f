package io.memring.client.security;

import java.util.Objects;

/**
 * A user name and password for memcached's ASCII authentication ({@code -Y}): sent as the data of a
 * {@code set} before anything else on every connection. {@link #toString()} never shows the password,
 * and no message this client writes contains it.
 */
public final class Credentials {
    private final String user;
    private final String password;

    private Credentials(String user, String password) {
        this.user = user;
        this.password = password;
    }

    /**
     * Returns credentials for {@code user}. The user may not be empty or contain spaces or control
     * characters, the password may not be empty or contain control characters (memcached's auth file
     * holds one {@code user:password} per line, and the data line is {@code user password}).
     */
    public static Credentials of(String user, String password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.isEmpty() || user.chars().anyMatch(c -> c <= ' ' || c == ':' || c == 127)) {
            throw new IllegalArgumentException("auth user must be non-empty, without spaces, ':' or control characters");
        }
        if (password.isEmpty() || password.chars().anyMatch(c -> c < ' ' || c == 127)) {
            // the message must not echo the password
            throw new IllegalArgumentException("auth password for user " + user + " must be non-empty, without control characters");
        }
        return new Credentials(user, password);
    }

    public String user() {
        return user;
    }

    /** Returns the password; for the connection handshake only. */
    public String password() {
        return password;
    }

    /** Returns the {@code set} data memcached expects: {@code user password}. */
    byte[] authData() {
        return (user + " " + password).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c && c.user.equals(user) && c.password.equals(password);
    }

    @Override
    public int hashCode() {
        return user.hashCode();
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=****]";
    }
}
