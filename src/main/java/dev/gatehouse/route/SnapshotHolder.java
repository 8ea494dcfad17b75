package dev.gatehouse.route;

import jakarta.inject.Singleton;

/** Holds the current {@link Snapshot}: one volatile read per request, one atomic swap per config. */
@Singleton // used on every request: no client proxy between the caller and the bean
public class SnapshotHolder {
    private volatile Snapshot current = Snapshot.empty();

    public Snapshot current() {
        return current;
    }

    public void swap(Snapshot next) {
        current = next;
    }
}
