package dev.gatehouse.admin.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.admin.AdminContext;
import dev.gatehouse.admin.ApiProblem;
import dev.gatehouse.admin.AppCatalog;
import dev.gatehouse.admin.AppService;
import dev.gatehouse.admin.JsonDiff;
import dev.gatehouse.admin.console.PageModels.ChangeRow;
import dev.gatehouse.admin.console.PageModels.DiffView;
import dev.gatehouse.admin.console.PageModels.VersionRow;
import dev.gatehouse.store.AppVersion;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An app's history in the console: its versions with author, time and comment, a readable diff of
 * any two ({@code GET /api/v1/apps/{id}/diff}), and a roll back with a confirmation step that
 * shows what it will change ({@code POST /api/v1/apps/{id}/rollback}).
 */
@Path("/console")
@Blocking
public class HistoryPages {
    static final int PAGE = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConsolePages pages;
    private final AdminContext context;
    private final FormGuard guard;
    private final AppCatalog catalog;
    private final AppService service;

    public HistoryPages(ConsolePages pages, AdminContext context, FormGuard guard, AppCatalog catalog,
                        AppService service) {
        this.pages = pages;
        this.context = context;
        this.guard = guard;
        this.catalog = catalog;
        this.service = service;
    }

    @GET
    @Path("apps/{id}/history")
    public Response history(@PathParam("id") String id, @QueryParam("from") String fromText,
                            @QueryParam("to") String toText, @QueryParam("before") String beforeText,
                            @QueryParam("rolledback") String rolledBack) {
        Long before = number("before", beforeText);
        List<AppVersion> page = catalog.versions(id, before, PAGE + 1);
        long latest = catalog.latest(id).version();
        List<VersionRow> rows = page.stream().limit(PAGE).map(v -> new VersionRow(v.version(), v.deleted(),
                author(v), ConsolePages.time(v.at()), v.comment(), v.version() == latest)).toList();
        Long to = number("to", toText);
        Long from = number("from", fromText);
        long t = to != null ? to : latest;
        long f = from != null ? from : t - 1;
        DiffView diff = null;
        if (t >= 1 && (f >= 1 || from == null)) {
            AppCatalog.Diff d = catalog.diff(id, f, t);
            diff = new DiffView(label(d.from()), label(d.to()), changes(d.changes()));
        }
        String notice = rolledBack == null ? null : "Rolled back: version " + latest + " has the content of version "
                + number("rolledback", rolledBack) + ". It is in force for the next request.";
        String older = page.size() > PAGE ? Long.toString(page.get(PAGE - 1).version()) : null;
        return pages.html(200, ConsoleTemplates.history(pages.chrome("apps"), id, rows, f, t, diff, notice, older));
    }

    @GET
    @Path("apps/{id}/rollback")
    public Response confirmRollback(@PathParam("id") String id, @QueryParam("version") String versionText) {
        Long target = number("version", versionText);
        if (target == null) {
            throw new ApiProblem(400, "invalid-parameter", "Pick the version to roll back to on the history page.");
        }
        AppVersion current = catalog.latest(id);
        AppVersion old = catalog.version(id, target);
        if (old.deleted()) {
            throw new ApiProblem(400, "invalid-rollback", "Version " + target + " deleted the app; roll back to a "
                    + "version with content.");
        }
        // what the roll back changes: from the current content to the old one
        List<ChangeRow> changes = changes(JsonDiff.diff(AppCatalog.document(current), AppCatalog.document(old)));
        DiffView diff = new DiffView("version " + current.version() + " (current)", "version " + target, changes);
        return pages.html(200, ConsoleTemplates.rollback(pages.chrome("apps"), id, current.version(), target, diff));
    }

    @POST
    @Path("apps/{id}/rollback")
    public Response rollback(@PathParam("id") String id, @HeaderParam("Content-Type") String contentType,
                             InputStream body) {
        Form in = guard.check(context, contentType, body, id);
        Long target = number("target", in.get("target"));
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("version", target);
        if (in.trimmed("comment") != null) {
            request.put("comment", in.trimmed("comment"));
        }
        try {
            service.rollback(id, in.get("version"), request, context.request());
        } catch (ApiProblem p) {
            if (p.status() == 412) {
                return pages.error(409, "App " + id + " changed after you opened the confirmation. Nothing was rolled "
                        + "back. Look at its history again.");
            }
            throw p;
        }
        return ConsolePages.seeOther("/console/apps/" + id + "/history?rolledback=" + target);
    }

    /** Who saved a version, in words. */
    static String author(AppVersion v) {
        return v.author().subject() == null ? "unknown" : v.author().subject() + " (" + v.author().idp() + ")";
    }

    /** The diff's changes with their values as compact JSON. */
    static List<ChangeRow> changes(List<JsonDiff.Change> changes) {
        return changes.stream().map(c -> new ChangeRow(c.path(), c.op(), json(c.from()), json(c.to()))).toList();
    }

    private static String label(long version) {
        return version == 0 ? "nothing (before the app existed)" : "version " + version;
    }

    private static String json(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            return String.valueOf(v);
        }
    }

    private static Long number(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(text.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new ApiProblem(400, "invalid-parameter", name + " must be a version number (1, 2, ...).");
    }
}
