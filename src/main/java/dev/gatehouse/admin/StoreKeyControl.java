package dev.gatehouse.admin;

import dev.gatehouse.store.Actor;
import java.util.List;
import java.util.Map;

/**
 * What the admin API may do with the store's sealing key ({@code gatehouse.store.key}): say which
 * key seals and which keys the sealed rows are under, and seal every row again with the current key
 * so the previous ones can be dropped. Wired by the application ({@code lifecycle}); unavailable
 * without PostgreSQL or without a sealing key.
 */
public interface StoreKeyControl {
    /**
     * The sealing keys as this replica has them, and the store's sealed rows.
     *
     * @param available whether anything is sealed with {@code gatehouse.store.key} here (PostgreSQL and a key)
     * @param current   the id of the key that seals (a fingerprint, never the key); null when unavailable
     * @param previous  the ids of {@code gatehouse.store.previous-keys}
     * @param sealedBy  how many live sealed rows each key id seals ({@code "v1"}: old format, no key here opens it;
     *                  {@code "plain"}: session keys stored before they were sealed)
     */
    record State(boolean available, String current, List<String> previous, Map<String, Integer> sealedBy) {
        /** The state where nothing is sealed with a store key. */
        static final State UNAVAILABLE = new State(false, null, List.of(), Map.of());
    }

    /**
     * What a re-seal did.
     *
     * @param current        the id of the key every live row is now sealed with
     * @param resealed       rows sealed again
     * @param alreadyCurrent rows that were sealed with it already
     */
    record Resealed(String current, int resealed, int alreadyCurrent) {
    }

    /**
     * The state, read from the store.
     *
     * @throws RuntimeException when the store cannot be reached
     */
    State state();

    /**
     * Seals every live row with the current key; the rows and the audit entry
     * ({@code store-key.reseal}, with the counts) are one transaction.
     *
     * @throws IllegalStateException         when unavailable
     * @throws dev.gatehouse.store.UnsealException when a row does not unseal with the keys here (nothing written)
     * @throws RuntimeException              when the store cannot be reached
     */
    Resealed reseal(Actor who, String clientAddress, String requestId);

    /** Nothing sealed with a store key (embedded store, or no key). */
    StoreKeyControl NONE = new StoreKeyControl() {
        @Override
        public State state() {
            return State.UNAVAILABLE;
        }

        @Override
        public Resealed reseal(Actor who, String clientAddress, String requestId) {
            throw new IllegalStateException("nothing is sealed with gatehouse.store.key here");
        }
    };
}
