package io.memring.benchmarks;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/**
 * A Hazelcast member in its own JVM for {@link PeersBenchmark}: loopback only, one member (no
 * multicast, no discovery), no phone-home. Runs until it is terminated (the benchmark's
 * {@link ChildProcess} watchdog sends SIGTERM; Hazelcast's shutdown hook stops the member).
 *
 * <pre>java -cp ... io.memring.benchmarks.HazelcastMember PORT CLUSTER_NAME</pre>
 */
public final class HazelcastMember {
    private HazelcastMember() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("hazelcast.phone.home.enabled", "false");
        System.setProperty("hazelcast.logging.type", "slf4j");
        Config config = new Config();
        config.setClusterName(args[1]);
        config.getNetworkConfig().setPort(Integer.parseInt(args[0])).setPortAutoIncrement(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(false);
        config.setProperty("hazelcast.local.localAddress", "127.0.0.1");
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        System.out.println("READY " + member.getCluster().getLocalMember().getAddress());
        System.out.flush();
        Thread.currentThread().join();
    }
}
