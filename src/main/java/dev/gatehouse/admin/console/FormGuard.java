package dev.gatehouse.admin.console;

import dev.gatehouse.access.AdminRequest;
import dev.gatehouse.admin.AdminContext;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.store.Actor;
import dev.gatehouse.store.AuditEvent;
import dev.gatehouse.store.AuditLog;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Locale;

/**
 * The checks every console write passes before the service layer sees it: a form body (bounded
 * by {@code gatehouse.admin.max-body-size}), sent from a page of this host ({@code Sec-Fetch-Site}
 * or, from browsers without it, {@code Origin}), carrying the form token issued to the same admin
 * ({@link CsrfTokens}). A refusal is recorded in the audit log ({@code admin.refused}) and nothing
 * else happens.
 */
@ApplicationScoped
public class FormGuard {
    /** The hidden field every console form carries. */
    public static final String TOKEN_FIELD = "_csrf";

    private final CsrfTokens tokens;
    private final AuditLog audit;
    private final long maxBody;

    public FormGuard(CsrfTokens tokens, AuditLog audit, GatehouseSettings settings) {
        this.tokens = tokens;
        this.audit = audit;
        this.maxBody = settings.admin().maxBodySize().asLongValue();
    }

    /** The token to put in the forms of a page for the caller. */
    public String token(AdminContext context) {
        return tokens.issue(context.request());
    }

    /**
     * Reads and checks a submitted form.
     *
     * @param appId the app the form is about (for the audit entry of a refusal), or null
     * @throws ConsoleRefusal 403 for a cross-site or tokenless form, 413/415 for a body that is not a small form
     */
    public Form check(AdminContext context, String contentType, InputStream body, String appId) {
        AdminRequest who = context.request();
        String site = context.header("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin")) {
            throw refuse(who, context, appId, "cross-site", "Sec-Fetch-Site: " + site);
        }
        String origin = context.header("Origin");
        if (site == null && origin != null && !sameOrigin(origin, context.header("Host"))) {
            throw refuse(who, context, appId, "cross-site", "Origin: " + origin);
        }
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("application/x-www-form-urlencoded")) {
            throw new ConsoleRefusal(415, "unsupported-media-type", "The console takes its own forms only.");
        }
        Form form = Form.decode(read(body));
        if (!tokens.valid(who, form.get(TOKEN_FIELD))) {
            throw refuse(who, context, appId, "invalid-form-token", form.get(TOKEN_FIELD).isEmpty()
                    ? "no form token" : "wrong or expired form token");
        }
        return form;
    }

    private byte[] read(InputStream in) {
        try {
            byte[] bytes = in == null ? new byte[0] : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 1, maxBody + 1));
            if (bytes.length > maxBody) {
                throw new ConsoleRefusal(413, "body-too-large", "The form is larger than the console accepts ("
                        + maxBody / 1024 + " KB).");
            }
            return bytes;
        } catch (IOException e) {
            throw new ConsoleRefusal(400, "invalid-request", "The form could not be read.");
        }
    }

    /** Whether an {@code Origin} names the host the request was sent to ("null" and garbage do not). */
    static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme();
            return ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getRawAuthority() != null
                    && uri.getRawAuthority().equalsIgnoreCase(host);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private ConsoleRefusal refuse(AdminRequest who, AdminContext context, String appId, String reason, String why) {
        String detail = new JsonObject().put("method", "POST").put("path", context.path()).put("status", 403).put("why", why).encode();
        audit.record(new AuditEvent(new Actor(who.subject(), who.idp()), "admin.refused", appId, who.clientAddress(),
                who.requestId(), reason, detail));
        return new ConsoleRefusal(403, reason, "This form was not sent from a page of the console you are signed in "
                + "to, or it has expired. Nothing was changed. Reload the page and try again.");
    }
}
