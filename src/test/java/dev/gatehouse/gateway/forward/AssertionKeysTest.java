package dev.gatehouse.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Assertion keys: generated once and persisted (owner-only, never half-written), rotation keeps
 * old keys published.
 */
class AssertionKeysTest {
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private static void assumePosix(Path dir) {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

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
    void aGeneratedKeyIsOwnerOnlyInADirectoryCreatedOwnerOnly(@TempDir Path tmp) throws Exception {
        assumePosix(tmp);
        Path dir = tmp.resolve("data");
        AssertionKeys keys = new AssertionKeys(dir, Optional.empty());
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(OWNER_ONLY_DIR);
        List<Path> written = files(dir);
        assertThat(written).as("one complete key file, no temporary file left").hasSize(1);
        Path key = written.get(0);
        assertThat(key.getFileName().toString()).isEqualTo("assertion-key-" + keys.active().kid() + ".pem");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(OWNER_ONLY_FILE);
        assertThat(AssertionKeys.load(key).kid()).as("complete and parseable").isEqualTo(keys.active().kid());
    }

    @Test
    void aDirectoryTheOperatorMadeIsLeftAsItIs(@TempDir Path tmp) throws Exception {
        assumePosix(tmp);
        Path dir = Files.createDirectory(tmp.resolve("data"));
        Set<PosixFilePermission> operators = PosixFilePermissions.fromString("rwxr-x---");
        Files.setPosixFilePermissions(dir, operators);
        new AssertionKeys(dir, Optional.empty()); // logs a warning: the group may list the keys
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(operators);
        assertThat(Files.getPosixFilePermissions(files(dir).get(0))).isEqualTo(OWNER_ONLY_FILE);
    }

    @Test
    void aHalfWrittenKeyLeftByACrashIsNeverLoaded(@TempDir Path dir) throws Exception {
        AssertionKeys first = new AssertionKeys(dir, Optional.empty());
        Path whole = files(dir).get(0);
        // what a crash between create and rename leaves: a temporary file, never the final name
        String pem = Files.readString(whole);
        Files.writeString(dir.resolve(".tmp-0-assertion-key-crashed.pem"), pem.substring(0, pem.length() / 2));
        AssertionKeys restarted = new AssertionKeys(dir, Optional.empty());
        assertThat(restarted.active().kid()).isEqualTo(first.active().kid());
        assertThat(new JsonObject(restarted.jwksJson()).getJsonArray("keys")).hasSize(1);
    }

    @Test
    void aKeyFileWithoutItsPublicHalfIsRejected(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("k.pem");
        Files.writeString(bad, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> new AssertionKeys(dir.resolve("data"), Optional.of(bad)))
                .hasStackTraceContaining("PUBLIC KEY");
    }
}
