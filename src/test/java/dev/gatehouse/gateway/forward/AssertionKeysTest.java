package dev.gatehouse.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Assertion keys: generated once and persisted, rotation keeps old keys published. */
class AssertionKeysTest {

    private static long keyFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void aKeyIsGeneratedOnFirstStartAndReusedAfter(@TempDir Path dir) throws IOException {
        AssertionKeys first = new AssertionKeys(dir, Optional.empty());
        AssertionKeys second = new AssertionKeys(dir, Optional.empty());
        assertThat(keyFiles(dir)).isEqualTo(1);
        assertThat(second.active().kid()).isEqualTo(first.active().kid());
        JsonObject jwk = new JsonObject(first.jwksJson()).getJsonArray("keys").getJsonObject(0);
        assertThat(jwk.getString("kty")).isEqualTo("EC");
        assertThat(jwk.getString("crv")).isEqualTo("P-256");
        assertThat(jwk.getString("alg")).isEqualTo("ES256");
        assertThat(jwk.getString("kid")).isEqualTo(first.active().kid());
        assertThat(jwk.containsKey("d")).as("never the private part").isFalse();
    }

    @Test
    void rotationSignsWithTheNewKeyAndKeepsTheOldOnePublished(@TempDir Path dir) throws Exception {
        AssertionKeys old = new AssertionKeys(dir, Optional.empty());
        Path elsewhere = Files.createTempDirectory("gk");
        AssertionKeys fresh = new AssertionKeys(elsewhere, Optional.empty());
        Path newKey;
        try (Stream<Path> s = Files.list(elsewhere)) {
            newKey = s.findFirst().orElseThrow();
        }
        AssertionKeys rotated = new AssertionKeys(dir, Optional.of(newKey));
        assertThat(rotated.active().kid()).isEqualTo(fresh.active().kid()).isNotEqualTo(old.active().kid());
        assertThat(rotated.jwksJson()).contains(old.active().kid()).contains(fresh.active().kid());
    }

    @Test
    void aKeyFileWithoutItsPublicHalfIsRejected(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("k.pem");
        Files.writeString(bad, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> new AssertionKeys(dir.resolve("data"), Optional.of(bad)))
                .hasStackTraceContaining("PUBLIC KEY");
    }
}
