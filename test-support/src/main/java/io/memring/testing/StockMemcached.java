package io.memring.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A stock memcached process (Debian's package, installed by {@code .ci/run}) on an ephemeral loopback
 * port, stopped by {@link #close()}. Tests that compare against memcached fail, not skip, without it.
 */
public final class StockMemcached implements AutoCloseable {
    private final Process process;
    public final int port;

    private StockMemcached(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static String binary() {
        for (String candidate : new String[] {"/usr/bin/memcached", "/usr/local/bin/memcached"}) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        throw new IllegalStateException("memcached is not installed: run `apt-get install -y memcached` (.ci/run does)");
    }

    public static StockMemcached start(String... extraArgs) throws IOException, InterruptedException {
        return start(freePort(), extraArgs);
    }

    /** Starts memcached on a given port (to restart one where it was). */
    public static StockMemcached start(int port, String... extraArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary(), "-p", String.valueOf(port), "-l", "127.0.0.1", "-U", "0", "-u", "root"));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        StockMemcached m = new StockMemcached(p, port);
        m.awaitListening(Duration.ofSeconds(10));
        return m;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitListening(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("memcached exited with " + process.exitValue());
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        close();
        throw new IOException("memcached did not listen on " + port);
    }

    public long pid() {
        return process.pid();
    }

    /** SIGSTOP: memcached keeps its connections but answers nothing until {@link #resume()}. */
    public void pause() throws IOException, InterruptedException {
        Signals.stop(process.pid());
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() throws IOException, InterruptedException {
        Signals.cont(process.pid());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                Signals.cont(process.pid()); // a stopped process would not handle SIGTERM
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
