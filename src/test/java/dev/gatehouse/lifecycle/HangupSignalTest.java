package dev.gatehouse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A process started with SIGHUP ignored ({@code nohup}) cannot take the signal: the JVM accepts the
 * handler and never runs it. Gatehouse must say so and not claim to listen, in a child JVM started
 * with and without the signal ignored.
 */
class HangupSignalTest {

    private static String probe(boolean ignoreHangup) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX shell");
        String java = ProcessHandle.current().info().command().orElse("java");
        String script = (ignoreHangup ? "trap '' HUP; " : "") + "exec \"$0\" -cp \"$1\" " + HangupSignalProbe.class.getName();
        Process p = new ProcessBuilder("/bin/sh", "-c", script, java, System.getProperty("java.class.path"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void aProcessThatIgnoresSighupSaysSoAndDoesNotListen() throws Exception {
        String out = probe(true);
        assertThat(out).contains("installed: false").contains("SIGHUP was ignored when this process started");
    }

    @Test
    void aProcessThatTakesSighupListens() throws Exception {
        assumeTrue(!ignoredHere(), "this test JVM itself runs with SIGHUP ignored (nohup)");
        String out = probe(false);
        assertThat(out).contains("installed: true").doesNotContain("SIGHUP was ignored");
    }

    /** Whether SIGHUP (signal 1, bit 0) is in this process's ignored-signal mask. */
    private static boolean ignoredHere() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:"))
                .map(l -> Long.parseUnsignedLong(l.substring(7).trim(), 16)).anyMatch(mask -> (mask & 1) != 0);
    }
}
