package dev.gatehouse.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event loop's deadlines: each expires once, not before its time, in deadline order across
 * timeout lengths; a cancelled one never expires; the loop keeps nothing once all are done.
 */
class LoopDeadlinesTest {
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final LoopDeadlines deadlines = new LoopDeadlines(loop, System::nanoTime);
    private final List<String> expired = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private final class Named extends LoopDeadlines.Deadline {
        final String name;
        final long added = System.nanoTime();
        final long millis;

        Named(String name, long millis) {
            this.name = name;
            this.millis = millis;
        }

        @Override
        void expire() {
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - added);
            assertThat(took).as(name + " expired early").isGreaterThanOrEqualTo(millis);
            expired.add(name);
        }
    }

    /** Waits (up to 5 s: the machine may be busy) until {@code n} deadlines have expired. */
    private void awaitExpired(int n) throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        while (expired.size() < n && System.nanoTime() < until) {
            Thread.sleep(10);
        }
    }

    private <T> T onLoop(Callable<T> c) throws Exception {
        return loop.submit(c).get(5, TimeUnit.SECONDS);
    }

    private Named add(String name, long millis) throws Exception {
        return onLoop(() -> {
            Named d = new Named(name, millis);
            deadlines.add(d, millis);
            return d;
        });
    }

    @Test
    void dueDeadlinesExpireInOrderAndCancelledOnesNever() throws Exception {
        add("long", 400);
        Named cancelled = add("cancelled", 150);
        add("mid", 150);
        add("short", 60); // a shorter timeout added last: the pending sweep must come earlier for it
        onLoop(() -> {
            cancelled.cancel();
            cancelled.cancel(); // twice: nothing
            return null;
        });
        awaitExpired(3);
        Thread.sleep(100); // and nothing more: the cancelled one never
        assertThat(expired).containsExactly("short", "mid", "long");
        assertThat(onLoop(deadlines::size)).isZero();
    }

    @Test
    void anExpiredDeadlineCancelledAfterwardsChangesNothing() throws Exception {
        Named d = add("once", 30);
        awaitExpired(1);
        onLoop(() -> {
            d.cancel();
            return null;
        });
        assertThat(expired).containsExactly("once");
        Named later = add("later", 30); // the loop schedules again after going idle
        awaitExpired(2);
        assertThat(expired).containsExactly("once", "later");
        assertThat(later.lane).isNull();
    }

    @Test
    void manyCancelledBeforeTheirTimeLeaveNothingBehind() throws Exception {
        onLoop(() -> {
            for (int i = 0; i < 1000; i++) {
                Named d = new Named("n" + i, 50);
                deadlines.add(d, 50);
                if (i % 2 == 0) {
                    d.cancel(); // answered in time: middle and head unlinks
                }
            }
            return null;
        });
        assertThat(onLoop(deadlines::size)).isEqualTo(500);
        awaitExpired(500);
        Thread.sleep(100);
        assertThat(expired).hasSize(500).allMatch(n -> Integer.parseInt(n.substring(1)) % 2 == 1);
        assertThat(onLoop(deadlines::size)).isZero();
    }

    @Test
    void aFailingExpiryDoesNotStopTheOthersAndAnExpiryMayAddDeadlines() throws Exception {
        onLoop(() -> {
            deadlines.add(new LoopDeadlines.Deadline() {
                @Override
                void expire() {
                    expired.add("failing");
                    // a deadline added from an expiry, with another lane's earlier one still waiting
                    Named late = new Named("added-by-expiry", 200);
                    deadlines.add(late, 200);
                    throw new IllegalStateException("expected by the test");
                }
            }, 30);
            deadlines.add(new Named("same-time", 30), 30);
            deadlines.add(new Named("other-lane", 100), 100);
            return null;
        });
        awaitExpired(4);
        assertThat(expired).containsExactly("failing", "same-time", "other-lane", "added-by-expiry");
        assertThat(onLoop(deadlines::size)).isZero();
    }
}
