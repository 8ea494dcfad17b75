package dev.gatehouse.lifecycle;

import dev.gatehouse.access.AccessCheck;
import dev.gatehouse.route.SnapshotHolder;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * CDI beans for the framework-free parts: the one {@link AccessCheck} over the current snapshot, and
 * the {@link Clock} every time-dependent decision reads (tests replace it with one they advance).
 */
public class CoreBeans {

    @Produces
    @Singleton
    AccessCheck accessCheck(SnapshotHolder snapshots) {
        return new AccessCheck(snapshots::current);
    }

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
