package dev.gatehouse.time;

import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads {@code gatehouse.*} duration properties with the one grammar of {@link Durations}, so a
 * property takes exactly what the YAML takes ({@code 1h30m} as well as {@code PT1H30M}).
 * Named on each duration of {@code GatehouseSettings} with {@code @WithConverter}.
 */
public final class DurationConverter implements Converter<Duration> {
    @Override
    public Duration convert(String value) {
        String text = value == null ? null : value.trim();
        Duration d = Durations.parse(text);
        if (d == null) {
            throw new IllegalArgumentException(Durations.message(text, false));
        }
        return d;
    }
}
