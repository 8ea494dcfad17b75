package dev.gatehouse.gateway;

import dev.gatehouse.access.AccessCheck;
import dev.gatehouse.access.RequestReason;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.identity.VerifiedToken;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.revoke.Revocations;
import dev.gatehouse.session.Session;
import dev.gatehouse.session.SessionRepository;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps long-lived connections honest: open WebSockets and streaming responses (server-sent events,
 * large downloads, long HTTP/2 streams) are re-checked every {@code gatehouse.websocket.recheck-interval}
 * with the one {@link AccessCheck} against the current policy snapshot, and against their token's
 * expiry, and a browser session's end or expiry (at once when it ends, on any replica). When the caller would no longer be let in, a WebSocket is closed (1008, policy violation)
 * and a stream is reset; both are counted in {@code gatehouse_live_revocations_total{app,kind,reason}}.
 *
 * <p>When a new config snapshot or a revocation is put in force, {@link #recheckAll} re-checks them
 * all at once; a revoked user or device is cut with the reason {@code access-revoked}.
 *
 * <p>A response counts as a stream once it has lived one interval: short answers never show in
 * {@code gatehouse_open_connections{kind="stream"}} and cost only a set insertion and removal.
 */
@Singleton
public class LiveConnections {
    private static final Buffer PING = Buffer.buffer("gatehouse");
    static final String WEBSOCKET = "websocket";
    static final String STREAM = "stream";

    private final Vertx vertx;
    private final AccessCheck access;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final long intervalMillis;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final long sweepTimer;
    private final Revocations revocations;

    public LiveConnections(Vertx vertx, AccessCheck access, GatewayMetrics metrics, GatehouseSettings settings,
                           Clock clock, SessionRepository sessions, Revocations revocations) {
        this.revocations = revocations;
        this.vertx = vertx;
        this.access = access;
        this.metrics = metrics;
        this.clock = clock;
        this.intervalMillis = Math.max(100, settings.websocket().recheckInterval().toMillis());
        this.sweepTimer = vertx.setPeriodic(intervalMillis, id -> sweepStreams());
        // a session that ends (sign-out, back-channel logout, on any replica) closes its connections at once
        sessions.onEnded(ended -> recheckAll());
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(sweepTimer);
    }

    /** Starts watching an open socket; returns what to run when it closes (the forwarder owns its close handler). */
    Runnable trackWebSocket(ServerWebSocket socket, String appId, VerifiedToken token, Session session,
                            AccessRequest admitted) {
        metrics.openConnection(appId, WEBSOCKET, +1);
        Socket watched = new Socket(socket, appId, token, session, admitted, Vertx.currentContext());
        sockets.add(watched);
        long timer = vertx.setPeriodic(intervalMillis, id -> {
            if (recheck(watched)) {
                // a ping per interval keeps a quiet but live socket from the server's idle timeout, and a
                // dead peer is found by the failed write
                socket.writePing(PING);
            }
        });
        return () -> {
            sockets.remove(watched);
            vertx.cancelTimer(timer);
            metrics.openConnection(appId, WEBSOCKET, -1);
        };
    }

    /**
     * Re-checks every open WebSocket and streaming response now, not at its next interval: called
     * once a new snapshot is in force, so a connection its app's new policy denies is cut at once.
     * Safe from any thread; each WebSocket is checked (and closed) on its own context.
     */
    public void recheckAll() {
        for (Socket s : sockets) {
            if (s.context != null) {
                s.context.runOnContext(v -> recheck(s));
            } else {
                recheck(s);
            }
        }
        sweep(true);
    }

    /** Closes the socket (1008) when the caller would no longer be let in; true while it stays open. */
    private boolean recheck(Socket s) {
        if (s.revoked || s.socket.isClosed()) {
            return false;
        }
        String denied = denial(s.appId, s.token, s.session, s.admitted);
        if (denied == null) {
            return true;
        }
        s.revoked = true; // a timer and a recheckAll may both find it denied: close and count once
        metrics.liveRevocation(s.appId, WEBSOCKET, denied);
        s.socket.close((short) 1008, denied);
        return false;
    }

    /**
     * Starts watching a response whose body is streaming.
     *
     * @param revoke resets the exchange; run on the response's own context
     * @return what to run when the response ends
     */
    Runnable trackStream(String appId, VerifiedToken token, Session session, AccessRequest admitted, Runnable revoke) {
        Stream s = new Stream(appId, token, session, admitted, revoke, Vertx.currentContext(), clock.millis());
        streams.add(s);
        return s; // its run() ends the watch: no closure made per response
    }

    /** Ends the watch of a stream whose response ended (its {@link Stream#run}). */
    private void ended(Stream s) {
        synchronized (s) { // against a sweep on another event loop counting it at the same time
            if (streams.remove(s) && s.counted) {
                metrics.openConnection(s.appId, STREAM, -1);
            }
        }
    }

    /** Re-checks every watched stream that has lived at least one interval. */
    void sweepStreams() {
        sweep(false);
    }

    /** Re-checks the streams that have lived one interval, or all of them; counts those that have. */
    private void sweep(boolean all) {
        long now = clock.millis();
        for (Stream s : streams) {
            boolean lived = now - s.startMillis >= intervalMillis;
            if (!lived && !all) {
                continue;
            }
            synchronized (s) {
                if (!streams.contains(s)) {
                    continue; // ended since the iteration saw it
                }
                if (lived && !s.counted) {
                    s.counted = true;
                    metrics.openConnection(s.appId, STREAM, +1);
                }
            }
            String denied = denial(s.appId, s.token, s.session, s.admitted);
            if (denied == null) {
                continue;
            }
            synchronized (s) {
                if (!streams.remove(s)) {
                    continue;
                }
                if (s.counted) {
                    metrics.openConnection(s.appId, STREAM, -1);
                }
            }
            metrics.liveRevocation(s.appId, STREAM, denied);
            if (s.context != null) {
                s.context.runOnContext(v -> s.revoke.run());
            } else {
                s.revoke.run();
            }
        }
    }

    /** Number of streaming responses being watched (for tests). */
    int watchedStreams() {
        return streams.size();
    }

    /** Null while the caller would still be let in, else the reason code why not. */
    private String denial(String appId, VerifiedToken token, Session session, AccessRequest admitted) {
        if (session != null) {
            if (session.ended()) {
                return "session-ended";
            }
            if (session.expiresMs() <= clock.millis()) {
                return "session-expired";
            }
            token = session.caller(); // the claims as last refreshed: the policy sees what the IdP says now
            admitted = new AccessRequest(token.identity(), admitted.method(), admitted.path(), admitted.host(),
                    admitted.sourceIp(), admitted.time());
        }
        if (token != null && token.expEpochSeconds() * 1000 <= clock.millis()) {
            return "token-expired";
        }
        if (token != null && revocations.match(token.idp(), token.identity(), session == null ? null : session.id(),
                clock.millis()) != null) {
            return RequestReason.ACCESS_REVOKED.code();
        }
        AccessCheck.Result now = access.recheck(admitted, clock.instant());
        if (now.route() == null || !now.route().id().equals(appId)) {
            return "route-not-found";
        }
        if (token != null && !token.cacheKey().tenant().equals(now.route().tenant())) {
            // the app's IdP changed (another IdP, issuer or audience): the token was verified for the
            // old one, so it no longer proves anything here
            return "idp-changed";
        }
        return now.decision().allowed() ? null : now.decision().primaryReason().code();
    }

    /** One open WebSocket being watched; {@code revoked} is read and written on its context only. */
    private static final class Socket {
        final ServerWebSocket socket;
        final String appId;
        final VerifiedToken token;
        final Session session;
        final AccessRequest admitted;
        final Context context;
        boolean revoked;

        Socket(ServerWebSocket socket, String appId, VerifiedToken token, Session session, AccessRequest admitted,
               Context context) {
            this.socket = socket;
            this.appId = appId;
            this.token = token;
            this.session = session;
            this.admitted = admitted;
            this.context = context;
        }
    }

    /**
     * One streaming response being watched; running it ends the watch. Its hash is drawn when it is
     * made (equality stays identity): the set needs one, and an identity hash is generated and stored
     * in the object's header on first use, on every response.
     */
    private final class Stream implements Runnable {
        final String appId;
        final VerifiedToken token;
        final Session session;
        final AccessRequest admitted;
        final Runnable revoke;
        final Context context;
        final long startMillis;
        private final int hash = ThreadLocalRandom.current().nextInt();
        /** Whether it has been counted in the open-connections gauge; guarded by the stream's lock. */
        boolean counted;

        Stream(String appId, VerifiedToken token, Session session, AccessRequest admitted, Runnable revoke,
               Context context, long startMillis) {
            this.appId = appId;
            this.token = token;
            this.session = session;
            this.admitted = admitted;
            this.revoke = revoke;
            this.context = context;
            this.startMillis = startMillis;
        }

        @Override
        public void run() {
            ended(this);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }
    }
}
