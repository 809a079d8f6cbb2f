package io.memring.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server process a benchmark starts (redis-server, a Memring node, a Hazelcast member) that cannot
 * outlive it: the command runs under {@code sh}, which waits for its own stdin to close (this JVM
 * closing it, or dying) and then terminates the server. A benchmark JVM killed by JMH or by hand thus
 * leaves no server behind.
 */
final class ChildProcess implements AutoCloseable {
    private final String name;
    private final Process shell;

    private ChildProcess(String name, Process shell) {
        this.name = name;
        this.shell = shell;
    }

    /** Starts {@code command} (output discarded unless {@code log} is set) under the stdin watchdog. */
    static ChildProcess start(String name, List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c",
                "\"$@\" </dev/null & p=$!; cat >/dev/null; kill $p 2>/dev/null; wait $p", name));
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(Boolean.getBoolean("peers.childOutput") ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD)
                .start();
        return new ChildProcess(name, p);
    }

    /** Fails fast if the server already exited (a bad flag, a missing binary). */
    void checkAlive() {
        if (!shell.isAlive()) {
            throw new IllegalStateException(name + " exited with " + shell.exitValue() + " (rerun with -Dpeers.childOutput=true)");
        }
    }

    @Override
    public void close() throws Exception {
        try {
            shell.getOutputStream().close();
        } catch (IOException ignored) {
            // the shell is gone already
        }
        if (!shell.waitFor(15, TimeUnit.SECONDS)) {
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
            shell.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
