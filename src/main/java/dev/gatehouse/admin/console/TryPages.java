package dev.gatehouse.admin.console;

import dev.gatehouse.access.AccessCheck;
import dev.gatehouse.admin.AdminContext;
import dev.gatehouse.admin.ApiProblem;
import dev.gatehouse.admin.AppCatalog;
import dev.gatehouse.admin.WhatIf;
import dev.gatehouse.admin.console.PageModels.ReasonRow;
import dev.gatehouse.admin.console.PageModels.TraceRow;
import dev.gatehouse.admin.console.PageModels.TryResult;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Outcome;
import dev.gatehouse.policy.TraceNode;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Try it: the what-if panel of an app. The form's facts become the body of
 * {@code POST /api/v1/apps/{id}/evaluate} and go through the same {@link WhatIf#evaluate}, so the
 * decision, the reasons, the per-criterion trace and every error (at its path) are the API's;
 * against the live policy, the app's candidate or a policy typed here. A read: nothing is stored
 * or audited (as the API). The form is a POST only to carry a policy of any length.
 */
@Path("/console/apps/{id}/try")
@Blocking
public class TryPages {
    private final ConsolePages pages;
    private final AdminContext context;
    private final FormGuard guard;
    private final WhatIf whatIf;
    private final AppCatalog catalog;
    private final AccessCheck access;

    public TryPages(ConsolePages pages, AdminContext context, FormGuard guard, WhatIf whatIf, AppCatalog catalog,
                    AccessCheck access) {
        this.pages = pages;
        this.context = context;
        this.guard = guard;
        this.whatIf = whatIf;
        this.catalog = catalog;
        this.access = access;
    }

    @GET
    public Response form(@PathParam("id") String id) {
        TryForm form = new TryForm();
        form.policy = livePolicy(id);
        form.path = prefix(id);
        return page(200, id, form, null);
    }

    @POST
    public Response evaluate(@PathParam("id") String id, @HeaderParam("Content-Type") String contentType,
                             @HeaderParam("HX-Request") String htmx, InputStream body) {
        Form in = guard.check(context, contentType, body, id);
        if ("try-edited".equals(in.get("action"))) {
            // "Try this policy" from the editor: the form, with the editor's policy, before any facts
            TryForm form = new TryForm();
            form.policy = in.get("policy");
            form.policySource = "edited";
            form.path = prefix(id);
            return page(200, id, form, null);
        }
        TryForm form = TryForm.of(in);
        Map<String, Object> request = form.request();
        TryResult result = null;
        if (request != null) {
            try {
                result = result(whatIf.evaluate(id, request));
            } catch (ApiProblem p) {
                if (p.status() != 400) {
                    throw p;
                }
                if (p.errors().isEmpty()) {
                    form.addError("policy-source", p.detail());
                } else {
                    form.addErrors(p.errors());
                }
            }
        }
        // htmx swaps only answers it deems successful: the errors must reach the page as well
        int status = result == null && !"true".equals(htmx) ? 400 : 200;
        return page(status, id, form, result);
    }

    private Response page(int status, String id, TryForm form, TryResult result) {
        boolean hasCandidate = access.candidate(id) != null;
        if (access.routeById(id) == null) {
            throw new ApiProblem(404, "not-found", "No app '" + id + "' is in force: only an app in force can be tried.");
        }
        return pages.html(status, ConsoleTemplates.tryIt(pages.chrome("apps"), id, form, hasCandidate, result));
    }

    /** The decision and its trace in words. */
    static TryResult result(WhatIf.Answer a) {
        Decision d = a.explained().decision();
        String verdict = switch (d.outcome()) {
            case ALLOW -> "Allowed";
            case DENY -> "Denied";
            case UNAUTHENTICATED -> "Denied: the person would be asked to sign in (again)";
        };
        String policy = switch (a.policy()) {
            case "live" -> "the live policy (version " + d.policyVersion() + ")";
            case "candidate" -> "the candidate policy (shadow mode)";
            default -> "the policy typed here";
        };
        List<ReasonRow> reasons = d.reasons().stream()
                .map(r -> new ReasonRow(r.code(), r.explanation(), r.remedy())).toList();
        List<TraceRow> trace = new ArrayList<>();
        flatten(a.explained().trace().deny(), 0, trace);
        flatten(a.explained().trace().allow(), 0, trace);
        return new TryResult(d.outcome() == Outcome.ALLOW, verdict, policy, d.policyVersion(), d.rule(), reasons, trace);
    }

    private static void flatten(TraceNode n, int depth, List<TraceRow> into) {
        if (n == null) {
            return;
        }
        into.add(new TraceRow(depth, n.path(), n.kind(), n.outcome().name().toLowerCase(Locale.ROOT),
                n.reason() == null ? "" : n.reason().code(), n.explanation()));
        n.children().forEach(c -> flatten(c, depth + 1, into));
    }

    /** The live policy as YAML, to start an edit from. */
    private String livePolicy(String id) {
        try {
            return YamlText.write(catalog.get(id).document().get("policy"));
        } catch (ApiProblem notStored) {
            return "";
        }
    }

    private String prefix(String id) {
        var route = access.routeById(id);
        return route == null ? "/" : route.app().pathPrefix();
    }
}
