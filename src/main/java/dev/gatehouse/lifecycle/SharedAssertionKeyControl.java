package dev.gatehouse.lifecycle;

import dev.gatehouse.admin.AssertionKeyControl;
import dev.gatehouse.gateway.forward.AssertionKeys;
import dev.gatehouse.gateway.forward.KeyChange;
import dev.gatehouse.store.Actor;
import dev.gatehouse.store.ClusterEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The admin API's hold on the gateway's assertion keys: reads them, rotates them or retires one
 * through the store and announces the change on the cluster topic {@value ReplicaSync#KEYS_TOPIC}, on which
 * every replica re-reads the keys (one that misses the notice does at its next periodic check).
 */
@ApplicationScoped
public class SharedAssertionKeyControl implements AssertionKeyControl {
    private final AssertionKeys keys;
    private final ClusterEvents events;

    public SharedAssertionKeyControl(AssertionKeys keys, ClusterEvents events) {
        this.keys = keys;
        this.events = events;
    }

    @Override
    public KeySet current() {
        if (keys.rotatable()) {
            keys.reloadShared();
        }
        return new KeySet(keys.rotatable(), keys.version(), keys.publishedKids());
    }

    @Override
    public Optional<String> rotate(int expectedVersion, Actor who, String clientAddress, String requestId) {
        Optional<String> kid = keys.rotate(new KeyChange(who.subject(), who.idp(), clientAddress, requestId,
                expectedVersion));
        kid.ifPresent(k -> events.publish(ReplicaSync.KEYS_TOPIC, k));
        return kid;
    }

    @Override
    public Retirement retire(String kid, int expectedVersion, Actor who, String clientAddress, String requestId) {
        AssertionKeys.Retirement outcome = keys.retire(kid, new KeyChange(who.subject(), who.idp(), clientAddress,
                requestId, expectedVersion));
        if (outcome == AssertionKeys.Retirement.RETIRED) {
            events.publish(ReplicaSync.KEYS_TOPIC, kid);
        }
        return switch (outcome) {
            case RETIRED -> Retirement.RETIRED;
            case STALE -> Retirement.STALE;
            case UNKNOWN -> Retirement.UNKNOWN;
            case SIGNING -> Retirement.SIGNING;
        };
    }
}
