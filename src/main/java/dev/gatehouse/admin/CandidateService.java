package dev.gatehouse.admin;

import dev.gatehouse.access.AdminRequest;
import dev.gatehouse.config.AppDocument;
import dev.gatehouse.policy.CompileResult;
import dev.gatehouse.policy.PolicyCompiler;
import dev.gatehouse.store.AppStore;
import dev.gatehouse.store.AppVersion;
import dev.gatehouse.store.Candidate;
import dev.gatehouse.store.CandidateStore;
import dev.gatehouse.store.ClusterEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The writes of shadow mode: set, replace and remove an app's candidate policy, and promote it.
 * Each is checked like an app write (id, precondition, body, validation with the policy compiler,
 * so errors have the paths {@code POST /validate} gives), applied in one store transaction that
 * audits it, then announced on {@link EffectiveConfig#CANDIDATE_TOPIC} so that every replica
 * compiles the candidate once and publishes it with its snapshot. An attempt refused before the
 * store is audited once, here.
 *
 * <p>Preconditions: the candidate has its own version ({@code ETag}); the first one is set with
 * {@code If-None-Match: *}, a replace or removal needs {@code If-Match} with the candidate's
 * version. A promotion is a write of the app: {@code If-Match} with the app's version, and
 * optionally {@code candidate_version} in the body to promote only what was reviewed.
 */
@ApplicationScoped
public class CandidateService {
    private final EffectiveConfig effective;
    private final AppStore apps;
    private final CandidateStore store;
    private final AppService service;
    private final ClusterEvents events;

    public CandidateService(EffectiveConfig effective, AppStore apps, CandidateStore store, AppService service,
                            ClusterEvents events) {
        this.effective = effective;
        this.apps = apps;
        this.store = store;
        this.service = service;
        this.events = events;
    }

    /** {@code PUT /apps/{id}/candidate} {@code {"policy": {...}, "comment": "..."}}. */
    Candidate put(String id, String ifMatch, String ifNoneMatch, String contentType, InputStream in, AdminRequest who) {
        return service.audited(CandidateStore.SET, id, who, () -> {
            byte[] bytes = service.body(in);
            return putChecked(id, ifMatch, ifNoneMatch, () -> Requests.object(contentType, bytes), who);
        });
    }

    /**
     * The same set or replace for a request already read (the console's form): the same checks,
     * the same store write, the same audit entry.
     *
     * @param request {@code policy} and an optional {@code comment}; not modified
     */
    public Candidate put(String id, String ifMatch, String ifNoneMatch, Map<String, Object> request,
                         AdminRequest who) {
        return service.audited(CandidateStore.SET, id, who,
                () -> putChecked(id, ifMatch, ifNoneMatch, () -> new LinkedHashMap<>(request), who));
    }

    private Candidate putChecked(String id, String ifMatch, String ifNoneMatch, Supplier<Map<String, Object>> request,
                                 AdminRequest who) {
        Requests.id(id);
        Long expected = Preconditions.expectedVersion(ifMatch, ifNoneMatch, true);
        Map<String, Object> body = request.get();
        String comment = Requests.takeComment(body);
        onlyFields(body, "policy");
        Object policy = body.get("policy");
        if (policy == null) {
            throw ApiProblem.invalid("invalid-policy", "The candidate needs a policy.",
                    List.of(new AppDocument.Error("policy", "is required")));
        }
        List<AppDocument.Error> errors = check(policy);
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid("invalid-policy", "The candidate policy is not valid; nothing was saved.", errors);
        }
        requireApp(id);
        return written(id, expected, store.write(id, expected, Json.canonical(policy), comment,
                AppService.actor(who), who.clientAddress(), who.requestId()));
    }

    /**
     * The errors a candidate policy has, at the paths {@code POST /validate} gives
     * ({@code policy.allow...}); empty when it compiles. Stores nothing, audits nothing.
     */
    public List<AppDocument.Error> check(Object policy) {
        CompileResult r = PolicyCompiler.compile(policy, "policy", 1);
        return r.ok() ? List.of() : r.errors().stream().map(e -> new AppDocument.Error(e.path(), e.message())).toList();
    }

    /** {@code DELETE /apps/{id}/candidate} with {@code If-Match}. */
    public Candidate delete(String id, String ifMatch, String ifNoneMatch, AdminRequest who) {
        return service.audited(CandidateStore.REMOVE, id, who, () -> {
            Requests.id(id);
            Long expected = Preconditions.expectedVersion(ifMatch, ifNoneMatch, false);
            return written(id, expected, store.write(id, expected, null, null, AppService.actor(who),
                    who.clientAddress(), who.requestId()));
        });
    }

    /** {@code POST /apps/{id}/candidate/promote} {@code {"comment"?, "candidate_version"?}} with the app's {@code If-Match}. */
    AppVersion promote(String id, String ifMatch, String ifNoneMatch, String contentType, InputStream in,
                       AdminRequest who) {
        AppVersion v = service.audited("app.promote", id, who, () -> {
            byte[] bytes = service.body(in);
            return promoteChecked(id, ifMatch, ifNoneMatch, () -> bytes.length == 0 ? new LinkedHashMap<>()
                    : Requests.object(contentType, bytes), who);
        });
        announce(id); // the candidate is gone
        return v;
    }

    /**
     * The same promotion for a request already read (the console's confirmation form).
     *
     * @param request an optional {@code comment} and {@code candidate_version}; not modified
     */
    public AppVersion promote(String id, String ifMatch, Map<String, Object> request, AdminRequest who) {
        AppVersion v = service.audited("app.promote", id, who,
                () -> promoteChecked(id, ifMatch, null, () -> new LinkedHashMap<>(request), who));
        announce(id);
        return v;
    }

    private AppVersion promoteChecked(String id, String ifMatch, String ifNoneMatch,
                                      Supplier<Map<String, Object>> request, AdminRequest who) {
        Requests.id(id);
        Long expected = Preconditions.expectedVersion(ifMatch, ifNoneMatch, false);
        if (effective.fileApp(id).isPresent()) {
            throw new ApiProblem(409, "origin-file", "App '" + id + "' comes from the config file (origin: file): "
                    + "promote its candidate by editing the file, then remove the candidate.");
        }
        Map<String, Object> body = request.get();
        String comment = Requests.takeComment(body);
        onlyFields(body, "candidate_version");
        Object asked = body.get("candidate_version");
        if (asked != null && !(asked instanceof Integer || asked instanceof Long)) {
            throw ApiProblem.invalid("invalid-request", "The promotion request is not valid.",
                    List.of(new AppDocument.Error("candidate_version", "expected a version number")));
        }
        Candidate k = store.current(id).orElseThrow(() -> new ApiProblem(404, "no-candidate",
                "App '" + id + "' has no candidate policy."));
        if (asked != null && ((Number) asked).longValue() != k.version()) {
            throw new ApiProblem(412, "precondition-failed", "The candidate of app '" + id + "' is at version "
                    + k.version() + ", not " + asked + ": read it again.");
        }
        return service.promote(id, expected, k.version(), Json.parseStored(k.policy()),
                comment != null ? comment : "promoted candidate version " + k.version(), who);
    }

    /**
     * Puts the change in force on this replica before the caller gets its answer (a request right
     * after a write sees it, as with app writes), then tells the others; on PostgreSQL the notice
     * comes back here too, where it is a no-op.
     */
    private void announce(String id) {
        effective.candidateChanged(id);
        events.publish(EffectiveConfig.CANDIDATE_TOPIC, id);
    }

    private Candidate written(String id, Long expected, CandidateStore.Result r) {
        switch (r.outcome()) {
            case OK -> {
                announce(id);
                return r.written();
            }
            case STALE -> throw new ApiProblem(412, "precondition-failed", expected == null
                    ? "App '" + id + "' has a candidate (version " + r.current() + "): replace it with If-Match."
                    : "The candidate of app '" + id + "' is at version " + r.current() + ", not " + expected
                            + " (or was removed): read it again.").alreadyAudited();
            case NOT_FOUND -> throw new ApiProblem(404, "no-candidate", "App '" + id + "' has no candidate policy.")
                    .alreadyAudited();
            default -> throw new IllegalStateException(r.outcome().name());
        }
    }

    /** The app must exist (in the file, or alive in the store) to get a candidate. */
    private void requireApp(String id) {
        if (effective.fileApp(id).isEmpty() && apps.latest(id).filter(v -> !v.deleted()).isEmpty()) {
            throw new ApiProblem(404, "not-found", "No app '" + id + "'.");
        }
    }

    private static void onlyFields(Map<String, Object> body, String allowed) {
        List<AppDocument.Error> errors = new ArrayList<>();
        body.keySet().stream().filter(k -> !k.equals(allowed)).forEach(k -> errors.add(new AppDocument.Error("",
                "unknown field '" + k + "' (expected " + allowed + ", comment)")));
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid("invalid-request", "The request is not valid.", errors);
        }
    }
}
