package dev.gatehouse.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.info.BuildInfo;
import io.quarkus.info.GitInfo;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

/**
 * {@code gatehouse_build_info{version,revision}} = 1: which build each replica runs, so a dashboard
 * can show a rollout and an alert can tell replicas apart. The same facts (and more) are served as
 * JSON by quarkus-info at {@code /q/info} on the management port. The revision is the abbreviated
 * commit the jar was built from ({@code unknown} when built outside a git checkout).
 */
@ApplicationScoped
public class BuildInfoMeter {
    /** The revision label when the build had no git checkout to read. */
    static final String UNKNOWN = "unknown";

    void register(@Observes StartupEvent event, MeterRegistry registry, Instance<BuildInfo> build,
                  Instance<GitInfo> git) {
        String version = build.isResolvable() ? build.get().version() : UNKNOWN;
        String commit = git.isResolvable() ? git.get().latestCommitId() : null;
        String revision = commit == null || commit.isBlank() ? UNKNOWN : commit.substring(0, Math.min(12, commit.length()));
        Gauge.builder("gatehouse.build.info", () -> 1)
                .description("The build this replica runs (value always 1)")
                .tags("version", version, "revision", revision)
                .register(registry);
    }
}
