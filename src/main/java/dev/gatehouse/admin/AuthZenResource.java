package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.access.AccessCheck;
import dev.gatehouse.access.RequestReason;
import dev.gatehouse.config.AppDocument;
import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.route.AppRoute;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The OpenID AuthZEN Authorization API 1.0 access evaluation endpoints, on the admin host and
 * guarded by the admin policy like {@code /api/v1}: other systems ask Gatehouse for a decision the
 * way the standard says, and get the one the proxy would make (the same {@link AccessCheck}).
 *
 * <p>Mapping: {@code subject.id} is the {@code sub}; {@code subject.properties} carries the other
 * identity facts ({@code email}, {@code email_verified}, {@code groups}, {@code roles}, {@code claims},
 * {@code auth_time}, {@code amr}, {@code acr}, {@code idp}) and the device ({@code device: {id,
 * compliant, managed, trust, posture_at}}); {@code resource} is an app ({@code type: "app"},
 * {@code id}: the app id, {@code properties.path}); {@code action.name} is the HTTP method;
 * {@code context} has {@code source_address} and {@code time}. Missing facts are unknown and never
 * grant. An app not in force is {@code decision: false} with reason {@code route-not-found}.
 */
@Path("/access/v1")
@Tag(name = "authzen", description = "OpenID AuthZEN Authorization API 1.0: access evaluations")
@Blocking
public class AuthZenResource {
    static final int MAX_EVALUATIONS = 100;
    private static final Set<String> PARTS = Set.of("subject", "resource", "action", "context");
    private static final Set<String> SUBJECT = Set.of("type", "id", "properties");
    private static final Set<String> RESOURCE = Set.of("type", "id", "properties");
    private static final Set<String> ACTION = Set.of("name", "properties");
    private static final Set<String> CONTEXT = Set.of("source_address", "time");

    private final WhatIf whatIf;
    private final AppService service;
    private final AdminContext context;

    public AuthZenResource(WhatIf whatIf, AppService service, AdminContext context) {
        this.whatIf = whatIf;
        this.service = service;
        this.context = context;
    }

    @POST
    @Path("evaluation")
    @Operation(summary = "AuthZEN access evaluation", description = "{subject, resource, action, context?} -> "
            + "{decision: bool, context: {reason, reasons, rule, app, policy_version, reason_user}}")
    @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    public Response evaluation(@HeaderParam("Content-Type") String contentType, InputStream body) {
        context.request();
        Map<String, Object> doc = Requests.object(contentType, service.body(body));
        List<AppDocument.Error> errors = new ArrayList<>();
        unknownKeys(doc, PARTS, "", errors);
        fail(errors);
        return Responses.ok(evaluate(doc, ""));
    }

