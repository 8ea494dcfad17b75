package dev.gatehouse.session;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.route.SnapshotHolder;
import dev.gatehouse.store.ClusterEvents;
import dev.gatehouse.store.SessionStore;
import dev.gatehouse.store.StoreUnavailableException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Wires the session layer: keys loaded (and rotated when due) at startup, before the data port
 * opens; housekeeping once a minute on a worker (key rotation, write-behind of last use, expired
 * rows, the {@code gatehouse_sessions_active} gauge, which counts the store's sessions: the same
 * figure on every replica).
 */
public class SessionBeans {
    private static final Logger LOG = Logger.getLogger(SessionBeans.class);
    private static final long HOUSEKEEPING_MS = 60_000;

    private final AtomicLong active = new AtomicLong();
    private long timer = -1;
    private MeterRegistry registry;
    private Gauge activeGauge;

    @Produces
    @Singleton
    SessionKeys sessionKeys(SessionStore store, Clock clock, GatehouseSettings settings) {
        return new SessionKeys(store, clock, settings.session().keyRotation());
    }

    @Produces
    @Singleton
    SessionRepository sessionRepository(SessionStore store, SessionKeys keys, ClusterEvents events, Vertx vertx,
                                        Clock clock, SnapshotHolder snapshots) {
        return new SessionRepository(store, keys, events, vertx, clock,
                id -> snapshots.current().config().idps().get(id));
    }

    @Produces
    @Singleton
    SignInStates signInStates(dev.gatehouse.store.SpentSignInStates spent, Vertx vertx) {
        return new SignInStates(spent, vertx);
    }

    @Produces
    @Singleton
    IdpClient idpClient(Vertx vertx, Clock clock) {
        return new IdpClient(vertx, clock);
    }

    @Produces
    @Singleton
    SignInFlow signInFlow(IdpClient client, SessionRepository sessions, Clock clock) {
        return new SignInFlow(client, new IdTokenVerifier(client, clock), sessions, clock);
    }

    /** After the config is loaded (default observer priority), so a config error is the first thing said. */
    void start(@Observes @jakarta.annotation.Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 600)
               StartupEvent e, SessionKeys keys, SessionRepository sessions, Vertx vertx,
               GatehouseSettings settings, SnapshotHolder snapshots, MeterRegistry registry, IdpClient client) {
        this.registry = registry;
        this.activeGauge = Gauge.builder("gatehouse_sessions_active", active, AtomicLong::get)
                .description("Browser sessions in the store that have not expired").register(registry);
        try {
            // an UnsealException (a session key sealed with a store key this replica lacks) stops the
            // start with its message: serving on without the keys would sign everyone out
            keys.rotateIfDueAndLoad();
            active.set(sessions.countActive());
        } catch (StoreUnavailableException ex) {
            // Gatehouse starts without its store (the data plane serves bearer apps from the file);
            // until the keys are read no session can be opened or made, and housekeeping retries
            LOG.warnf("session keys not loaded yet, the store cannot be reached (%s); sign-in waits for it",
                    ex.getMessage());
        }
        Duration idle = settings.session().idleTimeout();
        Duration keyMargin = keyRetirementMargin(settings.session().loginTimeout());
        timer = vertx.setPeriodic(HOUSEKEEPING_MS, id -> vertx.executeBlocking(() -> {
            try {
                keys.rotateIfDueAndLoad();
                keys.retireUnused(keyMargin);
            } catch (RuntimeException ex) {
                // a key sealed with a sealing key this replica lacks (the message names it and what to
                // set), or the store away: the keys read before keep serving, and the rest still runs
                LOG.warnf("session keys not re-read: %s", ex.getMessage());
            }
            try {
                sessions.maintain(longestIdle(idle, snapshots).toMillis());
                client.retainOnly(snapshots.current().config().idps().values()); // IdPs changed by reloads
                active.set(sessions.countActive());
            } catch (RuntimeException ex) {
                LOG.warnf("session housekeeping failed: %s", ex.getMessage());
            }
            return null;
        }, false));
    }

    void stop(@Observes ShutdownEvent e, Vertx vertx) {
        if (activeGauge != null) {
            registry.remove(activeGauge); // the global composite registry outlives this application
        }
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * How long a replaced session key stays although no session uses it: a sign-in cookie sealed
     * with it lives for the login timeout, and another replica may seal with it until its next
     * housekeeping re-reads the keys; a minute more for clocks that differ between replicas.
     */
    static Duration keyRetirementMargin(Duration loginTimeout) {
        return loginTimeout.plusMillis(2 * HOUSEKEEPING_MS).plusMinutes(1);
    }

    /** The longest idle timeout any app allows: cached sessions idle longer are of no use to any app. */
    static Duration longestIdle(Duration dflt, SnapshotHolder snapshots) {
        Duration longest = dflt;
        for (AppConfig app : snapshots.current().config().apps()) {
            Duration d = app.session().idleTimeoutOr(dflt);
            if (d.compareTo(longest) > 0) {
                longest = d;
            }
        }
        return longest;
    }
}
