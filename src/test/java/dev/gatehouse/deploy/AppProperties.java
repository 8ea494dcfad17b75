package dev.gatehouse.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The ports and management paths Gatehouse serves in production, read from
 * {@code src/main/resources/application.properties} (where they are written out for this purpose),
 * so that the manifests and the Dockerfile are checked against the app rather than against a second
 * copy of the numbers. Profile-specific keys ({@code %test.}, {@code %dev.}) do not apply.
 */
final class AppProperties {
    static final Path FILE = Path.of("src/main/resources/application.properties");

    private final Properties props = new Properties();

    private AppProperties() {
        try (Reader in = Files.newBufferedReader(FILE)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AppProperties load() {
        return new AppProperties();
    }

    private String required(String key) {
        String value = props.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new AssertionError(FILE + " must set " + key + " (the deployment refers to it)");
        }
        return value.trim();
    }

    /** The data port, {@code quarkus.http.port}. */
    int httpPort() {
        return Integer.parseInt(required("quarkus.http.port"));
    }

    /** The management port, {@code quarkus.management.port}. */
    int managementPort() {
        return Integer.parseInt(required("quarkus.management.port"));
    }

    /** {@code /q/health/live} as the properties compose it. */
    String livenessPath() {
        return under(healthRoot(), required("quarkus.smallrye-health.liveness-path"));
    }

    /** {@code /q/health/ready} as the properties compose it. */
    String readinessPath() {
        return under(healthRoot(), required("quarkus.smallrye-health.readiness-path"));
    }

    /** {@code /q/health/started} as the properties compose it. */
    String startupPath() {
        return under(healthRoot(), required("quarkus.smallrye-health.startup-path"));
    }

    /** {@code /q/metrics} as the properties compose it. */
    String metricsPath() {
        return under(required("quarkus.management.root-path"), required("quarkus.micrometer.export.prometheus.path"));
    }

    private String healthRoot() {
        return under(required("quarkus.management.root-path"), required("quarkus.smallrye-health.root-path"));
    }

    /** Quarkus's rule: a path starting with '/' is absolute, any other is relative to its parent. */
    static String under(String parent, String path) {
        if (path.startsWith("/")) {
            return path;
        }
        return (parent.endsWith("/") ? parent : parent + "/") + path;
    }
}
