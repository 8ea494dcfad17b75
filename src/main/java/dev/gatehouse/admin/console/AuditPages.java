package dev.gatehouse.admin.console;

import dev.gatehouse.admin.ApiProblem;
import dev.gatehouse.admin.AuditService;
import dev.gatehouse.admin.console.PageModels.AuditFilter;
import dev.gatehouse.admin.console.PageModels.AuditRow;
import dev.gatehouse.admin.console.PageModels.ChainStatus;
import dev.gatehouse.store.AuditEntry;
import dev.gatehouse.store.AuditVerifier;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The audit log in the console: entries filtered by app, actor and time ({@code GET /api/v1/audit})
 * and the chain's verification ({@code GET /api/v1/audit/verify}) on one page.
 */
@Path("/console/audit")
@Blocking
public class AuditPages {
    static final int PAGE = 50;
    /** A time as a person types it, or as {@code <input type=datetime-local>} sends it: read as UTC. */
    private static final Pattern LOCAL = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?");
    private static final int DETAIL = 400;

    private final ConsolePages pages;
    private final AuditService audit;

    public AuditPages(ConsolePages pages, AuditService audit) {
        this.pages = pages;
        this.audit = audit;
    }

    @GET
    public Response audit(@QueryParam("app") String app, @QueryParam("actor") String actor,
                          @QueryParam("since") String since, @QueryParam("until") String until,
                          @QueryParam("cursor") String cursor) {
        AuditFilter filter = new AuditFilter(trim(app), trim(actor), trim(since), trim(until));
        AuditVerifier.Result v = audit.verify();
        ChainStatus chain = new ChainStatus(v.ok(), v.entries(), v.head(), v.brokenAt(), v.problem());
        List<AuditRow> rows = List.of();
        String older = null;
        String problem = null;
        int status = 200;
        try {
            AuditService.Page page = audit.query(filter.app(), filter.actor(), instant(filter.since()),
                    instant(filter.until()), cursor, Integer.toString(PAGE));
            rows = page.items().stream().map(AuditPages::row).toList();
            older = page.nextCursor() == null ? null : "/console/audit?app=" + enc(filter.app()) + "&actor="
                    + enc(filter.actor()) + "&since=" + enc(filter.since()) + "&until=" + enc(filter.until())
                    + "&cursor=" + enc(page.nextCursor());
        } catch (ApiProblem p) {
            status = 400;
            problem = p.detail().replace("an ISO-8601 instant such as 2026-01-31T12:00:00Z",
                    "a time such as 2026-01-31T12:00 (UTC) or 2026-01-31T12:00:00Z");
        }
        return pages.html(status, ConsoleTemplates.audit(pages.chrome("audit"), filter, rows, chain, older, problem));
    }

    private static AuditRow row(AuditEntry e) {
        var ev = e.event();
        String actor = ev.actor().subject() == null ? "unknown (no valid sign-in)"
                : ev.actor().subject() + " (" + ev.actor().idp() + ")";
        String detail = ev.detail() == null ? "" : ev.detail().length() > DETAIL
                ? ev.detail().substring(0, DETAIL) + "..." : ev.detail();
        return new AuditRow(e.seq(), ConsolePages.time(e.at()), actor, ev.action(), ev.appId(), ev.outcome(), detail,
                ev.requestId(), ev.clientAddress() == null ? "unknown" : ev.clientAddress());
    }

    /** A typed time as the API's ISO-8601 instant: a time without zone is UTC. */
    static String instant(String text) {
        if (text.isEmpty() || !LOCAL.matcher(text).matches()) {
            return text;
        }
        return text.length() == 16 ? text + ":00Z" : text + "Z";
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
