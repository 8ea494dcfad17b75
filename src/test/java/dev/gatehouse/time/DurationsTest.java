package dev.gatehouse.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.GatehouseSettings;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One duration grammar for YAML fields and gatehouse.* properties alike, with one error message. */
class DurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms, 500", "90s, 90000", "15m, 900000", "1h30m, 5400000", "7d, 604800000", "1d2h3m4s5ms, 93784005",
            "0s, 0", "0, 0", "PT15M, 900000", "PT0.5S, 500", "P1D, 86400000", "pt1h, 3600000"})
    void accepted(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "00", "01", "0.0", "1w", "30m1h", "1h1h", "1.5h", "-5s", "PT-5M", "5 s", " 5s", "5S", "s", "ms5",
            "1m1ms1s", "99999999999999d", "P", "forever"})
    void refused(String text) {
        assertThat(Durations.parse(text)).as(text).isNull();
    }

    @Test
    void oneMessageEverywhere() {
        assertThat(Durations.message("1w", true))
                .isEqualTo("invalid duration '1w', expected a positive duration such as 500ms, 90s, 15m, 1h30m, 7d or PT15M");
        assertThatThrownBy(() -> new DurationConverter().convert("1w"))
                .hasMessage("invalid duration '1w', expected a duration such as 500ms, 90s, 15m, 1h30m, 7d or PT15M");
    }

    @Test
    void gatehousePropertiesTakeTheSameGrammarAsTheYaml() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(GatehouseSettings.class)
                .withSources(new PropertiesConfigSource(Map.of(
                        "gatehouse.connection.head-timeout", "1m30s",
                        "gatehouse.connection.keep-alive-timeout", "PT75S",
                        "gatehouse.websocket.recheck-interval", "500ms"), "test", 500))
                .build();
        GatehouseSettings settings = config.getConfigMapping(GatehouseSettings.class);
        assertThat(settings.connection().headTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings.connection().keepAliveTimeout()).isEqualTo(Duration.ofSeconds(75));
        assertThat(settings.websocket().recheckInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(new DurationConverter().convert("0")).as("a bare 0 is zero in any unit").isEqualTo(Duration.ZERO);
        assertThat(settings.assertion().ttl()).as("defaults go through the same converter").isEqualTo(Duration.ofMinutes(2));
    }
}
