package io.memring.jcache.serialization;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Java-serialized bytes of the kinds an attacker who can write to a node would plant. */
public final class HostileBytes {

    private HostileBytes() {
    }

    /** Counts every construction and deserialization, to show a refused class never ran. */
    public static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        public static final AtomicInteger RAN = new AtomicInteger();
        private final String command;

        public Gadget(String command) {
            this.command = command;
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            RAN.incrementAndGet();
            in.defaultReadObject();
        }

        @Override
        public String toString() {
            return "Gadget(" + command + ")";
        }
    }

    /** Returns the Java serialization of {@code o}. */
    public static byte[] java(Object o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Object arrays nested {@code depth} deep. */
    public static byte[] nestedArrays(int depth) {
        Object o = new Object[0];
        for (int i = 0; i < depth; i++) {
            o = new Object[] {o};
        }
        return java(o);
    }

    /**
     * "SerialDOS": {@code levels} of HashSets, each holding the same two sets of the next level, so the
     * stream is a few bytes per level but rebuilding it hashes 2^levels sets.
     */
    public static byte[] sharedNestedSets(int levels) {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < levels; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("t1"); // t1 and t2 must differ to both fit in a set
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return java(root);
    }

    /** A 4-byte byte[] whose length header claims {@code Integer.MAX_VALUE} elements. */
    public static byte[] hugeArrayHeader() {
        byte[] b = java(new byte[] {1, 2, 3, 4});
        ByteBuffer.wrap(b).putInt(b.length - 8, Integer.MAX_VALUE);
        return b;
    }

    /** An ArrayList whose size field claims {@code Integer.MAX_VALUE} elements (ArrayList asks the filter first). */
    public static byte[] hugeListSize() {
        java.util.ArrayList<Integer> list = new java.util.ArrayList<>(java.util.List.of(7));
        byte[] b = java(list);
        // ArrayList writes its size as a field and again in its block data; the field comes first
        int at = indexOf(b, new byte[] {0, 0, 0, 1});
        ByteBuffer.wrap(b).putInt(at, Integer.MAX_VALUE);
        return b;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }
}
