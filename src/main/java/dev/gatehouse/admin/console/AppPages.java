package dev.gatehouse.admin.console;

import dev.gatehouse.access.AdminRequest;
import dev.gatehouse.admin.AdminContext;
import dev.gatehouse.admin.ApiProblem;
import dev.gatehouse.admin.AppCatalog;
import dev.gatehouse.admin.AppService;
import dev.gatehouse.admin.EffectiveConfig;
import dev.gatehouse.admin.JsonDiff;
import dev.gatehouse.admin.console.PageModels.Conflict;
import dev.gatehouse.config.AppDocument;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's app pages: the list, adding an app, the editor of an app's settings and policy
 * (checked as {@code POST /api/v1/validate} checks, saved as {@code PUT /api/v1/apps/{id}} saves,
 * a concurrent edit shown side by side), and deleting one with a confirmation step.
 */
@Path("/console")
@Blocking
public class AppPages {
    private final ConsolePages pages;
    private final AdminContext context;
    private final FormGuard guard;
    private final AppCatalog catalog;
    private final AppService service;
    private final AppListing listing;
    private final EffectiveConfig effective;

    public AppPages(ConsolePages pages, AdminContext context, FormGuard guard, AppCatalog catalog, AppService service,
                    AppListing listing, EffectiveConfig effective) {
        this.pages = pages;
        this.context = context;
        this.guard = guard;
        this.catalog = catalog;
        this.service = service;
        this.listing = listing;
        this.effective = effective;
    }

    @GET
    public Response home() {
        context.request();
        return ConsolePages.seeOther("/console/apps");
    }

    @GET
    @Path("apps")
    public Response list(@QueryParam("deleted") String deleted) {
        String notice = deleted == null || !deleted.matches("[a-z0-9][a-z0-9-]{0,62}") ? null : "App " + deleted + " was deleted. Its history stays: roll it back "
                + "from its history page to bring it back.";
        return pages.html(200, ConsoleTemplates.apps(pages.chrome("apps"), listing.rows(), listing.since(), notice));
    }

    @GET
    @Path("new")
    public Response newApp() {
        AppForm form = new AppForm();
        form.policy = "allow:\n  groups: { has: engineering }\n";
        return form(200, form, true, null, null);
    }

    @POST
    @Path("new")
    public Response create(@HeaderParam("Content-Type") String contentType, InputStream body) {
        AppForm form = AppForm.of(guard.check(context, contentType, body, null));
        return submit(form, true, form.id, (doc, who) -> service.put(form.id, null, "*", doc, who));
    }

    @GET
    @Path("apps/{id}")
    public Response app(@PathParam("id") String id, @QueryParam("saved") String saved) {
        AppCatalog.Entry e = catalog.get(id);
        String notice = saved == null ? null : "Saved as version " + e.version() + ". It is in force for the next request.";
        return form(200, AppForm.of(id, e.document(), e.version()), false, null, notice, e.fromFile());
    }

    @POST
    @Path("apps/{id}")
    public Response save(@PathParam("id") String id, @HeaderParam("Content-Type") String contentType,
                         InputStream body) {
        Form in = guard.check(context, contentType, body, id);
        AppForm form = AppForm.of(in);
        form.id = id;
        return submit(form, false, id, (doc, who) -> service.put(id, form.version, null, doc, who));
    }

    /** The live check of the editor (htmx): the same checks, as a fragment. */
    @POST
    @Path("check")
    public Response check(@HeaderParam("Content-Type") String contentType, InputStream body) {
        AppForm form = AppForm.of(guard.check(context, contentType, body, null));
        check(form);
        return pages.html(200, ConsoleTemplates.check(form.errors()));
    }

    @GET
    @Path("apps/{id}/delete")
    public Response confirmDelete(@PathParam("id") String id) {
        AppCatalog.Entry e = catalog.get(id);
        if (e.fromFile()) {
            throw fileApp(id);
        }
        return pages.html(200, ConsoleTemplates.delete(pages.chrome("apps"), id, e.version()));
    }

