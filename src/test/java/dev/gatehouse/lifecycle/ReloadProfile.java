package dev.gatehouse.lifecycle;

import dev.gatehouse.testing.ReloadableConfig;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * Gatehouse on a config file the tests rewrite ({@link ReloadableConfig}), instead of the shared
 * test config. Open connections are re-checked every minute only, so a WebSocket closed within
 * seconds of an edit proves the re-check that follows a reload, not the timer. Token checks per
 * address are not limited: polling with a token an edit just made invalid must not end in 429.
 */
public class ReloadProfile implements QuarkusTestProfile {
    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ReloadableConfig.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("gatehouse.websocket.recheck-interval", "60s",
                "gatehouse.rate-limit.token-checks-per-ip", "0");
    }
}
