package dev.gatehouse.gateway;

import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.PolicyEvaluator;
import dev.gatehouse.route.AppRoute;
import dev.gatehouse.route.SnapshotHolder;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Keeps long-lived connections honest: every open WebSocket is re-checked on a timer against the
 * current policy snapshot and its token's expiry, and closed (1008, policy violation) as soon as
 * the caller would no longer be let in. A policy edit or a removed app therefore reaches open
 * connections within one interval.
 */
@ApplicationScoped
public class LiveConnections {
    private static final Buffer PING = Buffer.buffer("gatehouse");

    private final Vertx vertx;
    private final SnapshotHolder snapshots;
    private final GatewayMetrics metrics;
    private final long intervalMillis;

    public LiveConnections(Vertx vertx, SnapshotHolder snapshots, GatewayMetrics metrics, GatehouseSettings settings) {
        java.time.Duration interval = settings.websocket().recheckInterval();
        this.vertx = vertx;
        this.snapshots = snapshots;
        this.metrics = metrics;
        this.intervalMillis = Math.max(100, interval.toMillis());
    }

    /** Starts watching an open socket; returns what to run when it closes (the forwarder owns its close handler). */
    Runnable track(ServerWebSocket socket, Exchange ex, AccessRequest admitted) {
        String appId = ex.route.id();
        metrics.openConnection(appId, "websocket", +1);
        long timer = vertx.setPeriodic(intervalMillis, id -> recheck(socket, ex, admitted));
        return () -> {
            vertx.cancelTimer(timer);
            metrics.openConnection(appId, "websocket", -1);
        };
    }

    private void recheck(ServerWebSocket socket, Exchange ex, AccessRequest admitted) {
        if (socket.isClosed()) {
            return;
        }
        if (ex.token != null && ex.token.expEpochSeconds() * 1000 <= System.currentTimeMillis()) {
            socket.close((short) 1008, "token-expired");
            return;
        }
        AppRoute route = snapshots.current().routes().match(ex.host, ex.path);
        if (route == null || !route.id().equals(ex.route.id())) {
            socket.close((short) 1008, "route-not-found");
            return;
        }
        AccessRequest now = new AccessRequest(admitted.identity(), admitted.method(), admitted.path(), admitted.host(),
                admitted.sourceIp(), Instant.now());
        Decision decision = PolicyEvaluator.evaluate(route.app().policy(), now);
        if (!decision.allowed()) {
            socket.close((short) 1008, decision.primaryReason().code());
            return;
        }
        // a ping per interval keeps a quiet but live socket from the server's idle timeout, and a
        // dead peer is found by the failed write
        socket.writePing(PING);
    }
}
