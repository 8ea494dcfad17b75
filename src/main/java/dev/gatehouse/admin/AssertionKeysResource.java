package dev.gatehouse.admin;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/assertion-keys}: which keys sign {@code X-Gatehouse-Assertion} and are published
 * in {@code /.gatehouse/jwks.json}, and {@code POST .../rotate} to make a new one the signer of every
 * replica (older keys stay published), {@code DELETE .../{kid}} to retire an older one.
 */
@Path("/api/v1/assertion-keys")
@Tag(name = "assertion-keys", description = "The keys that sign the identity assertion sent upstream")
@Blocking
public class AssertionKeysResource {
    private final AssertionKeyService service;
    private final AdminContext context;

    public AssertionKeysResource(AssertionKeyService service, AdminContext context) {
        this.service = service;
        this.context = context;
    }

    @GET
    @Operation(summary = "The assertion keys", description = "signing (key id), published (key ids, the signer "
            + "first), rotatable (shared through PostgreSQL), version (keys in the store; also the ETag).")
    public Response get() {
        context.request();
        AssertionKeyControl.KeySet set = service.current();
        // no version without the shared store: nothing there can be written through the API
        return set.rotatable() ? Preconditions.withEtag(AssertionKeyService.view(set), set.version(), 200)
                : Responses.ok(AssertionKeyService.view(set));
    }

    @POST
    @Path("rotate")
    @Operation(summary = "Rotate the assertion key", description = "Needs If-Match with the ETag of GET "
            + "/api/v1/assertion-keys. A new key signs on every replica from now on (each switches on the cluster "
            + "notice); older keys stay published. 201 with the key set; 409 without the shared store; 412 when "
            + "someone rotated since; 428 without If-Match.")
    public Response rotate(@HeaderParam("If-Match") String ifMatch, @HeaderParam("If-None-Match") String ifNoneMatch) {
        AssertionKeyControl.KeySet set = service.rotate(ifMatch, ifNoneMatch, context.request());
        return Preconditions.withEtag(AssertionKeyService.view(set), set.version(), 201);
    }

    @DELETE
    @Path("{kid}")
    @Operation(summary = "Retire an assertion key", description = "Needs If-Match with the ETag of GET "
            + "/api/v1/assertion-keys. No replica publishes the key any more (each drops it on the cluster notice), "
            + "so upstreams stop accepting assertions signed by it; its private half is erased from the store. "
            + "200 with the key set; 404 when no published key has that id; 409 for the key that signs (rotate "
            + "first) or without the shared store; 412 when the key set changed since; 428 without If-Match.")
    public Response retire(@PathParam("kid") String kid, @HeaderParam("If-Match") String ifMatch,
                           @HeaderParam("If-None-Match") String ifNoneMatch) {
        AssertionKeyControl.KeySet set = service.retire(kid, ifMatch, ifNoneMatch, context.request());
        return Preconditions.withEtag(AssertionKeyService.view(set), set.version(), 200);
    }
}
