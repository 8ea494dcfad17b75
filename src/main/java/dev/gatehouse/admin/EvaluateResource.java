package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.access.AccessCheck;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/v1/apps/{id}/evaluate}: what-if. Synthetic {@code identity}, {@code device} and
 * {@code request} facts give the decision, its reasons, the deciding rule and a per-criterion
 * trace, against the live policy, the app's candidate ({@code "policy": "candidate"}) or an edited
 * policy in the body. A read: nothing changes, nothing is audited (the admin request itself is in
 * the decision log under {@code _admin}).
 */
@Path("/api/v1/apps/{id}/evaluate")
@Tag(name = "what-if", description = "Decisions for synthetic requests, explained criterion by criterion")
@Blocking
public class EvaluateResource {
    private final WhatIf whatIf;
    private final AppService service;
    private final AdminContext context;

    public EvaluateResource(WhatIf whatIf, AppService service, AdminContext context) {
        this.whatIf = whatIf;
        this.service = service;
        this.context = context;
    }

    @POST
    @Operation(summary = "What-if: decide synthetic facts and explain the decision",
            description = "Body: {identity?: {sub, email, email_verified, groups, roles, claims, auth_time, amr, acr, "
                    + "idp}, device?: {id, compliant, managed, trust, posture_at}, request?: {method, path, "
                    + "source_address, time}, policy?: <policy> | \"candidate\"}. Answer: {app, policy, "
                    + "policy_version, decision, reasons, rule, trace}. Missing facts are unknown, as on the proxy.")
    @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    public Response evaluate(@PathParam("id") String id, @HeaderParam("Content-Type") String contentType,
                             InputStream body) {
        context.request();
        Map<String, Object> doc = Requests.object(contentType, service.body(body));
        WhatIf.Answer a = whatIf.evaluate(id, doc);
        AccessCheck.Explained e = a.explained();
        ObjectNode out = Responses.object().put("app", id).put("policy", a.policy())
                .put("policy_version", e.decision().policyVersion())
                .put("decision", WhatIf.outcome(e.decision()));
        out.set("reasons", WhatIf.reasons(e.decision().reasons()));
        out.put("rule", e.decision().rule());
        ObjectNode trace = out.putObject("trace");
        trace.set("deny", WhatIf.node(e.trace().deny()));
        trace.set("allow", WhatIf.node(e.trace().allow()));
        return Responses.ok(out);
    }
}
