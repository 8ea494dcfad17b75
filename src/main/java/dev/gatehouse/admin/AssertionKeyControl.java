package dev.gatehouse.admin;

import dev.gatehouse.store.Actor;
import java.util.List;
import java.util.Optional;

/**
 * What the admin API may do with the keys that sign {@code X-Gatehouse-Assertion}: read the key
 * set, rotate it and retire an old key. The keys belong to the gateway, which the admin API sits below; the
 * application wires the two ({@code lifecycle}).
 */
public interface AssertionKeyControl {
    /**
     * The key set as this replica uses it.
     *
     * @param rotatable whether keys are shared through the store (PostgreSQL), so an admin call can rotate them
     * @param version   keys added plus keys retired in the store (grows with every change; 0 when not shared)
     * @param published the ids of the keys published in {@code /.gatehouse/jwks.json}, the signer first
     */
    record KeySet(boolean rotatable, int version, List<String> published) {
    }

    /**
     * The key set, re-read from the store when shared (so its version is the store's).
     *
     * @throws RuntimeException when the store cannot be reached
     */
    KeySet current();

    /**
     * Makes a new key the signer of every replica; older keys stay published. The new key and its
     * audit entry ({@code assertion-key.rotate}) are written in one transaction.
     *
     * @param expectedVersion the version the caller read
     * @return the new key's id; empty when the store's version is no longer {@code expectedVersion}
     * @throws IllegalStateException when keys are not shared
     * @throws RuntimeException      when the store cannot be reached
     */
    Optional<String> rotate(int expectedVersion, Actor who, String clientAddress, String requestId);

    /** What became of a request to retire a key. */
    enum Retirement {
        /** Retired: no replica publishes it any more. */
        RETIRED,
        /** Nothing changed: the key set is no longer at the version the caller read. */
        STALE,
        /** Nothing changed: no live key has that id. */
        UNKNOWN,
        /** Nothing changed: the key signs. */
        SIGNING
    }

    /**
     * Retires key {@code kid}, not the one that signs: every replica stops publishing it, so
     * upstreams stop accepting assertions signed by it. Its private half is erased from the store;
     * the change and its audit entry ({@code assertion-key.retire}) are one transaction.
     *
     * @param expectedVersion the version the caller read
     * @throws IllegalStateException when keys are not shared
     * @throws RuntimeException      when the store cannot be reached
     */
    Retirement retire(String kid, int expectedVersion, Actor who, String clientAddress, String requestId);
}
