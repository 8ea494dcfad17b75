package dev.gatehouse.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Assertion keys kept in a shared store (here a map standing in for it; the store's side is
 * {@code store.ClusterKeysTest}): replicas sign with one key, a rotation keeps the old one
 * published, a replica that started without the store switches and keeps its own key published.
 */
class SharedAssertionKeysTest {

    /** The shared store: newest first. */
    static final class MapStore implements AssertionKeyStore {
        final LinkedHashMap<String, String> keys = new LinkedHashMap<>();
        final Set<String> retired = new HashSet<>();
        boolean down;
        boolean wrongSealingKey;

        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public synchronized Keys loadOrCreate(Supplier<String[]> create) {
            if (down) {
                throw new RuntimeException("store down"); // as StoreUnavailableException is
            }
            if (wrongSealingKey) {
                throw new IllegalStateException("cannot be unsealed: is gatehouse.store.key the same?");
            }
            if (keys.isEmpty()) {
                String[] k = create.get();
                keys.put(k[0], k[1]);
            }
            return new Keys(new LinkedHashMap<>(keys), Set.copyOf(retired), version());
        }

        int version() {
            return keys.size() + 2 * retired.size(); // a retired key was added once and retired once
        }

        @Override
        public synchronized boolean retire(String kid, KeyChange change) {
            if (version() != change.expectedVersion() || !keys.containsKey(kid)
                    || keys.keySet().iterator().next().equals(kid)) {
                return false;
            }
            keys.remove(kid);
            retired.add(kid);
            return true;
        }

        @Override
        public synchronized boolean add(String kid, String pem, KeyChange rotation) {
            if (version() != rotation.expectedVersion()) {
                return false;
            }
            LinkedHashMap<String, String> next = new LinkedHashMap<>();
            next.put(kid, pem);
            next.putAll(keys);
            keys.clear();
            keys.putAll(next);
            return true;
        }
    }

    @Test
    void replicasShareOneKeyAndARotationKeepsTheOldOnePublished(@TempDir Path a, @TempDir Path b) {
        MapStore store = new MapStore();
        AssertionKeys first = new AssertionKeys(a, Optional.empty(), store);
        AssertionKeys second = new AssertionKeys(b, Optional.empty(), store);
        assertThat(second.jwksJson()).isEqualTo(first.jwksJson());
        assertThat(second.active().kid()).isEqualTo(first.active().kid());
        assertThat(a.toFile().list()).as("no key file with a shared store").isEmpty();

        String old = first.active().kid();
        assertThat(first.version()).isEqualTo(1);
        String fresh = first.rotate(rotation(1)).orElseThrow();
        assertThat(first.active().kid()).isEqualTo(fresh).isNotEqualTo(old);
        assertThat(first.version()).isEqualTo(2);
        assertThat(first.publishedKids()).containsExactly(fresh, old);
        assertThat(second.rotate(rotation(1))).as("a rotation from a stale reading adds nothing").isEmpty();
        assertThat(store.keys).hasSize(2);
        second.reloadShared(); // on the "keys" notice
        assertThat(second.active().kid()).isEqualTo(fresh);
        assertThat(second.jwksJson()).isEqualTo(first.jwksJson());
        assertThat(new JsonObject(second.jwksJson()).getJsonArray("keys")).hasSize(2);
        assertThat(second.jwksJson()).contains(old);
    }

    /**
     * A retired key leaves every replica's JWKS (also one that kept it published from before), the
     * signing key cannot be retired, and a retirement names the version it was decided on.
     */
    @Test
    void aRetiredKeyIsPublishedByNoReplica(@TempDir Path a, @TempDir Path b) {
        MapStore store = new MapStore();
        AssertionKeys first = new AssertionKeys(a, Optional.empty(), store);
        AssertionKeys second = new AssertionKeys(b, Optional.empty(), store);
        String old = first.active().kid();
        String fresh = first.rotate(rotation(1)).orElseThrow();
        second.reloadShared();
        assertThat(second.publishedKids()).containsExactly(fresh, old);

        assertThat(first.retire(fresh, rotation(2))).isEqualTo(AssertionKeys.Retirement.SIGNING);
        assertThat(first.retire("no-such-key", rotation(2))).isEqualTo(AssertionKeys.Retirement.UNKNOWN);
        assertThat(first.retire(old, rotation(1))).as("decided on an older key set").isEqualTo(AssertionKeys.Retirement.STALE);
        assertThat(store.keys).hasSize(2);

        assertThat(first.retire(old, rotation(2))).isEqualTo(AssertionKeys.Retirement.RETIRED);
        assertThat(first.publishedKids()).containsExactly(fresh);
        assertThat(first.jwksJson()).doesNotContain(old);
        assertThat(first.version()).isEqualTo(3);
        assertThat(second.jwksJson()).as("until its reload").contains(old);
        second.reloadShared(); // on the "keys" notice
        assertThat(second.publishedKids()).as("kept from before, but retired").containsExactly(fresh);
        assertThat(second.active().kid()).isEqualTo(fresh);
        assertThat(first.retire(old, rotation(3))).as("once").isEqualTo(AssertionKeys.Retirement.UNKNOWN);
    }

    @Test
    void keysInFilesCannotBeRetiredThroughTheStore(@TempDir Path a) {
        AssertionKeys files = new AssertionKeys(a, Optional.empty(), AssertionKeyStore.FILES);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> files.retire(files.active().kid(), rotation(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("key files");
    }

    private static KeyChange rotation(int expectedKeys) {
        return new KeyChange("root-admin", "test", "127.0.0.1", "req-1", expectedKeys);
    }

    @Test
    void keysInFilesAreNotRotatable(@TempDir Path a) {
        AssertionKeys files = new AssertionKeys(a, Optional.empty(), AssertionKeyStore.FILES);
        assertThat(files.rotatable()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> files.rotate(rotation(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("key file");
    }

    @Test
    void aReplicaStartedWithoutTheStoreSwitchesWhenItAnswers(@TempDir Path a, @TempDir Path b) {
        MapStore store = new MapStore();
        AssertionKeys running = new AssertionKeys(a, Optional.empty(), store);
        store.down = true;
        AssertionKeys late = new AssertionKeys(b, Optional.empty(), store);
        assertThat(late.sharedPending()).isTrue();
        String own = late.active().kid();
        assertThat(own).isNotEqualTo(running.active().kid());
        store.down = false;
        late.reloadShared();
        assertThat(late.sharedPending()).isFalse();
        assertThat(late.active().kid()).isEqualTo(running.active().kid());
        assertThat(late.jwksJson()).as("its own key stays published for what it signed").contains(own);
    }

    @Test
    void keysThatDoNotUnsealStopTheStartRatherThanSplitTheReplicas(@TempDir Path a) {
        MapStore store = new MapStore();
        store.wrongSealingKey = true;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AssertionKeys(a, Optional.empty(), store))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("gatehouse.store.key");
    }
}
