package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.session.SessionSummary;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/sessions}: find a user's browser sessions (to end one, or to revoke it with
 * {@code POST /api/v1/revocations {"session": id}}), and end one on every replica. Never shows a
 * session's cookie handle or the IdP's tokens.
 */
@Path("/api/v1/sessions")
@Tag(name = "sessions", description = "Browser sessions of a user: list, end")
@Blocking
public class SessionsResource {
    private final SessionService service;
    private final AdminContext context;

    public SessionsResource(SessionService service, AdminContext context) {
        this.service = service;
        this.context = context;
    }

    @GET
    @Operation(summary = "A user's browser sessions", description = "?user=<sub> with &idp=<IdP id> "
            + "(default: every IdP), or ?email=<address> (verified, any case, every IdP; sessions made before "
            + "Gatehouse recorded emails are found by user only). Items newest first: id, idp, user, email, device_id, "
            + "app, host, created, last_seen, expires, readable.")
    public Response list(@QueryParam("user") String user, @QueryParam("email") String email,
                         @QueryParam("idp") String idp) {
        context.request();
        ObjectNode body = Responses.object();
        ArrayNode items = body.putArray("items");
        service.list(user, email, idp).forEach(s -> items.add(view(s)));
        return Response.fromResponse(Responses.ok(body)).header("Cache-Control", "no-store").build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "End a session on every replica", description = "204; 404 when there is none. Audited "
            + "(session.delete). The person can sign in again; to keep them out, revoke the user.")
    public Response end(@PathParam("id") String id) {
        service.end(id, context.request());
        return Response.noContent().header("Cache-Control", "no-store").build();
    }

    static ObjectNode view(SessionSummary s) {
        ObjectNode o = Responses.object().put("id", s.id()).put("idp", s.idpId()).put("user", s.subject());
        o.put("email", s.email());
        o.put("device_id", s.deviceId());
        o.put("app", s.appId());
        o.put("host", s.host());
        o.put("created", Instant.ofEpochMilli(s.createdMs()).toString());
        o.put("last_seen", Instant.ofEpochMilli(s.lastSeenMs()).toString());
        o.put("expires", Instant.ofEpochMilli(s.expiresMs()).toString());
        o.put("readable", s.readable());
        return o;
    }
}