    @POST
    @Path("evaluations")
    @Operation(summary = "AuthZEN access evaluations (batch)", description = "Top-level subject, resource, action "
            + "and context are defaults each entry of evaluations may replace; options.evaluations_semantic: "
            + "execute_all (default), deny_on_first_deny, permit_on_first_permit (the answer stops after that "
            + "entry). Without evaluations it is a single evaluation.")
    @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    public Response evaluations(@HeaderParam("Content-Type") String contentType, InputStream body) {
        context.request();
        Map<String, Object> doc = Requests.object(contentType, service.body(body));
        List<AppDocument.Error> errors = new ArrayList<>();
        Set<String> top = new java.util.HashSet<>(PARTS);
        top.add("evaluations");
        top.add("options");
        unknownKeys(doc, top, "", errors);
        String semantic = semantic(doc.get("options"), errors);
        Object list = doc.get("evaluations");
        if (list != null && !(list instanceof List<?>)) {
            errors.add(new AppDocument.Error("evaluations", "expected a list of evaluations"));
        } else if (list instanceof List<?> l && l.size() > MAX_EVALUATIONS) {
            errors.add(new AppDocument.Error("evaluations", "at most " + MAX_EVALUATIONS + " evaluations per request"));
        }
        List<Map<String, Object>> items = new ArrayList<>();
        if (list instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                String at = "evaluations[" + i + "]";
                if (!(l.get(i) instanceof Map<?, ?> entry)) {
                    errors.add(new AppDocument.Error(at, "expected an object"));
                    continue;
                }
                Map<String, Object> merged = new LinkedHashMap<>();
                PARTS.forEach(p -> merged.put(p, doc.get(p))); // the defaults ...
                entry.forEach((k, v) -> merged.put(String.valueOf(k), v)); // ... each replaced whole by the entry's
                unknownKeys(merged, PARTS, at, errors);
                items.add(merged);
            }
        }
        fail(errors);
        if (items.isEmpty()) {
            return Responses.ok(evaluate(doc, "")); // no evaluations: a single evaluation (AuthZEN 1.0, 7.1)
        }
        ObjectNode out = Responses.object();
        ArrayNode results = out.putArray("evaluations");
        for (int i = 0; i < items.size(); i++) {
            ObjectNode result = evaluate(items.get(i), "evaluations[" + i + "]");
            results.add(result);
            boolean decision = result.get("decision").asBoolean();
            if (semantic.equals("deny_on_first_deny") && !decision
                    || semantic.equals("permit_on_first_permit") && decision) {
                break;
            }
        }
        return Responses.ok(out);
    }

    /** One evaluation: {@code {decision, context}}. */
    private ObjectNode evaluate(Map<String, Object> doc, String at) {
        String base = at.isEmpty() ? "" : at + ".";
        WhatIfFacts shapes = new WhatIfFacts();
        Map<String, Object> subject = required(shapes, doc.get("subject"), base + "subject", SUBJECT);
        Map<String, Object> resource = required(shapes, doc.get("resource"), base + "resource", RESOURCE);
        Map<String, Object> action = required(shapes, doc.get("action"), base + "action", ACTION);
        Map<String, Object> ctx = shapes.object(doc.get("context"), base + "context", CONTEXT);
        if (subject != null && !(subject.get("id") instanceof String)) {
            shapes.error(base + "subject.id", "expected a string (the sub)");
        }
        if (resource != null && !"app".equals(resource.get("type"))) {
            shapes.error(base + "resource.type", "expected \"app\" (Gatehouse decides access to its apps)");
        }
        if (resource != null && !(resource.get("id") instanceof String)) {
            shapes.error(base + "resource.id", "expected a string (the app id)");
        }
        if (action != null && !(action.get("name") instanceof String)) {
            shapes.error(base + "action.name", "expected a string (the HTTP method)");
        }
        Map<String, Object> resourceProps = resource == null ? null
                : shapes.object(resource.get("properties"), base + "resource.properties", Set.of("path"));
        fail(shapes.errors());

        AppRoute route = whatIf.route((String) resource.get("id"));
        if (route == null) {
            ObjectNode denied = Responses.object().put("decision", false);
            denied.putObject("context").put("reason", RequestReason.ROUTE_NOT_FOUND.code())
                    .putObject("reason_user").put("en", RequestReason.ROUTE_NOT_FOUND.explanation());
            return denied;
        }
        Map<String, Object> identity = new LinkedHashMap<>();
        if (subject.get("properties") instanceof Map<?, ?> props) {
            props.forEach((k, v) -> identity.put(String.valueOf(k), v));
        } else if (subject.get("properties") != null) {
            fail(List.of(new AppDocument.Error(base + "subject.properties", "expected an object")));
        }
        identity.put("sub", subject.get("id"));
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("method", action.get("name"));
        if (resourceProps != null && resourceProps.containsKey("path")) {
            request.put("path", resourceProps.get("path"));
        }
        if (ctx != null) {
            request.putAll(ctx);
        }
        AccessRequest facts = whatIf.facts(route, identity, null, request,
                new String[] {base + "subject.properties", base + "subject.properties.device", base + "context"});
        AccessCheck.Explained e = whatIf.explain(route, whatIf.policy(route, null), facts);
        ObjectNode out = Responses.object().put("decision", e.decision().allowed());
        ObjectNode c = out.putObject("context");
        c.put("app", route.id()).put("outcome", WhatIf.outcome(e.decision()))
                .put("reason", e.decision().primaryReason().code());
        ArrayNode reasons = c.putArray("reasons");
        e.decision().reasons().forEach(r -> reasons.add(r.code()));
        c.put("rule", e.decision().rule()).put("policy_version", e.decision().policyVersion());
        c.putObject("reason_user").put("en", e.decision().primaryReason().explanation());
        return out;
    }

    private static Map<String, Object> required(WhatIfFacts shapes, Object value, String at, Set<String> known) {
        if (value == null) {
            shapes.error(at, "is required");
            return null;
        }
        return shapes.object(value, at, known);
    }

    private static String semantic(Object options, List<AppDocument.Error> errors) {
        if (options == null) {
            return "execute_all";
        }
        if (!(options instanceof Map<?, ?> map)) {
            errors.add(new AppDocument.Error("options", "expected an object"));
            return "execute_all";
        }
        Object s = map.get("evaluations_semantic");
        if (s == null) {
            return "execute_all";
        }
        if (s instanceof String text && Set.of("execute_all", "deny_on_first_deny", "permit_on_first_permit")
                .contains(text)) {
            return text;
        }
        errors.add(new AppDocument.Error("options.evaluations_semantic",
                "expected execute_all, deny_on_first_deny or permit_on_first_permit"));
        return "execute_all";
    }

    private static void unknownKeys(Map<String, Object> doc, Set<String> known, String at,
                                    List<AppDocument.Error> errors) {
        doc.keySet().stream().filter(k -> !known.contains(k)).forEach(k -> errors.add(new AppDocument.Error(at,
                "unknown field '" + k + "'")));
    }

    private static void fail(List<AppDocument.Error> errors) {
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid("invalid-request", "The AuthZEN request is not valid.", errors);
        }
    }
}
