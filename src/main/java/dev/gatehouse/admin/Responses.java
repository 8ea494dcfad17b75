package dev.gatehouse.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.config.AppDocument;
import jakarta.ws.rs.core.Response;

/**
 * The admin API's response bodies, serialised here (not by the framework) so that successes and
 * problems have exactly the shapes the README documents.
 */
final class Responses {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PROBLEM = "application/problem+json";
    static final String JSON_TYPE = "application/json";

    private Responses() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static ArrayNode array() {
        return JSON.createArrayNode();
    }

    static Response json(int status, JsonNode body) {
        return Response.status(status).type(JSON_TYPE).header("Cache-Control", "no-store").entity(text(body)).build();
    }

    static Response ok(JsonNode body) {
        return json(200, body);
    }

    /** {@code {type, title, status, reason, detail, errors?, app?, request_id}}, as the data plane's problems. */
    static Response problem(int status, String reason, String detail, java.util.List<AppDocument.Error> errors,
                            String requestId) {
        ObjectNode p = object()
                .put("type", "https://gatehouse.dev/problems/" + reason)
                .put("title", title(status))
                .put("status", status)
                .put("reason", reason)
                .put("detail", detail);
        if (!errors.isEmpty()) {
            ArrayNode list = p.putArray("errors");
            errors.forEach(e -> list.addObject().put("path", e.path()).put("message", e.message()));
        }
        p.put("app", "_admin").put("request_id", requestId);
        Response.ResponseBuilder b = Response.status(status).type(PROBLEM).header("Cache-Control", "no-store")
                .entity(text(p));
        if (status == 503) {
            b.header("Retry-After", "5");
        }
        return b.build();
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 409 -> "Conflict";
            case 412 -> "Precondition failed";
            case 413 -> "Request body too large";
            case 415 -> "Unsupported media type";
            case 428 -> "Precondition required";
            case 503 -> "Store unavailable";
            default -> status >= 500 ? "Internal error" : "Error";
        };
    }

    static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
