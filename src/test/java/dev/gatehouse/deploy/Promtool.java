package dev.gatehouse.deploy;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Prometheus's {@code promtool} (Debian package {@code prometheus}; {@code .ci/run} installs
 * it when missing). Where it is not installed, a test that needs it is skipped with that
 * assumption stated, rather than failing on a developer's machine.
 */
final class Promtool {
    /** What a run printed and how it ended. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private Promtool() {
    }

    /** The promtool on the PATH, if any. */
    static Path find() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, "promtool");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** Skips the calling test when promtool is not installed. */
    static Path require() {
        Path promtool = find();
        Assumptions.assumeTrue(promtool != null, "promtool is not installed, so this check is skipped here: "
                + "apt-get install -y prometheus (Debian) brings it, and .ci/run installs it when missing");
        return promtool;
    }

    /** Runs promtool with {@code args}, writing {@code stdin} (may be null) to it. */
    static Result run(String stdin, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(require().toString());
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("promtool", ".out");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in 60 s");
            }
            String output = Files.readString(out);
            Files.deleteIfExists(out);
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
