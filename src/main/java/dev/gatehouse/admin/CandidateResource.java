package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.access.AccessCheck;
import dev.gatehouse.config.CandidatePolicy;
import dev.gatehouse.store.AppVersion;
import dev.gatehouse.store.Candidate;
import dev.gatehouse.store.CandidateStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/apps/{id}/candidate}: shadow mode. An app may carry a candidate policy beside its
 * live one; every real request is decided by the live policy and also evaluated against the
 * candidate, disagreements counted ({@code gatehouse_shadow_disagreements_total}) and logged (the
 * decision log's {@code shadow} field). Reading it shows the tallies of this replica; promoting it
 * makes a new app version with its policy.
 */
@Path("/api/v1/apps/{id}/candidate")
@Tag(name = "shadow", description = "Candidate policies evaluated on real traffic beside the live one")
@Blocking
public class CandidateResource {
    private final CandidateStore store;
    private final CandidateService service;
    private final AccessCheck access;
    private final AdminContext context;

    public CandidateResource(CandidateStore store, CandidateService service, AccessCheck access,
                             AdminContext context) {
        this.store = store;
        this.service = service;
        this.access = access;
        this.context = context;
    }

    @GET
    @Operation(summary = "The app's candidate policy and how often it disagreed with the live one",
            description = "{app, version, policy, author, at, comment, shadow: {in_force, evaluated, "
                    + "disagreements: {allow_to_deny, deny_to_allow}}}; ETag: \"<candidate version>\".")
    public Response get(@PathParam("id") String id) {
        context.request();
        Requests.id(id);
        Candidate k = store.current(id).orElseThrow(() -> new ApiProblem(404, "no-candidate",
                "App '" + id + "' has no candidate policy."));
        return Preconditions.withEtag(view(k), k.version(), 200);
    }

    @PUT
    @Operation(summary = "Set (If-None-Match: *) or replace (If-Match: \"<candidate version>\") the candidate",
            description = "Body: {\"policy\": {...}, \"comment\": \"...\"}. 400 lists every error with its path.")
    @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    public Response put(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
                        @HeaderParam("If-None-Match") String ifNoneMatch,
                        @HeaderParam("Content-Type") String contentType, InputStream body) {
        Candidate k = service.put(id, ifMatch, ifNoneMatch, contentType, body, context.request());
        return Preconditions.written(view(k), k.version(), ifNoneMatch);
    }

    @DELETE
    @Operation(summary = "Remove the candidate (If-Match: \"<candidate version>\")")
    public Response delete(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
                           @HeaderParam("If-None-Match") String ifNoneMatch) {
        Candidate k = service.delete(id, ifMatch, ifNoneMatch, context.request());
        return Preconditions.withEtag(Responses.object().put("app", id).put("version", k.version())
                .put("removed", true), k.version(), 200);
    }

    @POST
    @Path("promote")
    @Operation(summary = "Promote the candidate: a new app version with its policy (If-Match: the app's ETag)",
            description = "Body (optional): {\"comment\": \"...\", \"candidate_version\": n}. The candidate is removed "
                    + "in the same transaction. Apps of the config file: 409.")
    @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    public Response promote(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
                            @HeaderParam("If-None-Match") String ifNoneMatch,
                            @HeaderParam("Content-Type") String contentType, InputStream body) {
        AppVersion v = service.promote(id, ifMatch, ifNoneMatch, contentType, body, context.request());
        return Preconditions.withEtag(Views.app(Json.parseStored(v.document()), v.version(), Views.API), v.version(),
                200);
    }

    private ObjectNode view(Candidate k) {
        ObjectNode node = Responses.object().put("app", k.appId()).put("version", k.version());
        node.set("policy", Responses.JSON.valueToTree(Json.parseStored(k.policy())));
        node.putObject("author").put("sub", k.author().subject()).put("idp", k.author().idp());
        node.put("at", k.at().toString()).put("comment", k.comment());
        CandidatePolicy running = access.candidate(k.appId());
        boolean inForce = running != null && running.version() == k.version();
        ObjectNode shadow = node.putObject("shadow").put("in_force", inForce)
                .put("evaluated", inForce ? running.evaluated() : 0);
        shadow.putObject("disagreements").put("allow_to_deny", inForce ? running.allowToDeny() : 0)
                .put("deny_to_allow", inForce ? running.denyToAllow() : 0);
        return node;
    }
}
