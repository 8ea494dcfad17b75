package dev.gatehouse.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The contract's config meters: {@code gatehouse_policy_version{app}}, the policy version each app
 * in force enforces now (an app removed by a reload loses its series), and
 * {@code gatehouse_config_reloads_total{result}}, reloads of the config file by outcome (the load at
 * startup is not a reload). Both results are published from the start, at 0, so a scraper sees that
 * no reload happened rather than a missing series.
 */
@ApplicationScoped
public class ConfigMetrics {
    private final MeterRegistry registry;
    private final Map<String, Version> policyVersions = new ConcurrentHashMap<>();
    private final Counter reloadSuccess;
    private final Counter reloadFailure;

    /** One app's gauge and the value it reads. */
    private record Version(AtomicLong value, Gauge gauge) {
    }

    public ConfigMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.reloadSuccess = reloads(registry, "success");
        this.reloadFailure = reloads(registry, "failure");
    }

    private static Counter reloads(MeterRegistry registry, String result) {
        return Counter.builder("gatehouse.config.reloads").description("Config reloads by result")
                .tags("result", result).register(registry);
    }

    /**
     * A config was put in force: the policy version of each app that is new or changed, by app id,
     * and the ids of the apps it no longer has. Apps not named keep their gauge and value.
     */
    public void installed(Map<String, Long> versionsByApp, Collection<String> removedApps) {
        versionsByApp.forEach((app, version) -> policyVersions.computeIfAbsent(app, id -> {
            AtomicLong value = new AtomicLong();
            Gauge gauge = Gauge.builder("gatehouse.policy.version", value, AtomicLong::get)
                    .description("Version of the policy in force for an app")
                    .tags("app", id).register(registry);
            return new Version(value, gauge);
        }).value().set(version));
        for (String app : removedApps) {
            Version gone = policyVersions.remove(app);
            if (gone != null) {
                registry.remove(gone.gauge());
            }
        }
    }

    /** A reload of the config file ended: put in force, or refused (the config in force stays). */
    public void reloaded(boolean success) {
        (success ? reloadSuccess : reloadFailure).increment();
    }

    /**
     * Removes the gauges with the bean. A gauge reads its state through a weak reference, and a
     * registry that outlives this bean (Micrometer's global registry across the Quarkus restarts of
     * a test run) would otherwise hand the next instance's registration back the old gauge, whose
     * state is gone: the series would vanish.
     */
    @PreDestroy
    void close() {
        installed(Map.of(), List.copyOf(policyVersions.keySet()));
    }
}
