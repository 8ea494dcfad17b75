package dev.gatehouse.cli;

import dev.gatehouse.access.AccessCheck;
import dev.gatehouse.access.AccessTarget;
import dev.gatehouse.access.RequestReason;
import dev.gatehouse.config.AppConfig;
import dev.gatehouse.net.IpAddresses;
import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.policy.IdentityFactory;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.route.AppRoute;
import dev.gatehouse.route.Snapshot;
import java.util.List;
import java.util.Locale;

/**
 * Runs one case the way the proxy handles a request, without the network: normalise host and path
 * (400 {@code bad-request}), reserved {@code /.gatehouse/} paths, routing (404 {@code not-found}),
 * identity from the claims with the app's IdP claim paths, then the app's policy.
 */
final class CaseRunner {
    /** What the proxy would decide. {@code rule} and {@code app} are null when no policy was evaluated. */
    record Result(String decision, List<String> reasons, String rule, String app) {
    }

    /** The case cannot run against this config (for instance an unknown app id). */
    static final class CaseError extends RuntimeException {
        CaseError(String message) {
            super(message);
        }
    }

    private final Snapshot snapshot;
    private final AccessCheck access;

    CaseRunner(Snapshot snapshot) {
        this.snapshot = snapshot;
        this.access = new AccessCheck(() -> snapshot);
    }

    Result run(PolicyCase c) {
        AppRoute route = null;
        String rawHost = c.host();
        if (c.app() != null) {
            route = access.routeById(c.app());
            if (route == null) {
                throw new CaseError("no app with id '" + c.app() + "' in the config (known: " + String.join(", ",
                        snapshot.config().apps().stream().map(AppConfig::id).toList()) + ")");
            }
            String h = route.app().host();
            rawHost = h.startsWith("*.") ? h.substring(2) : h;
        }
        AccessTarget target = AccessTarget.of(rawHost, c.path());
        if (target == null) {
            return new Result("bad-request", List.of(RequestReason.INVALID_REQUEST.code()), null, null);
        }
        if (target.reserved()) {
            return new Result("reserved", List.of(), null, null);
        }
        if (route == null) {
            route = access.route(target);
            if (route == null) {
                return new Result("not-found", List.of(RequestReason.ROUTE_NOT_FOUND.code()), null, null);
            }
        } else if (!route.covers(target.path())) {
            throw new CaseError("path '" + target.path() + "' lies outside app '" + route.id() + "' (path-prefix "
                    + route.app().pathPrefix() + "); the proxy would never route it there");
        }
        Identity identity = c.claims() == null ? null : IdentityFactory.fromClaims(c.claims(), route.idp().claims(),
                route.idp().trustEmail());
        AccessRequest request = AccessCheck.request(identity, c.method(), target, IpAddresses.parse(c.sourceIp()),
                c.time());
        Decision d = access.decide(route, request);
        return new Result(d.outcome().name().toLowerCase(Locale.ROOT), d.reasons().stream().map(Reason::code).toList(),
                d.rule(), route.id());
    }


    /** Null when the result meets the expectation, else why not. */
    static String mismatch(PolicyCase.Expectation e, Result r) {
        boolean ok = e.decision().equals(r.decision())
                && r.reasons().size() >= e.reasons().size()
                && r.reasons().subList(0, e.reasons().size()).equals(e.reasons())
                && (e.rule() == null || e.rule().equals(r.rule()))
                && (e.app() == null || e.app().equals(r.app()));
        if (ok) {
            return null;
        }
        StringBuilder s = new StringBuilder("expected ").append(e.decision());
        if (!e.reasons().isEmpty()) {
            s.append(" [").append(String.join(", ", e.reasons())).append(']');
        }
        if (e.rule() != null) {
            s.append(" (rule ").append(e.rule()).append(')');
        }
        if (e.app() != null) {
            s.append(" on app ").append(e.app());
        }
        s.append(", got ").append(r.decision()).append(" [").append(String.join(", ", r.reasons())).append(']');
        if (r.rule() != null) {
            s.append(" (rule ").append(r.rule()).append(')');
        }
        if (e.app() != null) {
            s.append(r.app() == null ? " on no app" : " on app " + r.app());
        }
        return s.toString();
    }
}
