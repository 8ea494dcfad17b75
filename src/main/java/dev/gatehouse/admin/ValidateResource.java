package dev.gatehouse.admin;

import dev.gatehouse.config.AppDocument;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /api/v1/validate}: the checks of a write, nothing saved, nothing audited. */
@Path("/api/v1/validate")
@Tag(name = "apps")
@Blocking
public class ValidateResource {
    private final AppService service;
    private final AdminContext context;

    public ValidateResource(AppService service, AdminContext context) {
        this.service = service;
        this.context = context;
    }

    @POST
    @Operation(summary = "Validate an app document without saving it", description = "200 {\"valid\": true}, or 400 "
            + "problem+json listing every error with its path (as a write would).")
    @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    public Response validate(@HeaderParam("Content-Type") String contentType, InputStream body) {
        context.request();
        List<AppDocument.Error> errors = service.check(Requests.object(contentType, service.body(body)));
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid("The app is not valid.", errors);
        }
        return Responses.ok(Responses.object().put("valid", true));
    }
}
