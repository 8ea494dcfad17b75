package dev.gatehouse.admin;

import dev.gatehouse.access.AdminAudit;
import dev.gatehouse.access.AdminRequest;
import dev.gatehouse.store.Actor;
import dev.gatehouse.store.AuditEvent;
import dev.gatehouse.store.AuditLog;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Records in the audit log the admin requests the gateway refused (action {@code admin.refused},
 * outcome {@code unauthenticated} or {@code denied}). The gateway calls it on an event loop, so the
 * append runs on a worker thread; a store that is down loses the entry (logged), never the answer.
 */
@ApplicationScoped
public class RefusedAttempts implements AdminAudit {
    private static final Logger LOG = Logger.getLogger(RefusedAttempts.class);
    private static final Pattern APP = Pattern.compile("^/(?:api/v1|console)/apps/([a-z0-9][a-z0-9-]{0,62})(?:/|$)");

    private final Vertx vertx;
    private final AuditLog audit;

    public RefusedAttempts(Vertx vertx, AuditLog audit) {
        this.vertx = vertx;
        this.audit = audit;
    }

    @Override
    public void refused(AdminRequest request, String method, String path, int status, String reason) {
        Matcher m = APP.matcher(path);
        String detail = Responses.object().put("method", method)
                .put("path", path.length() > 500 ? path.substring(0, 500) : path).put("status", status).toString();
        AuditEvent event = new AuditEvent(new Actor(request.subject(), request.idp()), "admin.refused",
                m.find() ? m.group(1) : null, request.clientAddress(), request.requestId(), reason, detail);
        vertx.executeBlocking(() -> audit.record(event), false)
                .onFailure(e -> LOG.warnf("refused admin request %s not audited: %s", request.requestId(), e.toString()));
    }
}
