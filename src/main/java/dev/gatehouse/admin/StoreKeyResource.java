package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/store-key}: the sealing key of the secrets replicas share in the store (by id,
 * never the key) and the rows under each key; {@code POST .../reseal} seals every row with the
 * current key, the step of a sealing key rotation after which the old key can be dropped (and the
 * step that seals session keys an older release stored plain).
 */
@Path("/api/v1/store-key")
@Tag(name = "store-key", description = "The key that seals the secrets replicas share in the store")
@Blocking
public class StoreKeyResource {
    private final StoreKeyService service;
    private final AdminContext context;

    public StoreKeyResource(StoreKeyService service, AdminContext context) {
        this.service = service;
        this.context = context;
    }

    @GET
    @Operation(summary = "The store sealing key", description = "available (PostgreSQL and gatehouse.store.key), "
            + "current (the id of the key that seals; also the ETag), previous (ids of "
            + "gatehouse.store.previous-keys), sealed_by (rows per key id: the assertion signing keys and the session "
            + "keys; v1: old format no key here opens; plain: session keys stored before they were sealed), "
            + "pending (rows not sealed with the current key, plain ones included).")
    public Response get() {
        context.request();
        StoreKeyControl.State state = service.state();
        ObjectNode body = StoreKeyService.view(state);
        return state.available() ? tagged(body, state.current(), 200) : Responses.ok(body);
    }

    @POST
    @Path("reseal")
    @Operation(summary = "Re-seal every row with the current key", description = "Needs If-Match with the ETag of "
            + "GET /api/v1/store-key (the current key's id). Seals every shared secret with the current "
            + "gatehouse.store.key, so gatehouse.store.previous-keys can then be dropped; audited as "
            + "store-key.reseal with the counts. 200 with the state and the counts; 409 without a store key or "
            + "when a row does not unseal with this replica's keys (nothing written); 412 when this replica seals "
            + "with another key; 428 without If-Match.")
    public Response reseal(@HeaderParam("If-Match") String ifMatch, @HeaderParam("If-None-Match") String ifNoneMatch) {
        ObjectNode body = service.reseal(ifMatch, ifNoneMatch, context.request());
        return tagged(body, body.get("current").asText(), 200);
    }

    private static Response tagged(ObjectNode body, String keyId, int status) {
        return Response.fromResponse(Responses.json(status, body)).header("ETag", "\"" + keyId + "\"").build();
    }
}
