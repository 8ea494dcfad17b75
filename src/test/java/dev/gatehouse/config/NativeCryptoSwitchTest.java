package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The documented switch {@code -Dgatehouse.crypto.native=false} (README, docs/configuration.md) must
 * be a key Gatehouse knows: every {@code gatehouse.*} key is checked against {@link GatehouseSettings}
 * at start, and before it was declared there a start with it failed with {@code SRCFG00050:
 * gatehouse.crypto.native ... does not map to any root}.
 */
class NativeCryptoSwitchTest {

    @Test
    void theNativeSwitchIsAKnownKey() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(GatehouseSettings.class)
                .withSources(new PropertiesConfigSource(Map.of("gatehouse.crypto.native", "false"), "test", 500))
                .build();
        assertThat(config.getConfigMapping(GatehouseSettings.class).crypto().nativeEnabled()).isFalse();
    }

    @Test
    void onByDefault() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(GatehouseSettings.class).build();
        assertThat(config.getConfigMapping(GatehouseSettings.class).crypto().nativeEnabled()).isTrue();
    }
}
