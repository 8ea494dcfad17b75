package dev.gatehouse.gateway.forward;

import java.util.Map;
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
        public Map<String, String> loadOrCreate(Supplier<String[]> create) {
            throw new UnsupportedOperationException("keys are in files");
        }

        @Override
        public boolean add(String kid, String pem, KeyRotation rotation) {
            throw new UnsupportedOperationException("keys are in files");
        }
    };

    /** Whether keys are shared through the store. */
    boolean shared();

    /**
     * Every key's PEM (private and public block) by key id, newest (the signer) first; when there
     * is none, {@code create}'s {id, PEM} is stored first (by the first replica to start).
     *
     * @throws RuntimeException when the store cannot be reached
     */
    Map<String, String> loadOrCreate(Supplier<String[]> create);

    /**
     * Stores a newer key (a rotation) and audits it, in one transaction, when the store still holds
     * {@link KeyRotation#expectedKeys()} keys; older keys stay published.
     *
     * @return false, and nothing stored, when the store holds another number of keys (a rotation
     *         the caller had not seen)
     * @throws RuntimeException when the store cannot be reached
     */
    boolean add(String kid, String pem, KeyRotation rotation);
}
