package dev.gatehouse.store;

import java.util.function.Consumer;

/**
 * Cluster-wide change notices between Gatehouse replicas that share a store: "app X changed",
 * "session S ended", "a revocation was added". A notice is a hint to re-read the store, never the
 * data itself, so a lost notice costs latency (the periodic check catches up), never correctness.
 *
 * <p>Every replica receives its own notices too, so a handler is the one place that applies a
 * change, whichever replica made it. Handlers run on a worker thread and may read the store.
 */
public interface ClusterEvents {
    /**
     * Announces a change to every replica (this one included) once the caller's transaction has
     * committed. Topics are short constants ({@code app}, {@code session}, {@code revocation});
     * the payload is a small identifier (at most 1,000 characters), never a secret.
     */
    void publish(String topic, String payload);

    /** Calls {@code handler} with the payload of every notice on {@code topic}, from any replica. */
    void subscribe(String topic, Consumer<String> handler);

    /**
     * Runs {@code resync} whenever notices may have been lost (the listening connection to
     * PostgreSQL dropped and is back): subscribers re-read what they hold. Nothing is ever lost
     * within one process, so the default never calls it.
     */
    default void onReconnect(Runnable resync) {
    }
}
