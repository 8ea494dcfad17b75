package dev.gatehouse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A trim is made at the first tick and then only after the C heap grew by the threshold. */
class TrimGateTest {
    private final AtomicLong rss = new AtomicLong(300_000);

    @Test
    void theFirstTickTrims() {
        assertThat(new TrimGate(16 * 1024, rss::get).shouldTrim()).isTrue();
    }

    @Test
    void noGrowthSinceTheLastTrimSkipsIt() {
        TrimGate gate = new TrimGate(16 * 1024, rss::get);
        gate.trimmed();
        rss.addAndGet(8 * 1024);
        assertThat(gate.shouldTrim()).isFalse();
        assertThat(gate.lastGrowthKb()).isEqualTo(8 * 1024);
        rss.addAndGet(-20 * 1024); // shrinking does not count as growth either
        assertThat(gate.shouldTrim()).isFalse();
    }

    @Test
    void growthOfTheThresholdTrimsAndMovesTheBaseline() {
        TrimGate gate = new TrimGate(16 * 1024, rss::get);
        gate.trimmed();
        rss.addAndGet(16 * 1024);
        assertThat(gate.shouldTrim()).isTrue();
        rss.addAndGet(-10 * 1024); // what the trim gave back
        gate.trimmed();
        rss.addAndGet(10 * 1024);
        assertThat(gate.shouldTrim()).isFalse();
    }

    @Test
    void zeroTrimsEveryTick() {
        TrimGate gate = new TrimGate(0, rss::get);
        gate.trimmed();
        assertThat(gate.shouldTrim()).isTrue();
    }

    @Test
    void anUnknownFigureTrimsAsBeforeTheGate() {
        TrimGate gate = new TrimGate(16 * 1024, () -> -1);
        gate.trimmed();
        assertThat(gate.shouldTrim()).isTrue();
    }

    @Test
    void thisProcessReportsItsAnonymousMemory() {
        assertThat(TrimGate.procRssAnonKb()).isPositive();
    }
}
