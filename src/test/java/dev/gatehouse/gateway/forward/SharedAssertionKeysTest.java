package dev.gatehouse.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
        boolean down;
        boolean wrongSealingKey;

        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public synchronized Map<String, String> loadOrCreate(Supplier<String[]> create) {
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
            return new LinkedHashMap<>(keys);
        }

        @Override
        public synchronized boolean add(String kid, String pem, KeyRotation rotation) {
            if (keys.size() != rotation.expectedKeys()) {
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
        assertThat(first.storedKeys()).isEqualTo(1);
        String fresh = first.rotate(rotation(1)).orElseThrow();
        assertThat(first.active().kid()).isEqualTo(fresh).isNotEqualTo(old);
        assertThat(first.storedKeys()).isEqualTo(2);
        assertThat(first.publishedKids()).containsExactly(fresh, old);
        assertThat(second.rotate(rotation(1))).as("a rotation from a stale reading adds nothing").isEmpty();
        assertThat(store.keys).hasSize(2);
        second.reloadShared(); // on the "keys" notice
        assertThat(second.active().kid()).isEqualTo(fresh);
        assertThat(second.jwksJson()).isEqualTo(first.jwksJson());
        assertThat(new JsonObject(second.jwksJson()).getJsonArray("keys")).hasSize(2);
        assertThat(second.jwksJson()).contains(old);
    }

    private static KeyRotation rotation(int expectedKeys) {
        return new KeyRotation("root-admin", "test", "127.0.0.1", "req-1", expectedKeys);
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
