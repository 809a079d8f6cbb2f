package io.memring.server.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * memcached's {@code -Y/--auth-file}: lines of {@code user:password} (the user ends at the first colon, the
 * password at the end of the line; a {@code \r} before the newline is not part of it). A line without a colon
 * is malformed and refuses the file, as memcached does. Unlike memcached, which silently keeps only the first
 * 8 entries, up to {@value #MAX_ENTRIES} are read and more is an error; blank lines are skipped. Immutable;
 * {@link #check} compares in constant time over every entry, so its timing tells nothing about which users exist.
 */
public final class AuthFile {
    static final int MAX_ENTRIES = 1024;
    /** memcached's MAX_ENTRY_LEN: a longer line is refused rather than split. */
    static final int MAX_LINE = 256;

    private record Entry(byte[] user, byte[] password) {
    }

    private final Path path;
    private final List<Entry> entries;

    private AuthFile(Path path, List<Entry> entries) {
        this.path = path;
        this.entries = entries;
    }

    /** Reads {@code file}; IllegalArgumentException (with the line number) when it is malformed, IOException when unreadable. */
    public static AuthFile load(Path file) throws IOException {
        if (Files.size(file) > (long) MAX_ENTRIES * (MAX_LINE + 1)) {
            throw new IllegalArgumentException("auth file " + file + " is too large (at most " + MAX_ENTRIES + " lines)");
        }
        byte[] bytes = Files.readAllBytes(file);
        List<Entry> entries = new ArrayList<>();
        int lineNo = 0;
        int start = 0;
        while (start < bytes.length) {
            lineNo++;
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            int next = end + 1;
            if (end > start && bytes[end - 1] == '\r') {
                end--;
            }
            if (end - start >= MAX_LINE) {
                throw new IllegalArgumentException("auth file " + file + " line " + lineNo + " is over " + (MAX_LINE - 1) + " bytes");
            }
            if (end > start) {
                int colon = -1;
                for (int i = start; i < end; i++) {
                    if (bytes[i] == ':') {
                        colon = i;
                        break;
                    }
                }
                if (colon < 0) {
                    throw new IllegalArgumentException("auth file " + file + " line " + lineNo + " is malformed (no user:password)");
                }
                if (entries.size() == MAX_ENTRIES) {
                    throw new IllegalArgumentException("auth file " + file + " has more than " + MAX_ENTRIES + " entries");
                }
                entries.add(new Entry(java.util.Arrays.copyOfRange(bytes, start, colon), java.util.Arrays.copyOfRange(bytes, colon + 1, end)));
            }
            start = next;
        }
        return new AuthFile(file, List.copyOf(entries));
    }

    public Path path() {
        return path;
    }

    /** Returns the number of user:password entries. */
    public int size() {
        return entries.size();
    }

    /** Returns whether {@code user} and {@code password} match an entry exactly. */
    public boolean check(byte[] user, byte[] password) {
        boolean match = false;
        for (Entry e : entries) {
            // both compared every time (no short-circuit): the time taken does not depend on which part differs
            boolean u = MessageDigest.isEqual(user, e.user);
            boolean p = MessageDigest.isEqual(password, e.password);
            match |= u & p;
        }
        return match;
    }

    /** Returns whether the strings (US-ASCII/UTF-8 bytes) match an entry. */
    public boolean check(String user, String password) {
        return check(user.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
    }
}
