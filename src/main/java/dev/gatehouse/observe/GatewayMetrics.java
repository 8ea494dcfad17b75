package dev.gatehouse.observe;

import dev.gatehouse.access.RequestReason;
import dev.gatehouse.access.Verdict;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.ReasonCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The data-plane meters of the contract. Meters are looked up once per label set and kept, so a
 * request pays a map lookup, not a registry search. The {@code app} label is a configured app id or
 * {@code none} (no route matched), so random hosts and paths cannot grow the label set.
 */
@Singleton // used on every request: no client proxy between the caller and the bean
public class GatewayMetrics {
    /** The {@code app} label when no app matched. */
    public static final String NO_APP = "none";

    /** The {@code result} values of {@code gatehouse_jwks_refresh_total}. */
    private static final List<String> JWKS_RESULTS = List.of("success", "failure");

    private final MeterRegistry registry;
    private static final int VERDICTS = Verdict.values().length;
    private static final int POLICY_REASONS = Reason.values().length;
    private static final int REASON_SLOTS = POLICY_REASONS + RequestReason.values().length + 1;

    private final Map<String, AppMeters> apps = new ConcurrentHashMap<>();
    /** Upstream timers per app, one slot per status class ({@link #STATUS_CLASSES}). */
    private final Map<String, Timer[]> upstream = new ConcurrentHashMap<>();
    /** Token-check counters per IdP, then per result: found without building a key string per request. */
    private final Map<String, Map<String, Counter>> tokens = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<String, Counter> closedConnections = new ConcurrentHashMap<>();
    /** {@code result} of {@code gatehouse_backchannel_logouts_total}: a valid token that ended sessions. */
    public static final String LOGOUT_ENDED = "ended";
    /** A valid logout token naming no session Gatehouse had (already ended, or never signed in here). */
    public static final String LOGOUT_NO_SESSION = "no_session";
    /** The logout request or its token was refused ({@code reason}: the refusal's code). */
    public static final String LOGOUT_REJECTED = "rejected";
    /** A valid logout token the store could not act on: the sessions may live on. */
    public static final String LOGOUT_FAILED = "failed";
    /** {@code reason} of the results that carry no refusal. */
    public static final String LOGOUT_NO_REASON = "none";
    /** {@code reason} of {@link #LOGOUT_FAILED}. */
    public static final String LOGOUT_NOT_PROCESSED = "not-processed";
    private final Map<String, Counter> jwksRefreshes = new ConcurrentHashMap<>();
    private final Map<String, Counter> liveRevocations = new ConcurrentHashMap<>();
    private final Map<String, Counter> tokenRejections = new ConcurrentHashMap<>();
    private final Map<String, Counter> shadowDisagreements = new ConcurrentHashMap<>();
    private final Map<String, Counter> backchannelLogouts = new ConcurrentHashMap<>();
    private final Timer policyEvaluation;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.policyEvaluation = Timer.builder("gatehouse.policy.evaluation")
                .description("Time to evaluate an app's policy")
                .publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofNanos(100))
                .maximumExpectedValue(java.time.Duration.ofMillis(10))
                .register(registry);
    }

    /**
     * Records one finished request ({@code gatehouse_requests_total{app,decision,reason}} and
     * {@code gatehouse_request_duration_seconds{app,decision}}).
     *
     * @param reason the deciding reason: a policy {@link Reason} or a {@link RequestReason}; null for none
     */
    public void request(String app, Verdict verdict, ReasonCode reason, long nanos) {
        AppMeters meters = apps.computeIfAbsent(app, AppMeters::new);
        int d = verdict.ordinal();
        int r = reasonIndex(reason);
        Counter counter = meters.requests[d][r];
        if (counter == null) {
            String reasonCode = reason == null ? "none" : reason.code();
            counter = Counter.builder("gatehouse.requests")
                    .description("Requests by app, decision and deciding reason")
                    .tags("app", app, "decision", verdict.label(), "reason", reasonCode)
                    .register(registry);
            meters.requests[d][r] = counter; // a racing duplicate is the same meter: the registry dedups
        }
        counter.increment();
        Timer timer = meters.durations[d];
        if (timer == null) {
            timer = Timer.builder("gatehouse.request.duration")
                    .description("Time from request to the end of the response")
                    .tags("app", app, "decision", verdict.label())
                    .publishPercentileHistogram()
                    .register(registry);
            meters.durations[d] = timer;
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Policy reasons first, then request reasons, then "none": one array slot each. */
    private static int reasonIndex(ReasonCode reason) {
        if (reason instanceof Reason r) {
            return r.ordinal();
        }
        if (reason instanceof RequestReason r) {
            return POLICY_REASONS + r.ordinal();
        }
        return REASON_SLOTS - 1;
    }

    /** The meters of one app, looked up without building a key string per request. */
    private static final class AppMeters {
        final Counter[][] requests = new Counter[VERDICTS][REASON_SLOTS];
        final Timer[] durations = new Timer[VERDICTS];

        AppMeters(String app) {
        }
    }

    /** Records an upstream exchange by status class (2xx, 3xx, 4xx, 5xx, or error). */
    public void upstream(String app, int status, long nanos) {
        int slot = status >= 100 && status < 600 ? status / 100 - 1 : STATUS_CLASSES.length - 1;
        Timer[] timers = upstream.computeIfAbsent(app, k -> new Timer[STATUS_CLASSES.length]);
        Timer timer = timers[slot];
        if (timer == null) {
            timer = Timer.builder("gatehouse.upstream.duration")
                    .description("Time the upstream took, from sending to the end of its response")
                    .tags("app", app, "status_class", STATUS_CLASSES[slot])
                    .publishPercentileHistogram()
                    .register(registry);
            timers[slot] = timer; // a racing duplicate is the same meter: the registry dedups
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The {@code status_class} values of {@code gatehouse_upstream_duration_seconds}, by slot. */
    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "error"};

    /**
     * Counts token checks: {@code result} is {@code cache_hit}, {@code shared} (joined a verification
     * of the same token already running), {@code valid} or {@code invalid} (signature checks done)
     * ({@code gatehouse_token_verifications_total{idp,result}}). The ratio of hits to valid shows what
     * the verified-token cache saves.
     */
    public void tokenVerification(String idp, String result) {
        Map<String, Counter> byResult = tokens.get(idp);
        if (byResult == null) {
            byResult = tokens.computeIfAbsent(idp, k -> new ConcurrentHashMap<>());
        }
        Counter counter = byResult.get(result);
        if (counter == null) {
            counter = byResult.computeIfAbsent(result, k -> Counter.builder("gatehouse.token.verifications")
                    .description("Bearer token checks by IdP and result")
                    .tags("idp", idp, "result", result).register(registry));
        }
        counter.increment();
    }

    /**
     * Counts a refused bearer token by why ({@code gatehouse_token_rejections_total{idp,reason}}):
     * {@code malformed}, {@code token-expired}, {@code wrong-issuer}, ... (a bounded set).
     */
    public void tokenRejection(String idp, String reason) {
        tokenRejections.computeIfAbsent(idp + '|' + reason, k -> Counter.builder("gatehouse.token.rejections")
                .description("Bearer tokens refused, by IdP and reason")
                .tags("idp", idp, "reason", reason).register(registry)).increment();
    }

    /** Adjusts {@code gatehouse_open_connections{app,kind}} by {@code delta}. */
    public void openConnection(String app, String kind, int delta) {
        open.computeIfAbsent(app + '|' + kind, k -> {
            AtomicInteger gauge = new AtomicInteger();
            Gauge.builder("gatehouse.open.connections", gauge, AtomicInteger::get)
                    .description("Long-lived connections open through Gatehouse")
                    .tags("app", app, "kind", kind).register(registry);
            return gauge;
        }).addAndGet(delta);
    }

    /**
     * Counts a long-lived connection cut by a re-check ({@code gatehouse_live_revocations_total{app,kind,reason}}):
     * {@code kind} is {@code websocket} or {@code stream}, {@code reason} the deciding reason code,
     * {@code token-expired}, {@code route-not-found} or {@code idp-changed}.
     */
    public void liveRevocation(String app, String kind, String reason) {
        liveRevocations.computeIfAbsent(app + '|' + kind + '|' + reason, k -> Counter.builder("gatehouse.live.revocations")
                .description("Open WebSockets and streaming responses cut because access was withdrawn")
                .tags("app", app, "kind", kind, "reason", reason).register(registry)).increment();
    }

    /**
     * Counts a client connection Gatehouse closed on its own ({@code gatehouse_connections_closed_total{reason}}):
     * {@code head-timeout}, {@code keep-alive-timeout} or {@code too-many-connections}.
     */
    public void connectionClosed(String reason) {
        closedConnections.computeIfAbsent(reason, k -> Counter.builder("gatehouse.connections.closed")
                .description("Client connections closed by Gatehouse: slow or silent clients, per-address cap")
                .tags("reason", reason).register(registry)).increment();
    }

    /** Counts a JWKS fetch for an IdP ({@code gatehouse_jwks_refresh_total{idp,result}}). */
    public void jwksRefresh(String idp, String result) {
        jwksRefreshCounter(idp, result).increment();
    }

    /**
     * Publishes {@code gatehouse_jwks_refresh_total{idp,result}} at 0 for each configured IdP and
     * both results ({@code success}, {@code failure}), before any fetch: a rule sees the first
     * failure as an increase (a series born at 1 has no increase), and a scrape shows which IdPs
     * are configured. Idempotent.
     */
    public void idpsConfigured(Collection<String> idps) {
        for (String idp : idps) {
            for (String result : JWKS_RESULTS) {
                jwksRefreshCounter(idp, result);
            }
        }
        if (!idps.isEmpty()) { // the same for back-channel logouts, so that a panel and a rule see the first one
            backchannelLogoutCounter(LOGOUT_ENDED, LOGOUT_NO_REASON);
            backchannelLogoutCounter(LOGOUT_NO_SESSION, LOGOUT_NO_REASON);
            backchannelLogoutCounter(LOGOUT_FAILED, LOGOUT_NOT_PROCESSED);
        }
    }

    private Counter jwksRefreshCounter(String idp, String result) {
        return jwksRefreshes.computeIfAbsent(idp + '|' + result, k -> Counter.builder("gatehouse.jwks.refresh")
                .description("JWKS fetches from an IdP by result")
                .tags("idp", idp, "result", result).register(registry));
    }

    /**
     * Counts a request on which an app's candidate policy (shadow mode) disagreed with its live one
     * ({@code gatehouse_shadow_disagreements_total{app,live,candidate}}, live and candidate
     * {@code allow} or {@code deny}).
     */
    public void shadowDisagreement(String app, boolean liveAllowed, boolean candidateAllowed) {
        if (liveAllowed != candidateAllowed) {
            shadowCounter(app, liveAllowed).increment();
        }
    }

    /**
     * Publishes {@code gatehouse_shadow_disagreements_total{app,live,candidate}} at 0 in both
     * directions for each app with a candidate policy in force, before any disagreement: a rule sees
     * the first one as an increase (a series born at 1 has no increase). Idempotent; the series stay
     * after a candidate is removed or promoted, as counters do.
     */
    public void candidatesInForce(Collection<String> apps) {
        for (String app : apps) {
            shadowCounter(app, true);
            shadowCounter(app, false);
        }
    }

    /** The counter of one direction: live allowed and the candidate would deny, or the reverse. */
    private Counter shadowCounter(String app, boolean liveAllowed) {
        String live = liveAllowed ? "allow" : "deny";
        String candidate = liveAllowed ? "deny" : "allow";
        return shadowDisagreements.computeIfAbsent(app + '|' + live, k -> Counter.builder("gatehouse.shadow.disagreements")
                .description("Requests on which an app's candidate policy (shadow mode) would have decided otherwise")
                .tags("app", app, "live", live, "candidate", candidate).register(registry));
    }

    /**
     * Counts a back-channel logout request ({@code gatehouse_backchannel_logouts_total{result,reason}}):
     * {@code result} {@code ended}, {@code no_session} (a valid token naming no session),
     * {@code rejected} (reason: the refusal's code, e.g. {@code bad-signature}, {@code replayed}) or
     * {@code failed} (reason {@code not-processed}: the store could not end the sessions); reason
     * {@code none} for the first two. Callers pass only codes from a fixed set.
     */
    public void backchannelLogout(String result, String reason) {
        backchannelLogoutCounter(result, reason).increment();
    }

    private Counter backchannelLogoutCounter(String result, String reason) {
        return backchannelLogouts.computeIfAbsent(result + '|' + reason, k -> Counter.builder("gatehouse.backchannel.logouts")
                .description("Back-channel logout requests from IdPs, by result and refusal reason")
                .tags("result", result, "reason", reason).register(registry));
    }

    public void policyEvaluation(long nanos) {
        policyEvaluation.record(nanos, TimeUnit.NANOSECONDS);
    }
}
