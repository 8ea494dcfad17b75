package dev.gatehouse.lifecycle;

import dev.gatehouse.admin.StoreKeyControl;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.gateway.forward.AssertionKeyStore;
import dev.gatehouse.gateway.forward.KeyChange;
import dev.gatehouse.store.Actor;
import dev.gatehouse.store.AuditEvent;
import dev.gatehouse.store.AuditLog;
import dev.gatehouse.store.ClusterKeys;
import dev.gatehouse.store.Database;
import dev.gatehouse.store.StoreBeans;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Connects the assertion keys of the gateway to the store: with PostgreSQL they are kept there,
 * sealed with {@code gatehouse.store.key}, so that every replica signs with the same key; with the
 * embedded store they stay in files in the data directory. A key file
 * ({@code gatehouse.assertion.key-file}, the same mounted on every replica) wins over both, and then
 * {@code gatehouse.store.key} is not needed.
 */
public class ClusterKeyBeans {
    /** The purpose of the assertion signing keys in the store's {@code cluster_keys}. */
    static final String ASSERTION = "assertion";

    @Produces
    @Singleton
    AssertionKeyStore assertionKeyStore(Database db, AuditLog audit, GatehouseSettings settings, Clock clock) {
        // built first, so that malformed sealing keys stop the start even when a key file signs
        Optional<ClusterKeys> sealed = clusterKeys(db, settings, clock);
        if (!db.shared() || settings.assertion().keyFile().isPresent()) {
            return AssertionKeyStore.FILES;
        }
        ClusterKeys keys = sealed.orElseThrow(() -> new ConfigurationException(
                "gatehouse.store.key is required with PostgreSQL (gatehouse.store.url): the assertion signing keys "
                        + "all replicas share are kept in the store, sealed with it. Make one with `openssl rand "
                        + "-base64 32` and give every replica the same, e.g. in the environment variable "
                        + "GATEHOUSE_STORE_KEY."));
        return new AssertionKeyStore() {
            @Override
            public boolean shared() {
                return true;
            }

            @Override
            public Keys loadOrCreate(Supplier<String[]> create) {
                ClusterKeys.Stored stored = keys.load(ASSERTION, create);
                return new Keys(stored.live(), stored.retired(), stored.version());
            }

            @Override
            public boolean add(String kid, String pem, KeyChange rotation) {
                return keys.add(ASSERTION, kid, pem, rotation.expectedVersion(), audit,
                        audited("assertion-key.rotate", kid, rotation));
            }

            @Override
            public boolean retire(String kid, KeyChange change) {
                return keys.retire(ASSERTION, kid, change.expectedVersion(), audit, audited("assertion-key.retire", kid,
                        change));
            }
        };
    }

    /**
     * The admin API's hold on the sealing key: with PostgreSQL and {@code gatehouse.store.key}, the
     * rows of {@code cluster_keys} and {@code session_keys}; else nothing.
     */
    @Produces
    @Singleton
    StoreKeyControl storeKeyControl(Database db, AuditLog audit, GatehouseSettings settings, Clock clock) {
        return clusterKeys(db, settings, clock).<StoreKeyControl>map(keys -> new SealedRows(keys, audit))
                .orElse(StoreKeyControl.NONE);
    }

    /**
     * The sealed keys of the store, with {@code gatehouse.store.key} and
     * {@code gatehouse.store.previous-keys}; empty with the embedded store or without a key.
     *
     * @throws ConfigurationException naming the setting whose key is not 32 bytes of base64
     */
    static Optional<ClusterKeys> clusterKeys(Database db, GatehouseSettings settings, Clock clock) {
        return StoreBeans.sealingKeys(db, settings).map(sealing -> new ClusterKeys(db, sealing, clock));
    }

    /** The audit entry of a change: the key and the version it was made against. */
    private static AuditEvent audited(String action, String kid, KeyChange change) {
        String detail = "{\"kid\":\"" + kid + "\",\"previous_version\":" + change.expectedVersion() + "}";
        return new AuditEvent(new Actor(change.subject(), change.idp()), action, null, change.clientAddress(),
                change.requestId(), "ok", detail);
    }
}
