package dev.gatehouse.admin.console;

import dev.gatehouse.access.AccessCheck;
import dev.gatehouse.admin.AdminContext;
import dev.gatehouse.admin.ApiProblem;
import dev.gatehouse.admin.AppCatalog;
import dev.gatehouse.admin.CandidateService;
import dev.gatehouse.admin.JsonDiff;
import dev.gatehouse.admin.console.PageModels.CandidateView;
import dev.gatehouse.admin.console.PageModels.DiffView;
import dev.gatehouse.admin.console.PageModels.DisagreementRow;
import dev.gatehouse.config.CandidatePolicy;
import dev.gatehouse.observe.RecentDisagreements;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.store.AppVersion;
import dev.gatehouse.store.Candidate;
import dev.gatehouse.store.CandidateStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Shadow mode of an app: attach or replace a candidate policy (checked and saved as
 * {@code PUT /api/v1/apps/{id}/candidate}, errors at their paths), see how often it disagreed with
 * the live policy on real traffic on this replica and the latest disagreements
 * ({@link RecentDisagreements}), promote it after a confirmation that shows what it changes
 * ({@code POST .../candidate/promote}, with the app version and candidate version read as
 * preconditions), or discard it ({@code DELETE .../candidate} with the candidate version).
 */
@Path("/console/apps/{id}/shadow")
@Blocking
public class ShadowPages {
    static final int RECENT = 50;

    private final ConsolePages pages;
    private final AdminContext context;
    private final FormGuard guard;
    private final AppCatalog catalog;
    private final CandidateStore candidates;
    private final CandidateService service;
    private final AccessCheck access;
    private final RecentDisagreements recent;

    public ShadowPages(ConsolePages pages, AdminContext context, FormGuard guard, AppCatalog catalog,
                       CandidateStore candidates, CandidateService service, AccessCheck access,
                       RecentDisagreements recent) {
        this.pages = pages;
        this.context = context;
        this.guard = guard;
        this.catalog = catalog;
        this.candidates = candidates;
        this.service = service;
        this.access = access;
        this.recent = recent;
    }

    @GET
    public Response page(@PathParam("id") String id, @QueryParam("saved") String saved,
                         @QueryParam("promoted") String promoted, @QueryParam("discarded") String discarded) {
        AppCatalog.Entry app = catalog.get(id);
        Optional<Candidate> k = candidates.current(id);
        AppForm form = new AppForm();
        form.id = id;
        form.policy = k.map(c -> YamlText.write(tree(c.policy()))).orElseGet(() -> YamlText.write(app.document().get("policy")));
        form.version = k.map(c -> Long.toString(c.version())).orElse("");
        String notice = saved != null ? "Candidate saved as version " + digits(saved) + ". From now on every request to "
                + id + " is also evaluated against it; the live policy still decides."
                : promoted != null ? "Promoted: the candidate is now the live policy (app version " + digits(promoted)
                + "). Shadow mode is off until you attach a new candidate."
                : discarded != null ? "The candidate was discarded. The live policy is unchanged." : null;
        return page(200, app, k.orElse(null), form, notice);
    }

