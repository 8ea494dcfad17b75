package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.store.AuditVerifier;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/audit}: the audit log, newest first, filtered and paged; and its verification. */
@Path("/api/v1/audit")
@Tag(name = "audit", description = "The hash-chained audit log of admin actions")
@Blocking
public class AuditResource {
    private final AuditService audit;
    private final AdminContext context;

    public AuditResource(AuditService audit, AdminContext context) {
        this.audit = audit;
        this.context = context;
    }

    @GET
    @Operation(summary = "Audit entries, newest first", description = "Filters: app, actor (a sub), since and until "
            + "(ISO-8601 instants, until exclusive); paged with limit and cursor.")
    public Response query(@QueryParam("app") String app, @QueryParam("actor") String actor,
                          @QueryParam("since") String since, @QueryParam("until") String until,
                          @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        context.request();
        AuditService.Page page = audit.query(app, actor, since, until, cursor, limit);
        ObjectNode body = Responses.object();
        ArrayNode items = body.putArray("items");
        page.items().forEach(e -> items.add(Views.audit(e)));
        body.put("next_cursor", page.nextCursor());
        return Responses.ok(body);
    }

    @GET
    @Path("verify")
    @Operation(summary = "Verify the hash chain", description = "{\"ok\": true, \"entries\": N, \"head\": hash} or "
            + "{\"ok\": false, \"broken_at\": seq, \"problem\": ...}.")
    public Response verify() {
        context.request();
        AuditVerifier.Result r = audit.verify();
        ObjectNode body = Responses.object().put("ok", r.ok()).put("entries", r.entries());
        if (r.ok()) {
            body.put("head", r.head());
        } else {
            body.put("broken_at", r.brokenAt()).put("problem", r.problem());
        }
        return Responses.ok(body);
    }
}
