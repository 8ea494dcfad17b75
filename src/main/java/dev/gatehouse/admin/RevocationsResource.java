package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.revoke.Revocation;
import dev.gatehouse.store.RevocationStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Clock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/revocations}: lock out a user, a session or a device until an expiry, on every
 * replica and at once (tokens in the verified-token cache, sessions and open connections included);
 * list those in force; withdraw one. Ids are made by Gatehouse, so a create needs no precondition.
 */
@Path("/api/v1/revocations")
@Tag(name = "revocations", description = "Users, sessions and devices locked out before their credentials expire")
@Blocking
public class RevocationsResource {
    private final RevocationService service;
    private final RevocationStore store;
    private final AdminContext context;
    private final Clock clock;

    public RevocationsResource(RevocationService service, RevocationStore store, AdminContext context, Clock clock) {
        this.service = service;
        this.store = store;
        this.context = context;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "Revocations in force", description = "Items oldest first: id, user|session|device, idp, "
            + "expires, reason, created, created_by.")
    public Response list() {
        context.request();
        ObjectNode body = Responses.object();
        ArrayNode items = body.putArray("items");
        store.active(clock.instant()).forEach(r -> items.add(view(r)));
        return Responses.ok(body);
    }

    @POST
    @Operation(summary = "Revoke a user, a session or a device", description = "Body: {\"user\"|\"session\"|\"device\": "
            + "\"...\", \"idp\": \"...\" (users only; default: every IdP), \"expires\": ISO-8601 instant or duration "
            + "from now, \"reason\": \"...\"}. 201 with the revocation; 400 lists every error.")
    @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    public Response create(@HeaderParam("Content-Type") String contentType, InputStream body) {
        Revocation r = service.create(contentType, body, context.request());
        return Response.fromResponse(Responses.json(201, view(r)))
                .header("Location", "/api/v1/revocations/" + r.id()).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Withdraw a revocation", description = "204; 404 when there is none.")
    public Response delete(@PathParam("id") String id) {
        service.delete(id, context.request());
        return Response.noContent().header("Cache-Control", "no-store").build();
    }

    static ObjectNode view(Revocation r) {
        ObjectNode o = Responses.object().put("id", r.id()).put(r.kind().field(), r.target());
        o.put("idp", r.idp());
        o.put("expires", r.expires().toString());
        o.put("reason", r.reason());
        o.put("created", r.created().toString());
        o.putObject("created_by").put("sub", r.createdBy()).put("idp", r.createdByIdp());
        return o;
    }
}
