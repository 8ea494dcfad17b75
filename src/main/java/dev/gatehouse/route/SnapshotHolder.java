package dev.gatehouse.route;

import jakarta.enterprise.context.ApplicationScoped;

/** Holds the current {@link Snapshot}: one volatile read per request, one atomic swap per config. */
@ApplicationScoped
public class SnapshotHolder {
    private volatile Snapshot current = Snapshot.empty();

    public Snapshot current() {
        return current;
    }

    public void swap(Snapshot next) {
        current = next;
    }
}
