package dev.gatehouse.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A Gatehouse config file that tests rewrite while Gatehouse runs: two {@link TestIdp}s (only the
 * first is in the file at start; a test adds the second by a reload), a {@link RecordingUpstream},
 * and a config file of its own in a directory of its own, handed over as {@code gatehouse.config}.
 * Tests write whole documents ({@link #document}) the way an editor saves them: into a temporary
 * file that is then renamed over the config file.
 */
public class ReloadableConfig implements QuarkusTestResourceLifecycleManager {
    private static Vertx vertx;
    private static TestIdp idp;
    private static TestIdp secondIdp;
    private static RecordingUpstream upstream;
    private static Path file;

    public static TestIdp idp() {
        return idp;
    }

    /** An IdP with its own issuer and keys, unknown to Gatehouse until a test names it. */
    public static TestIdp secondIdp() {
        return secondIdp;
    }

    public static RecordingUpstream upstream() {
        return upstream;
    }

    public static Path file() {
        return file;
    }

    /**
     * A config document: IdP {@code test} (the first IdP), {@code moreIdps} (YAML lines under
     * {@code idps:}, may be empty), then the given apps ({@link #app}).
     */
    public static String document(String moreIdps, String... apps) {
        StringBuilder sb = new StringBuilder("idps:\n  test:\n    issuer: ").append(idp.issuer())
                .append("\n    audience: gatehouse\n").append(moreIdps).append("apps:\n");
        for (String app : apps) {
            sb.append(app);
        }
        return sb.toString();
    }

    /**
     * One app on host {@code <id>.test}, IdP {@code idp}, with {@code policy} as an inline YAML
     * mapping; {@code whoami: full}, so tests can read the policy version a decision was made with.
     */
    public static String app(String id, String idp, String policy) {
        return "  - id: " + id + "\n    host: " + id + ".test\n    upstream: " + upstream.url()
                + "\n    idp: " + idp + "\n    whoami: full\n    policy: " + policy + "\n";
    }

    /** Saves {@code yaml} as an editor does: a temporary file in the same directory, renamed over the file. */
    public static void write(String yaml) {
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".gatehouse", ".swp");
            Files.writeString(tmp, yaml);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code yaml} into the file itself (truncate and write, same inode). */
    public static void writeInPlace(String yaml) {
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        idp = TestIdp.start(vertx);
        secondIdp = TestIdp.start(vertx);
        upstream = RecordingUpstream.start(vertx);
        try {
            file = Files.createTempDirectory("gatehouse-reload").resolve("gatehouse.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeInPlace(document("", app("start", "test", "{ allow: { authenticated_user: true } }")));
        return Map.of("gatehouse.config", file.toString());
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
