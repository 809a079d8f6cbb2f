package io.memring.testing;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Our node as a separate JVM (for process-memory and kill tests), stopped by {@link #close()}. */
public final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final File log;
    public final int port;

    private NodeProcess(Process process, File log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Returns what the node printed so far. */
    public String output() throws IOException {
        return Files.readString(log.toPath());
    }

    public static NodeProcess start(List<String> jvmArgs, String... serverArgs) throws IOException, InterruptedException {
        return start(StockMemcached.freePort(), jvmArgs, serverArgs);
    }

    /** Starts a node on a given port (to restart one where it was). */
    public static NodeProcess start(int port, List<String> jvmArgs, String... serverArgs) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.memring.server.cli.ServerMain",
                "-p", String.valueOf(port)));
        cmd.addAll(List.of(serverArgs));
        return startCommand(cmd, port);
    }

    /**
     * Starts a node as users do, through the launcher script ({@code remote-server/bin/memring-server}),
     * so it runs with the shipped JVM settings; {@code serverArgs} are the node's flags. The script
     * execs java, so {@link #pid()} is the JVM's.
     */
    public static NodeProcess launch(Path launcher, String... serverArgs) throws IOException, InterruptedException {
        int port = StockMemcached.freePort();
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "-l", "127.0.0.1", "-p", String.valueOf(port)));
        cmd.addAll(List.of(serverArgs));
        return startCommand(cmd, port);
    }

    private static NodeProcess startCommand(List<String> cmd, int port) throws IOException, InterruptedException {
        File log = Files.createTempFile("memring-node", ".log").toFile();
        log.deleteOnExit();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        NodeProcess node = new NodeProcess(p, log, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("node exited: " + Files.readString(log.toPath()));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return node;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        node.close();
        throw new IOException("node did not start: " + Files.readString(log.toPath()));
    }

    public long pid() {
        return process.pid();
    }

    /** Returns the resident set size in bytes, from /proc. */
    public static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    /** SIGSTOP: the node keeps its connections but answers nothing until {@link #resume()}. */
    public void pause() throws IOException, InterruptedException {
        Signals.stop(process.pid());
    }

    /** SIGCONT after {@link #pause()}: the node answers what queued up meanwhile. */
    public void resume() throws IOException, InterruptedException {
        Signals.cont(process.pid());
    }

    /** SIGKILL: the process dies without closing anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then wait; returns the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }

    /** Stops the process (resuming it first if it was paused, so SIGTERM is handled). */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                Signals.cont(process.pid());
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                return;
            }
            try {
                terminate();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
