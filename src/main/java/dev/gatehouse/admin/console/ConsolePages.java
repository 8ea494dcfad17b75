package dev.gatehouse.admin.console;

import dev.gatehouse.access.AdminRequest;
import dev.gatehouse.admin.AdminContext;
import dev.gatehouse.admin.console.PageModels.Chrome;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What every console page shares: the frame around it (who is signed in, the form token), the
 * headers of an HTML answer (never cached, never framed), redirects after a write, and the error
 * page in plain words.
 */
@ApplicationScoped
public class ConsolePages {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    /** Only this host's scripts, styles and forms; never in a frame (clickjacking). */
    static final String CSP = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private final AdminContext context;
    private final FormGuard guard;

    public ConsolePages(AdminContext context, FormGuard guard) {
        this.context = context;
        this.guard = guard;
    }

    /** The frame of a page in section {@code nav}, for the admitted caller. */
    public Chrome chrome(String nav) {
        AdminRequest who = context.request();
        return new Chrome(who.displayName(), who.idp(), nav, guard.token(context), who.requestId());
    }

    /** An HTML answer. */
    public Response html(int status, TemplateInstance page) {
        return html(status, page.render());
    }

    static Response html(int status, String body) {
        return Response.status(status).type("text/html; charset=utf-8").entity(body)
                .header("Cache-Control", "no-store").header("Content-Security-Policy", CSP)
                .header("X-Frame-Options", "DENY").header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin").build();
    }

    /** 303 to a console page: the browser shows it with a GET (a reload does not repeat the write). */
    public static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).header("Cache-Control", "no-store").build();
    }

    /** The error page: what happened in plain words; the frame when the caller is known. */
    public Response error(int status, String message) {
        AdminRequest who = null;
        try {
            who = context.request();
        } catch (RuntimeException notAdmitted) {
            // a request that did not come through the admin check: no name, no form token
        }
        Chrome c = who == null ? new Chrome(null, null, "", "", context.requestId())
                : new Chrome(who.displayName(), who.idp(), "", "", who.requestId());
        return html(status, ConsoleTemplates.error(c, status, title(status), message));
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Something in the request is not right";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 409, 412 -> "It changed in the meantime";
            case 413 -> "Too large";
            case 415 -> "Not a console form";
            case 503 -> "The store cannot be reached";
            default -> status >= 500 ? "Gatehouse failed" : "Something went wrong";
        };
    }

    /** A time as the console shows it (UTC). */
    static String time(Instant at) {
        return TIME.format(at);
    }
}
