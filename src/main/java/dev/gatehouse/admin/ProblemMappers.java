package dev.gatehouse.admin;

import dev.gatehouse.admin.console.ConsolePages;
import dev.gatehouse.admin.console.ConsoleRefusal;
import dev.gatehouse.store.StoreUnavailableException;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error of the admin API as {@code application/problem+json}: Gatehouse's own problems, the
 * framework's (unknown path 404, wrong method 405, ...), store trouble (503, logged once per outage:
 * {@link StoreOutageLog}) and bugs (500, logged with the request id, nothing of the failure in the answer).
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    AdminContext context;

    @Inject
    ConsolePages console;

    @ServerExceptionMapper
    public Response problem(ApiProblem p) {
        if (console()) {
            return console.error(p.status(), p.detail());
        }
        return Responses.problem(p.status(), p.reason(), p.detail(), p.errors(), context.requestId());
    }

    /** A console form refused before anything was done: a page in plain words. */
    @ServerExceptionMapper
    public Response consoleRefusal(ConsoleRefusal r) {
        return console.error(r.status(), r.getMessage());
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String reason = switch (status) {
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 415 -> "unsupported-media-type";
            default -> status >= 500 ? "internal-error" : "bad-request";
        };
        String detail = switch (status) {
            case 404 -> "No such resource in the admin API.";
            case 405 -> "This resource does not take that method.";
            default -> Responses.title(status) + ".";
        };
        if (console()) {
            return console.error(status, status == 404 ? "There is no such page in the console."
                    : status == 405 ? "This page does not take that kind of request." : detail);
        }
        return Responses.problem(status, reason, detail, List.of(), context.requestId());
    }

    @Inject
    StoreOutageLog storeOutages;

    @ServerExceptionMapper
    public Response store(StoreUnavailableException e) {
        storeOutages.requestFailed(context.requestId(), e); // once per outage at WARN, not a trace per request
        if (console()) {
            return console.error(503, "The store cannot be reached; nothing was changed. The running config stays in "
                    + "force. Try again in a moment.");
        }
        return Responses.problem(503, "store-unavailable",
                "The store cannot be reached; nothing was changed. The running config stays in force.", List.of(),
                context.requestId());
    }

    @ServerExceptionMapper
    public Response bug(Exception e) {
        LOG.errorf(e, "request %s failed", context.requestId());
        if (console()) {
            return console.error(500, "Gatehouse failed to handle the request. Nothing more is known here; the log "
                    + "has the details under the request id below.");
        }
        return Responses.problem(500, "internal-error", "Gatehouse failed to handle the request.", List.of(),
                context.requestId());
    }

    /** Whether the failed request was for a console page (answered in HTML, not problem+json). */
    private boolean console() {
        String path = context.path();
        return path != null && (path.equals("/console") || path.startsWith("/console/"));
    }
}
