package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.access.AccessCheck;
import dev.gatehouse.config.AppDocument;
import dev.gatehouse.config.CandidatePolicy;
import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.CompileResult;
import dev.gatehouse.policy.CompiledPolicy;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.PolicyCompiler;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.TraceNode;
import dev.gatehouse.route.AppRoute;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The what-if engine behind {@code POST /api/v1/apps/{id}/evaluate} and the AuthZEN endpoints:
 * synthetic facts ({@link WhatIfFacts}) decided by the one {@link AccessCheck}, the proxy's own code
 * path, against the app in force in this replica's snapshot (file and API apps alike), its
 * candidate, or a policy given in the request (validated like {@code POST /validate}).
 */
@ApplicationScoped
public class WhatIf {
    /** The fields of a what-if request. */
    static final Set<String> FIELDS = Set.of("identity", "device", "request", "policy");

    private final AccessCheck access;
    private final Clock clock;

    public WhatIf(AccessCheck access, Clock clock) {
        this.access = access;
        this.clock = clock;
    }

    /**
     * A what-if answered: the app, which policy decided ({@code live}, {@code candidate},
     * {@code request}) and the decision with its trace.
     */
    public record Answer(String app, String policy, AccessCheck.Explained explained) {
    }

    /**
     * {@code POST /apps/{id}/evaluate} for a request already read (the API's JSON body, the
     * console's form): {@code {identity?, device?, request?, policy?}}, checked, decided and
     * explained. Every fault is an {@link ApiProblem} with the paths the API reports.
     */
    public Answer evaluate(String appId, Map<String, Object> doc) {
        Requests.id(appId);
        List<AppDocument.Error> unknown = new ArrayList<>();
        doc.keySet().stream().filter(k -> !FIELDS.contains(k)).forEach(k -> unknown.add(new AppDocument.Error("",
                "unknown field '" + k + "' (expected identity, device, request, policy)")));
        if (!unknown.isEmpty()) {
            throw ApiProblem.invalid("invalid-request", "The what-if request is not valid.", unknown);
        }
        AppRoute route = routeOr404(appId);
        Policy policy = policy(route, doc.get("policy"));
        AccessRequest request = facts(route, doc.get("identity"), doc.get("device"), doc.get("request"),
                new String[] {"identity", "device", "request"});
        return new Answer(appId, policy.source(), explain(route, policy, request));
    }

    /** The app in force with this id, or null. */
    AppRoute route(String appId) {
        return access.routeById(appId);
    }

    /** The app in force with this id, or 404. */
    AppRoute routeOr404(String appId) {
        AppRoute route = access.routeById(appId);
        if (route == null) {
            throw new ApiProblem(404, "not-found", "No app '" + appId + "' is in force.");
        }
        return route;
    }

    /** Which policy a what-if decides with. */
    record Policy(String source, CompiledPolicy compiled) {
    }

    /**
     * The policy to try: the live one (null), the app's candidate ({@code "candidate"}) or a policy
     * document, compiled with the errors {@code POST /validate} gives ({@code policy.allow...}).
     */
    Policy policy(AppRoute route, Object spec) {
        if (spec == null) {
            return new Policy("live", route.app().policy());
        }
        if ("candidate".equals(spec)) {
            CandidatePolicy k = access.candidate(route.id());
            if (k == null) {
                throw new ApiProblem(404, "no-candidate", "App '" + route.id() + "' has no candidate policy in force.");
            }
            return new Policy("candidate", k.policy());
        }
        CompileResult r = PolicyCompiler.compile(spec, "policy", 0);
        if (!r.ok()) {
            throw ApiProblem.invalid("invalid-policy", "The policy is not valid; nothing was evaluated.",
                    r.errors().stream().map(e -> new AppDocument.Error(e.path(), e.message())).toList());
        }
        return new Policy("request", r.policy());
    }

    /** The facts as the proxy would see them, or 400 listing every fault. */
    AccessRequest facts(AppRoute route, Object identity, Object device, Object request, String[] at) {
        WhatIfFacts facts = new WhatIfFacts();
        AccessRequest r = facts.read(route, identity, device, request, at, clock.instant());
        if (r == null) {
            throw ApiProblem.invalid("invalid-request", "The what-if facts are not valid.", facts.errors());
        }
        return r;
    }

    /** Decides and explains. */
    AccessCheck.Explained explain(AppRoute route, Policy policy, AccessRequest request) {
        return access.explain(route, policy.compiled(), request);
    }

    /** The outcome label of a decision: allow, deny or unauthenticated. */
    static String outcome(Decision d) {
        return d.outcome().name().toLowerCase(Locale.ROOT);
    }

    /** {@code [{code, explanation, remedy?}]}. */
    static ArrayNode reasons(List<Reason> reasons) {
        ArrayNode out = Responses.array();
        for (Reason r : reasons) {
            ObjectNode node = out.addObject().put("code", r.code()).put("explanation", r.explanation());
            if (!r.remedy().isEmpty()) {
                node.put("remedy", r.remedy());
            }
        }
        return out;
    }

    /** One trace node and its children: {@code {path, kind, outcome, reason?, explanation, children?}}. */
    static ObjectNode node(TraceNode t) {
        if (t == null) {
            return null;
        }
        ObjectNode node = Responses.object().put("path", t.path()).put("kind", t.kind())
                .put("outcome", t.outcome().name().toLowerCase(Locale.ROOT));
        if (t.reason() != null) {
            node.put("reason", t.reason().code());
        }
        node.put("explanation", t.explanation());
        if (!t.children().isEmpty()) {
            ArrayNode children = node.putArray("children");
            t.children().forEach(c -> children.add(node(c)));
        }
        return node;
    }
}
