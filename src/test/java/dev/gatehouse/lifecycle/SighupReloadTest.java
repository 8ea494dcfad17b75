package dev.gatehouse.lifecycle;

import static dev.gatehouse.lifecycle.Reloads.awaitStatus;
import static dev.gatehouse.testing.ReloadableConfig.app;
import static dev.gatehouse.testing.ReloadableConfig.document;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.ReloadableConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SIGHUP reloads the config, with the real signal sent to this JVM. The watcher's quiet time is an
 * hour here, so an edit stays unapplied until the signal comes.
 */
@QuarkusTest
@TestProfile(SighupReloadTest.SlowWatcher.class)
class SighupReloadTest {

    /** {@link ReloadProfile} with a debounce no test waits for. */
    public static class SlowWatcher extends ReloadProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("gatehouse.config-reload.debounce", "1h");
            return overrides;
        }
    }

    @Inject
    ConfigReloader reloader;

    @Test
    void sighupReloadsTheFile() throws Exception {
        // without our handler, SIGHUP would end this JVM (and the test run)
        assumeTrue(reloader.listensForHangup(), "no SIGHUP on this platform");
        String alice = ReloadableConfig.idp().validToken();
        awaitStatus("start.test", alice, 200, 5000);
        ReloadableConfig.write(document("", app("start", "test", "{ allow: { groups: { has: admins } } }")));
        Thread.sleep(500); // what the watcher would have needed with its usual 200 ms
        assertThat(Http.get("start.test", "/", alice).statusCode()).as("not reloaded before the signal").isEqualTo(200);

        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid()))
                .inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        awaitStatus("start.test", alice, 403, 15000);
        assertThat(reloader.reloadNow("test")).isEqualTo(ConfigReloader.Outcome.UNCHANGED);
    }
}