    @POST
    public Response save(@PathParam("id") String id, @HeaderParam("Content-Type") String contentType,
                         InputStream body) {
        Form in = guard.check(context, contentType, body, id);
        AppCatalog.Entry app = catalog.get(id);
        AppForm form = new AppForm();
        form.id = id;
        form.policy = in.get("policy");
        form.comment = in.get("comment").trim();
        form.version = in.get("candidate_version").trim();
        Candidate current = candidates.current(id).orElse(null);
        Object policy;
        try {
            policy = YamlText.read(form.policy);
        } catch (YamlText.Unreadable e) {
            form.addErrors(List.of(new dev.gatehouse.config.AppDocument.Error("policy", e.getMessage())));
            return page(400, app, current, form, null);
        }
        if ("check".equals(in.get("action"))) {
            if (policy == null) {
                form.addError("policy", "type the candidate policy");
            } else {
                form.addErrors(service.check(policy));
            }
            return page(form.errors().isEmpty() ? 200 : 400, app, current, form, form.errors().isEmpty()
                    ? "No problems found in the candidate (not saved yet)." : null);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        if (policy != null) {
            request.put("policy", policy);
        }
        if (!form.comment.isEmpty()) {
            request.put("comment", form.comment);
        }
        boolean first = form.version.isEmpty();
        try {
            Candidate saved = service.put(id, first ? null : "\"" + form.version + "\"", first ? "*" : null, request,
                    context.request());
            return ConsolePages.seeOther("/console/apps/" + id + "/shadow?saved=" + saved.version());
        } catch (ApiProblem p) {
            if (p.status() == 400 && !p.errors().isEmpty()) {
                form.addErrors(p.errors());
                return page(400, app, current, form, null);
            }
            if (p.status() == 412 || p.status() == 428) {
                return pages.error(409, "The candidate of app " + id + " changed after you opened this page (someone "
                        + "attached, replaced or removed it). Nothing was saved. Open shadow mode again.");
            }
            throw p;
        }
    }

    @GET
    @Path("promote")
    public Response confirmPromote(@PathParam("id") String id) {
        AppCatalog.Entry app = catalog.get(id);
        Candidate k = candidates.current(id).orElseThrow(() -> new ApiProblem(404, "no-candidate",
                "App " + id + " has no candidate policy to promote."));
        if (app.fromFile()) {
            throw new ApiProblem(409, "origin-file", "App " + id + " comes from the config file: promote its candidate "
                    + "by copying the policy into the file, then discard the candidate here.");
        }
        Map<String, Object> live = new LinkedHashMap<>();
        live.put("policy", app.document().get("policy"));
        Map<String, Object> next = new LinkedHashMap<>();
        next.put("policy", tree(k.policy()));
        DiffView diff = new DiffView("the live policy (app version " + app.version() + ")",
                "candidate version " + k.version(), HistoryPages.changes(JsonDiff.diff(live, next)));
        return pages.html(200, ConsoleTemplates.promote(pages.chrome("apps"), id, app.version(), k.version(), diff,
                view(k)));
    }

    @POST
    @Path("promote")
    public Response promote(@PathParam("id") String id, @HeaderParam("Content-Type") String contentType,
                            InputStream body) {
        Form in = guard.check(context, contentType, body, id);
        Map<String, Object> request = new LinkedHashMap<>();
        Long candidateVersion = number(in.get("candidate_version"));
        if (candidateVersion != null) {
            request.put("candidate_version", candidateVersion);
        }
        if (in.trimmed("comment") != null) {
            request.put("comment", in.trimmed("comment"));
        }
        AppVersion v;
        try {
            v = service.promote(id, "\"" + in.get("version").trim() + "\"", request, context.request());
        } catch (ApiProblem p) {
            if (p.status() == 412 || p.status() == 428) {
                return pages.error(409, "App " + id + " or its candidate changed after you opened the confirmation. "
                        + "Nothing was promoted. Look at shadow mode again.");
            }
            throw p;
        }
        return ConsolePages.seeOther("/console/apps/" + id + "/shadow?promoted=" + v.version());
    }

    @GET
    @Path("discard")
    public Response confirmDiscard(@PathParam("id") String id) {
        catalog.get(id); // 404 for an unknown app
        Candidate k = candidates.current(id).orElseThrow(() -> new ApiProblem(404, "no-candidate",
                "App " + id + " has no candidate policy to discard."));
        return pages.html(200, ConsoleTemplates.discard(pages.chrome("apps"), id, view(k)));
    }

    @POST
    @Path("discard")
    public Response discard(@PathParam("id") String id, @HeaderParam("Content-Type") String contentType,
                            InputStream body) {
        Form in = guard.check(context, contentType, body, id);
        try {
            service.delete(id, "\"" + in.get("candidate_version").trim() + "\"", null, context.request());
        } catch (ApiProblem p) {
            if (p.status() == 412 || p.status() == 428) {
                return pages.error(409, "The candidate of app " + id + " changed after you opened this page. Nothing "
                        + "was discarded. Open shadow mode again.");
            }
            throw p;
        }
        return ConsolePages.seeOther("/console/apps/" + id + "/shadow?discarded=1");
    }

    private Response page(int status, AppCatalog.Entry app, Candidate k, AppForm form, String notice) {
        List<DisagreementRow> rows = recent.of(app.id(), RECENT).stream().map(ShadowPages::row).toList();
        return pages.html(status, ConsoleTemplates.shadow(pages.chrome("apps"), app.id(), app.fromFile(),
                k == null ? null : view(k), rows, form, notice));
    }

    /** The stored candidate with this replica's tallies (zero until it is in force here). */
    private CandidateView view(Candidate k) {
        CandidatePolicy running = access.candidate(k.appId());
        boolean inForce = running != null && running.version() == k.version();
        long a2d = inForce ? running.allowToDeny() : 0;
        long d2a = inForce ? running.denyToAllow() : 0;
        String author = k.author().subject() == null ? "unknown" : k.author().subject() + " (" + k.author().idp() + ")";
        return new CandidateView(k.version(), YamlText.write(tree(k.policy())), author, ConsolePages.time(k.at()),
                k.comment(), inForce, inForce ? running.evaluated() : 0, a2d + d2a, a2d, d2a);
    }

    private static DisagreementRow row(RecentDisagreements.Disagreement d) {
        Decision deciding = d.candidate().allowed() ? d.live() : d.candidate();
        String reason = deciding.reasons().isEmpty() ? "" : deciding.primaryReason().code() + ": "
                + deciding.primaryReason().explanation();
        return new DisagreementRow(ConsolePages.time(Instant.ofEpochMilli(d.at())),
                d.user() == null ? "not signed in" : d.user(), d.method(), d.path() == null ? "" : d.path(),
                words(d.live()), words(d.candidate()), reason, d.candidateVersion(), d.requestId());
    }

    private static String words(Decision d) {
        return switch (d.outcome()) {
            case ALLOW -> "allowed";
            case DENY -> "denied";
            case UNAUTHENTICATED -> "asked to sign in";
        };
    }

    /** A stored candidate (canonical JSON) as a tree. */
    private static Object tree(String json) {
        try {
            return YamlText.read(json);
        } catch (YamlText.Unreadable e) {
            throw new IllegalStateException("a stored candidate is not valid JSON");
        }
    }

    private static String digits(String s) {
        return s.matches("[0-9]{1,18}") ? s : "?";
    }

    private static Long number(String s) {
        String t = s.trim();
        return t.matches("[1-9][0-9]{0,17}") ? Long.parseLong(t) : null;
    }
}
