package io.memring.samples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the sample as a user would (here on the embedded node) and checks what it prints. */
class PlainJavaSampleIT {

    @Test
    void sample_runsAndReportsSharedAtomicAndExpiringEntries() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            PlainJavaSample.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains(
                "visits of /home after 10 increments: 10",
                "the other instance reads /home = 10",
                "the first instance reads /about = 7",
                "session right away: alice",
                "session after 700 ms: null",
                "entries in visits: 2",
                "done");
    }
}
