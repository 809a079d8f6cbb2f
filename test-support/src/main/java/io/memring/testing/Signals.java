package io.memring.testing;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Sends POSIX signals to a process (through {@code kill}, which the JDK has no API for). */
public final class Signals {
    private Signals() {
    }

    /** SIGSTOP: the process keeps its sockets open but stops reading and answering, as a paused VM would. */
    public static void stop(long pid) throws IOException, InterruptedException {
        send("-STOP", pid);
    }

    /** SIGCONT: a stopped process runs again and answers what queued up meanwhile. */
    public static void cont(long pid) throws IOException, InterruptedException {
        send("-CONT", pid);
    }

    /** SIGHUP: memcached (and our node) read their auth file again; our node also its TLS files. */
    public static void hup(long pid) throws IOException, InterruptedException {
        send("-HUP", pid);
    }

    private static void send(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS)) {
            kill.destroyForcibly();
            throw new IOException("kill " + signal + " " + pid + " did not finish");
        }
        if (kill.exitValue() != 0) {
            throw new IOException("kill " + signal + " " + pid + " exited with " + kill.exitValue());
        }
    }
}
