package dev.gatehouse.admin.console;

import dev.gatehouse.access.Verdict;
import dev.gatehouse.admin.AdminContext;
import dev.gatehouse.admin.ApiProblem;
import dev.gatehouse.admin.RevocationService;
import dev.gatehouse.admin.console.PageModels.DenialRow;
import dev.gatehouse.admin.console.PageModels.RevocationRow;
import dev.gatehouse.observe.RecentDenials;
import dev.gatehouse.policy.ReasonCode;
import dev.gatehouse.revoke.Revocation;
import dev.gatehouse.route.SnapshotHolder;
import dev.gatehouse.store.RevocationStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * People and devices: revoke a user, a session or a device until an expiry
 * ({@code POST /api/v1/revocations} through {@link RevocationService}), the revocations in force,
 * withdrawing one after a confirmation ({@code DELETE /api/v1/revocations/{id}}), and a user's
 * recent refused requests with their reasons ({@link RecentDenials}: this replica's, in memory).
 */
@Path("/console/people")
@Blocking
public class PeoplePages {
    static final int DENIALS = 100;
    private static final Pattern REVOCATION_ID = Pattern.compile("rv-[0-9a-f]{20}");

    private final ConsolePages pages;
    private final AdminContext context;
    private final FormGuard guard;
    private final RevocationService service;
    private final RevocationStore store;
    private final RecentDenials denials;
    private final SnapshotHolder snapshots;
    private final Clock clock;

    public PeoplePages(ConsolePages pages, AdminContext context, FormGuard guard, RevocationService service,
                       RevocationStore store, RecentDenials denials, SnapshotHolder snapshots, Clock clock) {
        this.pages = pages;
        this.context = context;
        this.guard = guard;
        this.service = service;
        this.store = store;
        this.denials = denials;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    @GET
    public Response page(@QueryParam("user") String user, @QueryParam("app") String app,
                         @QueryParam("revoked") String revoked, @QueryParam("withdrawn") String withdrawn) {
        String notice = revoked != null && REVOCATION_ID.matcher(revoked).matches()
                ? "Revoked (" + revoked + "). Every replica refuses it from now on, open connections included."
                : withdrawn != null && REVOCATION_ID.matcher(withdrawn).matches()
                ? "Revocation " + withdrawn + " was withdrawn." : null;
        return page(200, new RevokeForm(), trim(user), trim(app), notice);
    }

    @POST
    @Path("revoke")
    public Response revoke(@HeaderParam("Content-Type") String contentType, InputStream body) {
        Form in = guard.check(context, contentType, body, null);
        RevokeForm form = RevokeForm.of(in);
        try {
            Revocation r = service.create(form.request(), context.request());
            return ConsolePages.seeOther("/console/people?revoked=" + r.id());
        } catch (ApiProblem p) {
            if (p.status() != 400) {
                throw p;
            }
            form.addErrors(p.errors().isEmpty() ? List.of(new dev.gatehouse.config.AppDocument.Error("", p.detail()))
                    : p.errors());
            return page(400, form, "", "", null);
        }
    }

    @GET
    @Path("revocations/{rid}/delete")
    public Response confirmDelete(@PathParam("rid") String rid) {
        Revocation r = find(rid);
        return pages.html(200, ConsoleTemplates.withdraw(pages.chrome("people"), row(r)));
    }

    @POST
    @Path("revocations/{rid}/delete")
    public Response delete(@PathParam("rid") String rid, @HeaderParam("Content-Type") String contentType,
                           InputStream body) {
        guard.check(context, contentType, body, null);
        service.delete(rid, context.request());
        return ConsolePages.seeOther("/console/people?withdrawn=" + rid);
    }

    private Revocation find(String rid) {
        if (!REVOCATION_ID.matcher(rid).matches()) {
            throw new ApiProblem(404, "not-found", "There is no revocation " + rid + ".");
        }
        return store.find(rid).filter(r -> r.activeAt(clock.millis())).orElseThrow(() -> new ApiProblem(404,
                "not-found", "There is no revocation " + rid + " in force (it expired or was withdrawn)."));
    }

    private Response page(int status, RevokeForm form, String user, String app, String notice) {
        List<RevocationRow> active = store.active(clock.instant()).stream().map(PeoplePages::row).toList();
        List<DenialRow> rows = user.isEmpty() ? List.of()
                : denials.of(user, app.isEmpty() ? null : app, DENIALS).stream().map(PeoplePages::row).toList();
        List<String> idps = new ArrayList<>(snapshots.current().config().idps().keySet());
        idps.sort(null);
        return pages.html(status, ConsoleTemplates.people(pages.chrome("people"), form, idps, active, user, app, rows,
                RecentDenials.CAPACITY, notice));
    }

    static RevocationRow row(Revocation r) {
        String by = r.createdBy() == null ? "unknown" : r.createdBy() + (r.createdByIdp() == null ? "" : " ("
                + r.createdByIdp() + ")");
        return new RevocationRow(r.id(), r.kind().field(), r.target(), r.idp() == null ? "" : r.idp(),
                ConsolePages.time(r.expires()), r.reason() == null ? "" : r.reason(), ConsolePages.time(r.created()), by);
    }

    static DenialRow row(RecentDenials.Denial d) {
        ReasonCode why = d.reason();
        String outcome = d.verdict() == Verdict.DENY ? "denied" : "asked to sign in (again)";
        return new DenialRow(ConsolePages.time(Instant.ofEpochMilli(d.at())), d.app(), d.method(),
                d.path() == null ? "" : d.path(), d.status(), outcome, why == null ? "" : why.code(),
                why == null ? "" : why.explanation(), why == null ? "" : why.remedy(), d.rule() == null ? "" : d.rule(),
                d.requestId());
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }
}
