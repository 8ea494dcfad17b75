package dev.gatehouse.route;

import dev.gatehouse.config.AppHistory;
import dev.gatehouse.config.GatehouseConfig;

/**
 * Where a config is put in force: the one place a snapshot is swapped, with its policy versions
 * published and open connections re-checked. Implemented by {@code lifecycle.SnapshotPublisher};
 * declared here so that the admin API's effective config (below the lifecycle and the gateway)
 * publishes through it.
 */
public interface SnapshotPublishing {
    /** The history the next config must be loaded with. */
    AppHistory history();

    /**
     * Swaps in the snapshot of {@code config}.
     *
     * @param loadedWith the {@link #history()} {@code config} was loaded with
     * @return what changed
     * @throws IllegalStateException when {@code loadedWith} is no longer the history in force
     */
    SnapshotUpdate publish(GatehouseConfig config, AppHistory loadedWith);

    /** The policy version in force for an app, 0 when it is not in force. */
    long version(String appId);
}
