package dev.gatehouse.store;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Chooses the store's database when the process starts, from Gatehouse's own settings.
 *
 * <p>Why: Quarkus fixes a datasource's {@code db-kind} at build time, so one jar cannot switch a
 * single datasource between H2 and PostgreSQL. The supported way to choose at run time is two named
 * datasources built in ({@link Database#H2} and {@link Database#POSTGRES}, kinds in
 * application.properties) of which exactly one is {@code active}. This factory derives that from
 * {@code gatehouse.store.url}: absent, the embedded H2 file {@code <gatehouse.data-dir>/store} is
 * active (zero set-up); present, PostgreSQL at that URL, with {@code gatehouse.store.username} and
 * {@code gatehouse.store.password}. It also makes the H2 path absolute, which H2 requires.
 *
 * <p>Its values have a low ordinal: any {@code quarkus.datasource."store-*".*} property set
 * explicitly still wins.
 */
public final class StoreConfigSource implements ConfigSourceFactory {
    /** Below application.properties (250): explicit datasource settings win. */
    static final int ORDINAL = 50;
    /** The default of {@code gatehouse.data-dir} (GatehouseSettings); a mapping default is not a config value here. */
    static final String DEFAULT_DATA_DIR = ".gatehouse-data";
    /**
     * LOCK_TIMEOUT: writers queue on the audit head row; H2's default of 1 s is short for a burst of
     * concurrent admin writes on a busy machine. DB_CLOSE_ON_EXIT: Quarkus closes the pool itself.
     */
    static final String H2_OPTIONS = ";LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return List.of(new PropertiesConfigSource(properties(context::getValue), "gatehouse store selection", ORDINAL));
    }

    /** The datasource properties that follow from {@code gatehouse.store.*} and {@code gatehouse.data-dir}. */
    static Map<String, String> properties(java.util.function.Function<String, ConfigValue> config) {
        Map<String, String> out = new HashMap<>();
        String url = value(config, "gatehouse.store.url");
        boolean postgres = url != null && !url.isBlank();
        out.put(prefix(Database.H2) + "active", Boolean.toString(!postgres));
        out.put(prefix(Database.POSTGRES) + "active", Boolean.toString(postgres));
        String dataDir = value(config, "gatehouse.data-dir");
        Path file = Path.of(dataDir == null || dataDir.isBlank() ? DEFAULT_DATA_DIR : dataDir).toAbsolutePath()
                .normalize().resolve("store");
        out.put(prefix(Database.H2) + "jdbc.url", "jdbc:h2:file:" + file + H2_OPTIONS);
        if (postgres) {
            out.put(prefix(Database.POSTGRES) + "jdbc.url", url.trim());
            copy(config, "gatehouse.store.username", prefix(Database.POSTGRES) + "username", out);
            copy(config, "gatehouse.store.password", prefix(Database.POSTGRES) + "password", out);
        }
        return out;
    }

    private static String prefix(String datasource) {
        return "quarkus.datasource.\"" + datasource + "\".";
    }

    private static void copy(java.util.function.Function<String, ConfigValue> config, String from, String to,
                             Map<String, String> out) {
        String v = value(config, from);
        if (v != null && !v.isEmpty()) {
            out.put(to, v);
        }
    }

    private static String value(java.util.function.Function<String, ConfigValue> config, String name) {
        ConfigValue v = config.apply(name);
        return v == null ? null : v.getValue();
    }
}
