package io.memring.server.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program we did not write (a Debian package's binary) with a bound on time; the process never outlives the call. */
record ExternalTool(String binary, String debianPackage) {

    /** What a finished run left: its exit code and its merged stdout and stderr. */
    record Result(int exitCode, String output) {}

    /** Runs the tool with {@code args}; fails if the binary is missing or the run exceeds {@code timeout}. */
    Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        if (!new File(binary).canExecute()) {
            throw new IllegalStateException(binary + " is missing: apt-get install -y " + debianPackage + " (.ci/run does)");
        }
        List<String> cmd = new java.util.ArrayList<>(List.of(binary));
        cmd.addAll(List.of(args));
        File output = File.createTempFile("external-tool", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output).start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(binary + " did not finish within " + timeout + "; output so far:\n" + read(output));
            }
            return new Result(p.exitValue(), read(output));
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            output.delete();
        }
    }

    private static String read(File f) throws IOException {
        return java.nio.file.Files.readString(f.toPath(), StandardCharsets.UTF_8);
    }
}
