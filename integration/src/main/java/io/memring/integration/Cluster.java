package io.memring.integration;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.testing.NodeProcess;
import io.memring.testing.StockMemcached;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * A few memcached-protocol servers of one kind on 127.0.0.1 ephemeral ports, started by a factory
 * method and stopped by {@link #stop()}: Memring nodes inside this JVM, Memring nodes as their own
 * processes (which can be killed, paused with SIGSTOP and restarted), or stock memcached processes.
 * The one integration fixture of the client's and the provider's tests.
 *
 * <p>Not {@code AutoCloseable} on purpose: JUnit closes AutoCloseable arguments of a parameterized
 * test after each invocation, and clusters are usually shared by a class's parameterized tests.
 */
public final class Cluster {
    private final String name;
    private final List<Member> members = new ArrayList<>();

    private Cluster(String name) {
        this.name = name;
    }

    /** {@code n} Memring nodes in this JVM (one worker thread each). */
    public static Cluster memring(int n) throws InterruptedException {
        Cluster c = new Cluster(n + " memring nodes");
        try {
            for (int i = 0; i < n; i++) {
                c.members.add(new InProcess(0));
            }
        } catch (InterruptedException | RuntimeException e) {
            c.stop();
            throw e;
        }
        return c;
    }

    /** {@code n} Memring nodes, each its own JVM ({@code -Xmx128m}) started from this classpath. */
    public static Cluster memringProcesses(int n, String... serverArgs) throws IOException, InterruptedException {
        Cluster c = new Cluster(n + " memring node processes");
        try {
            for (int i = 0; i < n; i++) {
                c.members.add(new Process(NodeProcess.start(List.of("-Xmx128m"), withOneThread(serverArgs)), List.of("-Xmx128m"), serverArgs));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.stop();
            throw e;
        }
        return c;
    }

    /**
     * {@code n} Memring node processes forming one replicated cluster: ports are chosen first so every
     * node gets the same {@code --peers} list (in start order, as {@link #serverSpec()} lists them) and
     * {@code --replicas replicas}. A {@link #restart} keeps the flags, so the node rejoins empty.
     */
    public static Cluster memringReplicated(int n, String replicas, String... serverArgs) throws IOException, InterruptedException {
        return memringReplicated(freePorts(n), replicas, (i, ports) -> List.of(), serverArgs);
    }

    /** Returns {@code n} distinct free ports on 127.0.0.1 (free when probed; see {@link StockMemcached#freePort()}). */
    public static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        for (int i = 0; i < n; i++) {
            ports[i] = StockMemcached.freePort();
            for (int j = 0; j < i; j++) {
                if (ports[j] == ports[i]) { // freePort may hand out the same port twice before either is bound
                    i--;
                    break;
                }
            }
        }
        return ports;
    }

    /**
     * As {@link #memringReplicated(int, String, String...)} on the given ports, node {@code i}'s JVM
     * also getting {@code jvmArgs.apply(i, ports)} (e.g. {@code -Dmemring.repl.linkVia=...} to route
     * its replication links through a proxy); a {@link #restart} keeps them.
     */
    public static Cluster memringReplicated(int[] ports, String replicas,
                                            java.util.function.BiFunction<Integer, int[], List<String>> jvmArgs,
                                            String... serverArgs) throws IOException, InterruptedException {
        int n = ports.length;
        Cluster c = new Cluster(n + " replicated memring node processes (--replicas " + replicas + ")");
        StringBuilder peers = new StringBuilder();
        for (int p : ports) {
            peers.append(peers.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
        }
        String[] args = Arrays.copyOf(serverArgs, serverArgs.length + 4);
        args[serverArgs.length] = "--peers";
        args[serverArgs.length + 1] = peers.toString();
        args[serverArgs.length + 2] = "--replicas";
        args[serverArgs.length + 3] = replicas;
        try {
            for (int i = 0; i < n; i++) {
                List<String> jvm = new ArrayList<>(List.of("-Xmx128m"));
                jvm.addAll(jvmArgs.apply(i, ports));
                c.members.add(new Process(NodeProcess.start(ports[i], jvm, withOneThread(args)), jvm, args));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.stop();
            throw e;
        }
        return c;
    }

    /** {@code n} stock memcached processes (Debian's package; one thread each). */
    public static Cluster memcached(int n, String... extraArgs) throws IOException, InterruptedException {
        Cluster c = new Cluster(n + " stock memcached nodes");
        try {
            for (int i = 0; i < n; i++) {
                c.members.add(new Memcached(StockMemcached.start(withOneThread(extraArgs)), extraArgs));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.stop();
            throw e;
        }
        return c;
    }

    private static String[] withOneThread(String[] args) {
        if (Arrays.asList(args).contains("-t")) {
            return args;
        }
        String[] out = Arrays.copyOf(args, args.length + 2);
        out[args.length] = "-t";
        out[args.length + 1] = "1";
        return out;
    }

    /** Returns the nodes' addresses, in start order. */
    public List<InetSocketAddress> servers() {
        List<InetSocketAddress> out = new ArrayList<>();
        members.forEach(m -> out.add(new InetSocketAddress("127.0.0.1", m.port())));
        return out;
    }

    /** Returns "127.0.0.1:port,..." as {@code memring.servers} and {@code ClientConfig.servers(String)} take it. */
    public String serverSpec() {
        StringJoiner j = new StringJoiner(",");
        members.forEach(m -> j.add("127.0.0.1:" + m.port()));
        return j.toString();
    }

    public int size() {
        return members.size();
    }

    public InetSocketAddress address(int i) {
        return new InetSocketAddress("127.0.0.1", members.get(i).port());
    }

    /** Stops node {@code i} (a process is killed with SIGKILL); its port stays reserved for {@link #restart}. */
    public void kill(int i) throws InterruptedException {
        members.get(i).kill();
    }

    /** Starts node {@code i} again on its port, empty. */
    public void restart(int i) throws IOException, InterruptedException {
        members.set(i, members.get(i).restart());
    }

    /** SIGSTOP to node {@code i}: its connections stay open, nothing is answered (processes only). */
    public void pause(int i) throws IOException, InterruptedException {
        members.get(i).pause();
    }

    /** SIGCONT to node {@code i}: it answers what queued up while paused. */
    public void resume(int i) throws IOException, InterruptedException {
        members.get(i).resume();
    }

    /** Stops every node. Safe to call more than once. */
    public void stop() {
        members.forEach(Member::close);
    }

    @Override
    public String toString() {
        return name;
    }

    /** One server of the cluster. */
    private interface Member {
        int port();

        void kill() throws InterruptedException;

        Member restart() throws IOException, InterruptedException;

        default void pause() throws IOException, InterruptedException {
            throw new UnsupportedOperationException("an in-process node cannot be paused; use memringProcesses");
        }

        default void resume() throws IOException, InterruptedException {
            throw new UnsupportedOperationException("an in-process node cannot be paused; use memringProcesses");
        }

        void close();
    }

    private static final class InProcess implements Member {
        private final MemringServer server;
        private final int port;

        InProcess(int port) throws InterruptedException {
            this.server = MemringServer.start(ServerConfig.defaults().withPort(port).withWorkerThreads(1));
            this.port = server.port();
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public void kill() {
            server.close();
        }

        @Override
        public Member restart() throws InterruptedException {
            return new InProcess(port);
        }

        @Override
        public void close() {
            server.close();
        }
    }

    private static final class Process implements Member {
        private final NodeProcess node;
        private final List<String> jvmArgs;
        private final String[] args;

        Process(NodeProcess node, List<String> jvmArgs, String[] args) {
            this.node = node;
            this.jvmArgs = jvmArgs;
            this.args = args;
        }

        @Override
        public int port() {
            return node.port;
        }

        @Override
        public void kill() throws InterruptedException {
            node.kill();
        }

        @Override
        public Member restart() throws IOException, InterruptedException {
            node.close();
            return new Process(NodeProcess.start(node.port, jvmArgs, withOneThread(args)), jvmArgs, args);
        }

        @Override
        public void pause() throws IOException, InterruptedException {
            node.pause();
        }

        @Override
        public void resume() throws IOException, InterruptedException {
            node.resume();
        }

        @Override
        public void close() {
            node.close();
        }
    }

    private static final class Memcached implements Member {
        private final StockMemcached memcached;
        private final String[] args;

        Memcached(StockMemcached memcached, String[] args) {
            this.memcached = memcached;
            this.args = args;
        }

        @Override
        public int port() {
            return memcached.port;
        }

        @Override
        public void kill() {
            memcached.close();
        }

        @Override
        public Member restart() throws IOException, InterruptedException {
            memcached.close();
            return new Memcached(StockMemcached.start(memcached.port, withOneThread(args)), args);
        }

        @Override
        public void pause() throws IOException, InterruptedException {
            memcached.pause();
        }

        @Override
        public void resume() throws IOException, InterruptedException {
            memcached.resume();
        }

        @Override
        public void close() {
            memcached.close();
        }
    }
}
