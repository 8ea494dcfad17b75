package dev.gatehouse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher sees the ways a config file is replaced (in place, an editor's rename, a Kubernetes
 * ConfigMap's {@code ..data} symlink swap), coalesces a burst of events into one call, and ignores
 * other files in the directory.
 */
class ConfigWatcherTest {
    static final Duration DEBOUNCE = Duration.ofMillis(200);

    @TempDir
    Path dir;
    final AtomicInteger calls = new AtomicInteger();
    ConfigWatcher watcher;

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private void watch(Path file) throws IOException {
        watcher = ConfigWatcher.start(file, DEBOUNCE, calls::incrementAndGet);
    }

    /** Waits until there were {@code n} calls (at most 5 s), then a little more to see there is no other. */
    private void awaitCalls(int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (calls.get() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(DEBOUNCE.toMillis() * 3);
        assertThat(calls.get()).isEqualTo(n);
    }

    @Test
    void anEditInPlaceAndAnEditorsRenameAreSeen() throws Exception {
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), "a: 1\n");
        watch(file);
        Files.writeString(file, "a: 2\n");
        awaitCalls(1);
        Path tmp = Files.writeString(dir.resolve(".gatehouse.yaml.swp"), "a: 3\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        awaitCalls(2);
    }

    @Test
    void aBurstOfWritesIsOneCall() throws Exception {
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), "a: 1\n");
        watch(file);
        for (int i = 0; i < 10; i++) {
            Files.writeString(file, "a: " + i + "\n");
            Thread.sleep(20);
        }
        awaitCalls(1);
    }

    @Test
    void otherFilesInTheDirectoryAreIgnored() throws Exception {
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), "a: 1\n");
        watch(file);
        Files.writeString(dir.resolve("notes.txt"), "x");
        Files.delete(dir.resolve("notes.txt"));
        awaitCalls(0);
    }

    @Test
    void aConfigMapSymlinkSwapIsSeen() throws Exception {
        // the layout kubelet's atomic writer makes: file -> ..data/file, ..data -> ..<timestamp>
        Path first = Files.createDirectory(dir.resolve("..2026_01_01_00_00_00.1"));
        Files.writeString(first.resolve("gatehouse.yaml"), "a: 1\n");
        Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Path file = Files.createSymbolicLink(dir.resolve("gatehouse.yaml"), Path.of("..data/gatehouse.yaml"));
        watch(file);

        for (int round = 2; round <= 3; round++) {
            Path next = Files.createDirectory(dir.resolve("..2026_01_01_00_00_00." + round));
            Files.writeString(next.resolve("gatehouse.yaml"), "a: " + round + "\n");
            Path tmpLink = Files.createSymbolicLink(dir.resolve("..data_tmp"), next.getFileName());
            Files.move(tmpLink, dir.resolve("..data"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            awaitCalls(round - 1);
            assertThat(Files.readString(file)).isEqualTo("a: " + round + "\n");
        }
    }
}
