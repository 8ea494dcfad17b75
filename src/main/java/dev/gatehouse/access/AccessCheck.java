package dev.gatehouse.access;

import dev.gatehouse.config.CandidatePolicy;
import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.CompiledPolicy;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.policy.PolicyEvaluator;
import dev.gatehouse.policy.PolicyTrace;
import dev.gatehouse.route.AppRoute;
import dev.gatehouse.route.Snapshot;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one access check: a normalised request, an identity (with its device facts) and a time give a
 * route and a {@link Decision}. The proxy, {@code /.gatehouse/whoami}, the re-checks of open
 * connections, {@code policy test}, the admin API's what-if and AuthZEN endpoints ({@link #explain})
 * and shadow mode ({@link #shadow}) all decide here, so they cannot disagree; browser sessions are
 * meant to call it too.
 *
 * <p>Pure and thread-safe: no framework, no I/O. Routing reads the current {@link Snapshot} once per
 * call from the supplier it was built with.
 */
public final class AccessCheck {
    private final Supplier<Snapshot> snapshots;

    /** @param snapshots the current snapshot (one volatile read per call) */
    public AccessCheck(Supplier<Snapshot> snapshots) {
        this.snapshots = snapshots;
    }

    /** The app that serves this target in the current snapshot, or null (404 {@code route-not-found}). */
    public AppRoute route(AccessTarget target) {
        return snapshots.get().routes().match(target.host(), target.path());
    }

    /** The app with this id in the current snapshot, whatever host it serves, or null. */
    public AppRoute routeById(String appId) {
        return snapshots.get().routes().byId(appId);
    }

    /**
     * The facts a policy sees for one request.
     *
     * @param identity the verified caller, or null when anonymous
     * @param source   the client address Gatehouse believes, or null when unknown (then
     *                 {@code source_ip} is unknown and can never grant)
     */
    public static AccessRequest request(Identity identity, String method, AccessTarget target, InetAddress source,
                                        Instant time) {
        return new AccessRequest(identity, method, target.path(), target.host(), source, time);
    }

    /** Decides a request already routed to {@code route} (the route whose IdP authenticated the caller). */
    public Decision decide(AppRoute route, AccessRequest request) {
        return PolicyEvaluator.evaluate(route.app().policy(), request);
    }

    /**
     * Shadow mode: what the app's candidate policy would decide for a request {@code live} decided,
     * tallied on the candidate; null when the app has no candidate (one map check when no app has
     * one). The candidate never changes the decision: callers only record what it says.
     */
    public Decision shadow(AppRoute route, AccessRequest request, Decision live) {
        Map<String, CandidatePolicy> candidates = snapshots.get().config().candidates();
        if (candidates.isEmpty()) {
            return null;
        }
        CandidatePolicy candidate = candidates.get(route.id());
        if (candidate == null) {
            return null;
        }
        Decision shadow = PolicyEvaluator.evaluate(candidate.policy(), request);
        candidate.count(live.allowed(), shadow.allowed());
        return shadow;
    }

    /** The candidate policy of an app in the current snapshot, or null. */
    public CandidatePolicy candidate(String appId) {
        return snapshots.get().config().candidates().get(appId);
    }

    /**
     * What-if: decides a request routed to {@code route} exactly as {@link #decide} does, with
     * {@code policy} instead of the app's when given, and explains it criterion by criterion.
     *
     * @param policy a policy to try instead of the app's live one, or null for the live one
     */
    public Explained explain(AppRoute route, CompiledPolicy policy, AccessRequest request) {
        CompiledPolicy p = policy != null ? policy : route.app().policy();
        return new Explained(PolicyEvaluator.evaluate(p, request), PolicyEvaluator.trace(p, request));
    }

    /**
     * A decision with its per-criterion trace.
     *
     * @param decision what the policy decides
     * @param trace    why, node by node
     */
    public record Explained(Decision decision, PolicyTrace trace) {
    }

    /**
     * Routes the request in the current snapshot and decides it: what an open connection's re-check
     * and a what-if ask. The result has no route (and no decision) when no app serves the target.
     */
    public Result check(AccessRequest request) {
        AppRoute route = snapshots.get().routes().match(request.host(), request.path());
        return route == null ? Result.NOT_FOUND : new Result(route, decide(route, request));
    }

    /**
     * Decides again, at {@code now}, a request that was admitted earlier and is still open (a
     * WebSocket, a streaming response): same caller, same target, current snapshot and time.
     */
    public Result recheck(AccessRequest admitted, Instant now) {
        return check(new AccessRequest(admitted.identity(), admitted.method(), admitted.path(), admitted.host(),
                admitted.sourceIp(), now));
    }

    /**
     * A routed decision.
     *
     * @param route    the app that serves the target, or null (not found)
     * @param decision the policy decision, or null when there is no route
     */
    public record Result(AppRoute route, Decision decision) {
        static final Result NOT_FOUND = new Result(null, null);

        /** Whether the request was routed to the app with {@code appId} and allowed. */
        public boolean allowedOn(String appId) {
            return route != null && route.id().equals(appId) && decision.allowed();
        }
    }
}
