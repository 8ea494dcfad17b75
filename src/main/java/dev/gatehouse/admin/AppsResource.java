package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.store.AppVersion;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
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
 * {@code /api/v1/apps}: list, read, create or replace, delete. Reads carry the version as an ETag;
 * writes need it back ({@code If-Match}) or {@code If-None-Match: *} to create. Apps of the config
 * file are listed and read with {@code origin: file} and refused for writes (409).
 */
@Path("/api/v1/apps")
@Tag(name = "apps", description = "Apps: the config file's (read-only) and those written through the API")
@Blocking
public class AppsResource {
    private final AppCatalog catalog;
    private final AppService service;
    private final AdminContext context;

    public AppsResource(AppCatalog catalog, AppService service, AdminContext context) {
        this.catalog = catalog;
        this.service = service;
        this.context = context;
    }

    @GET
    @Operation(summary = "List apps (paged)", description = "Items: id, host, path-prefix, version, origin (file|api), by id.")
    public Response list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        context.request();
        int n = Requests.limit(limit);
        String after = Cursors.decode(cursor);
        List<AppCatalog.Entry> page = catalog.all().stream().filter(e -> after == null || e.id().compareTo(after) > 0)
                .limit(n + 1L).toList();
        ObjectNode body = Responses.object();
        ArrayNode items = body.putArray("items");
        page.stream().limit(n).forEach(e -> items.add(Views.listItem(e.document(), e.version(), e.origin())));
        body.put("next_cursor", page.size() > n ? Cursors.encode(page.get(n - 1).id()) : null);
        return Responses.ok(body);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Read an app", description = "The app document as in the YAML, in JSON, plus version and "
            + "origin; ETag: \"<version>\".")
    public Response get(@PathParam("id") String id) {
        context.request();
        AppCatalog.Entry e = catalog.get(id);
        return Preconditions.withEtag(Views.app(e.document(), e.version(), e.origin()), e.version(), 200);
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Create (If-None-Match: *) or replace (If-Match: \"<version>\") an app",
            description = "Body: one app as in the YAML, in JSON, plus an optional comment. 400 lists every error "
                    + "with its path; 412 when the version is stale; 428 without a precondition.")
    @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    public Response put(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
                        @HeaderParam("If-None-Match") String ifNoneMatch,
                        @HeaderParam("Content-Type") String contentType, InputStream body) {
        AppVersion v = service.put(id, ifMatch, ifNoneMatch, contentType, body, context.request());
        Response r = Preconditions.written(Views.app(Json.parseStored(v.document()), v.version(), Views.API),
                v.version(), ifNoneMatch);
        return r.getStatus() == 201 ? Response.fromResponse(r).header("Location", "/api/v1/apps/" + id).build() : r;
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete an app (If-Match required)", description = "Makes a new version that deletes it; the "
            + "history stays and a rollback brings it back.")
    public Response delete(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
                           @HeaderParam("If-None-Match") String ifNoneMatch) {
        AppVersion v = service.delete(id, ifMatch, ifNoneMatch, context.request());
        return Preconditions.withEtag(Responses.object().put("id", id).put("version", v.version()).put("deleted", true),
                v.version(), 200);
    }
}
