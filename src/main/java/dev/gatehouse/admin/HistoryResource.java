package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The history of an app written through the API: its versions (newest first, paged), one version
 * with its document, a structural diff of two, and a rollback (a new version whose content is an
 * old one's). Apps of the config file have their history in the file's repository: 409 here.
 */
@Path("/api/v1/apps/{id}")
@Tag(name = "history", description = "Versions, diffs and rollbacks of apps written through the API")
@Blocking
public class HistoryResource {
    private final AppCatalog catalog;
    private final AppService service;
    private final AdminContext context;

    public HistoryResource(AppCatalog catalog, AppService service, AdminContext context) {
        this.catalog = catalog;
        this.service = service;
        this.context = context;
    }

    @GET
    @Path("versions")
    @Operation(summary = "List versions, newest first (paged)")
    public Response versions(@PathParam("id") String id, @QueryParam("limit") String limit,
                             @QueryParam("cursor") String cursor) {
        context.request();
        int n = Requests.limit(limit);
        List<AppVersion> page = catalog.versions(id, Cursors.decodeNumber(cursor), n + 1);
        ObjectNode body = Responses.object();
        ArrayNode items = body.putArray("items");
        page.stream().limit(n).forEach(v -> items.add(Views.version(v, false)));
        body.put("next_cursor", page.size() > n ? Cursors.encode(Long.toString(page.get(n - 1).version())) : null);
        return Responses.ok(body);
    }

    @GET
    @Path("versions/{n}")
    @Operation(summary = "One version with its document (null for a deletion)")
    public Response version(@PathParam("id") String id, @PathParam("n") String n) {
        context.request();
        Requests.id(id);
        AppVersion v = catalog.version(id, Requests.version("n", n));
        return Preconditions.withEtag(Views.version(v, true), v.version(), 200);
    }

    @GET
    @Path("diff")
    @Operation(summary = "Structural diff of two versions", description = "Defaults: to = the latest, from = to - 1. "
            + "Changes: {path, op: added|removed|changed, from, to}.")
    public Response diff(@PathParam("id") String id, @QueryParam("from") String fromText,
                         @QueryParam("to") String toText) {
        context.request();
        Requests.id(id);
        AppCatalog.Diff d = catalog.diff(id, Requests.version("from", fromText), Requests.version("to", toText));
        ObjectNode body = Responses.object().put("id", id).put("from", d.from()).put("to", d.to());
        ArrayNode changes = body.putArray("changes");
        for (JsonDiff.Change c : d.changes()) {
            ObjectNode node = changes.addObject().put("path", c.path()).put("op", c.op());
            if (!c.op().equals("added")) {
                node.set("from", Responses.JSON.valueToTree(c.from()));
            }
            if (!c.op().equals("removed")) {
                node.set("to", Responses.JSON.valueToTree(c.to()));
            }
        }
        return Responses.ok(body);
    }

    @POST
    @Path("rollback")
    @Operation(summary = "Roll back to a version (If-Match required)", description = "Body: {\"version\": n, "
            + "\"comment\": \"...\"}; makes a new version whose content is version n's, validated again.")
    @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    public Response rollback(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
                             @HeaderParam("If-None-Match") String ifNoneMatch,
                             @HeaderParam("Content-Type") String contentType, InputStream body) {
        AppVersion v = service.rollback(id, ifMatch, ifNoneMatch, contentType, body, context.request());
        return Preconditions.withEtag(Views.app(Json.parseStored(v.document()), v.version(), Views.API), v.version(), 200);
    }
}
