package dev.gatehouse.gateway.forward;

import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Where the assertion signing keys live when several replicas must sign with the same key and
 * publish the same JWKS: the shared store (PostgreSQL). Produced by {@code lifecycle}; with the
 * embedded store, {@link #shared()} is false and the keys stay in files in the data directory.
 */
public interface AssertionKeyStore {
    /** Keys kept in the data directory only (one replica). */
    AssertionKeyStore FILES = new AssertionKeyStore() {
        @Override
        public boolean shared() {
            return false;
        }

        @Override
        public Keys loadOrCreate(Supplier<String[]> create) {
            throw new UnsupportedOperationException("keys are in files");
        }

        @Override
        public boolean add(String kid, String pem, KeyChange change) {
            throw new UnsupportedOperationException("keys are in files");
        }

        @Override
        public boolean retire(String kid, KeyChange change) {
            throw new UnsupportedOperationException("keys are in files");
        }
    };

    /**
     * The stored keys.
     *
     * @param live    every live key's PEM (private and public block) by key id, newest (the signer) first
     * @param retired the ids of retired keys (never published again, by any replica)
     * @param version keys added plus keys retired: grows with every change
     */
    record Keys(Map<String, String> live, Set<String> retired, int version) {
    }

    /** Whether keys are shared through the store. */
    boolean shared();

    /**
     * The stored keys; when there is none, {@code create}'s {id, PEM} is stored first (by the
     * first replica to start).
     *
     * @throws RuntimeException when the store cannot be reached
     */
    Keys loadOrCreate(Supplier<String[]> create);

    /**
     * Stores a newer key (a rotation) and audits it, in one transaction, when the keys are still at
     * {@link KeyChange#expectedVersion()}; older keys stay published.
     *
     * @return false, and nothing stored, when the keys are at another version (a change the caller
     *         had not seen)
     * @throws RuntimeException when the store cannot be reached
     */
    boolean add(String kid, String pem, KeyChange change);

    /**
     * Retires live key {@code kid}, not the newest, and audits it, in one transaction, when the keys
     * are still at {@link KeyChange#expectedVersion()}.
     *
     * @return false, and nothing changed, when the keys are at another version or {@code kid} is not
     *         a live key other than the newest
     * @throws RuntimeException when the store cannot be reached
     */
    boolean retire(String kid, KeyChange change);
}