    @POST
    @Path("apps/{id}/delete")
    public Response delete(@PathParam("id") String id, @HeaderParam("Content-Type") String contentType,
                           InputStream body) {
        Form in = guard.check(context, contentType, body, id);
        try {
            service.delete(id, in.get("version"), null, in.trimmed("comment"), context.request());
        } catch (ApiProblem p) {
            if (p.status() == 412) {
                return pages.error(409, "App " + id + " changed after you opened the confirmation. Nothing was deleted. "
                        + "Look at it again before you delete it.");
            }
            throw p;
        }
        return ConsolePages.seeOther("/console/apps?deleted=" + id);
    }

    /** One write of the form: refused early when a YAML part cannot be read, else the service's answer. */
    private Response submit(AppForm form, boolean isNew, String id, Write write) {
        boolean save = !"check".equals(form.action);
        Map<String, Object> doc = form.document();
        if (doc == null) {
            return form(400, form, isNew, null, null);
        }
        if (!save) {
            check(form);
            return form(form.errors().isEmpty() ? 200 : 400, form, isNew, null,
                    form.errors().isEmpty() ? "No problems found. Nothing is saved until you press "
                            + (isNew ? "Add the app." : "Save.") : null);
        }
        try {
            AppVersion v = write.apply(doc, context.request());
            return ConsolePages.seeOther("/console/apps/" + id + "?saved=" + v.version());
        } catch (ApiProblem p) {
            return refused(form, isNew, doc, p);
        }
    }

    private Response refused(AppForm form, boolean isNew, Map<String, Object> doc, ApiProblem p) {
        switch (p.status()) {
            case 400 -> {
                if (p.errors().isEmpty()) {
                    form.addError(p.reason().equals("invalid-app-id") ? "id" : "other", p.detail());
                } else {
                    form.addErrors(p.errors());
                }
                return form(400, form, isNew, null, null);
            }
            case 409 -> {
                form.addError(p.reason().equals("route-taken") ? "host" : "id", p.detail());
                return form(409, form, isNew, null, null);
            }
            case 412 -> {
                if (isNew) {
                    form.addError("id", "an app with this id exists already: pick another id");
                    return form(409, form, true, null, null);
                }
                return conflict(form, doc);
            }
            case 404 -> {
                return pages.error(404, "App " + form.id + " was deleted while you edited it. Nothing was saved.");
            }
            default -> throw p;
        }
    }

    /** Someone saved first: both versions side by side; saving again replaces theirs. */
    private Response conflict(AppForm form, Map<String, Object> yours) {
        AppCatalog.Entry theirs;
        try {
            theirs = catalog.get(form.id);
        } catch (ApiProblem gone) {
            return pages.error(404, "App " + form.id + " was deleted while you edited it. Nothing was saved.");
        }
        AppVersion saved = catalog.version(form.id, theirs.version());
        Map<String, Object> mine = new LinkedHashMap<>(yours);
        mine.remove("comment");
        mine.put("id", form.id);
        Conflict c = new Conflict(theirs.version(), HistoryPages.author(saved), ConsolePages.time(saved.at()),
                saved.comment(), YamlText.write(theirs.document()), YamlText.write(mine),
                HistoryPages.changes(JsonDiff.diff(theirs.document(), mine)));
        form.version = Long.toString(theirs.version());
        return form(409, form, false, c, null);
    }

    private void check(AppForm form) {
        Map<String, Object> doc = form.document();
        if (doc == null) {
            return;
        }
        try {
            form.addErrors(service.check(doc));
        } catch (ApiProblem p) {
            form.addErrors(p.errors().isEmpty() ? List.of(new AppDocument.Error("", p.detail())) : p.errors());
        }
    }

    private Response form(int status, AppForm form, boolean isNew, Conflict conflict, String notice) {
        return form(status, form, isNew, conflict, notice, false);
    }

    private Response form(int status, AppForm form, boolean isNew, Conflict conflict, String notice, boolean fromFile) {
        List<String> idps = new ArrayList<>(effective.fileConfig().idps().keySet());
        return pages.html(status, ConsoleTemplates.app(pages.chrome("apps"), form, isNew, fromFile, idps, conflict,
                notice));
    }

    private static ApiProblem fileApp(String id) {
        return new ApiProblem(409, "origin-file", "App " + id + " comes from the config file: change it there.");
    }

    /** A write of the service for a document and the caller. */
    @FunctionalInterface
    private interface Write {
        AppVersion apply(Map<String, Object> document, AdminRequest who);
    }
}
