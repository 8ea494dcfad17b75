package dev.gatehouse.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The contract's config meters: {@code gatehouse_policy_version{app}} for every app of the config
 * in force, and {@code gatehouse_config_reloads_total{result}}. The config is read once at startup
 * today (no reload yet), so the reload counters are published at 0: a scraper sees that no reload
 * happened rather than a missing series.
 */
@ApplicationScoped
public class ConfigMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> policyVersions = new ConcurrentHashMap<>();

    public ConfigMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String result : List.of("success", "failure")) {
            Counter.builder("gatehouse.config.reloads").description("Config reloads by result")
                    .tags("result", result).register(registry);
        }
    }

    /** Apps no longer in force (deleted): their {@code gatehouse_policy_version} series go away. */
    public void retainOnly(java.util.Set<String> appIds) {
        policyVersions.keySet().removeIf(id -> {
            if (appIds.contains(id)) {
                return false;
            }
            registry.find("gatehouse.policy.version").tag("app", id).meters().forEach(registry::remove);
            return true;
        });
    }

    /**
     * Removes the gauges with the bean. A gauge reads its state through a weak reference, and a
     * registry that outlives this bean (Micrometer's global registry across the Quarkus restarts of
     * a test run) would otherwise hand the next instance's registration back the old gauge, whose
     * state is gone: the series would vanish.
     */
    @jakarta.annotation.PreDestroy
    void close() {
        retainOnly(java.util.Set.of());
    }

    /** A config was put in force: the policy version of each of its apps, by app id. */
    public void installed(Map<String, Long> versionsByApp) {
        versionsByApp.forEach((app, version) -> policyVersions.computeIfAbsent(app, id -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("gatehouse.policy.version", value, AtomicLong::get)
                    .description("Version of the policy in force for an app")
                    .tags("app", id).register(registry);
            return value;
        }).set(version));
    }
}
