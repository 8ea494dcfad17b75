package dev.gatehouse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The JVM this builds on (HotSpot 17.0.9+ on glibc) offers the trim, and a trim reports what it gave back. */
class NativeHeapTrimTest {
    @Test
    void aTrimRunsAndReportsTheRssBeforeAndAfter() throws Exception {
        assertThat(NativeHeapTrim.available()).isTrue();
        assertThat(NativeHeapTrim.trim()).startsWith("Trim native heap: RSS+Swap: ");
    }

    @Test
    void zeroTurnsItOff() {
        assertThat(NativeHeapTrim.enabled(Duration.ZERO)).isFalse();
        assertThat(NativeHeapTrim.enabled(Duration.ofSeconds(30))).isTrue();
    }
}
