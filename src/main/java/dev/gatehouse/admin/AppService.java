package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.access.AdminRequest;
import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.AppDocument;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.store.Actor;
import dev.gatehouse.store.AppStore;
import dev.gatehouse.store.AppVersion;
import dev.gatehouse.store.AppWrite;
import dev.gatehouse.store.AuditEvent;
import dev.gatehouse.store.AuditLog;
import dev.gatehouse.store.ClusterEvents;
import dev.gatehouse.store.WriteResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The writes of the admin API: create, replace, delete, roll back. Each one is checked in this
 * order (id, precondition, origin, body, validation with the config file's reader, routes of file
 * apps), then applied by the store in one transaction that also audits it, then put in force by
 * {@link EffectiveConfig}. An attempt refused before the store is audited here, once; nothing of
 * it is stored and the running snapshot is unchanged.
 */
@ApplicationScoped
public class AppService {
    /** The cluster notice of an app write; the payload is the app's id. */
    public static final String TOPIC = "app";
    private final EffectiveConfig effective;
    private final AppStore store;
    private final AuditLog audit;
    private final ClusterEvents events;
    private final long maxBody;

    public AppService(EffectiveConfig effective, AppStore store, AuditLog audit, ClusterEvents events,
                      GatehouseSettings settings) {
        this.effective = effective;
        this.store = store;
        this.audit = audit;
        this.events = events;
        this.maxBody = settings.admin().maxBodySize().asLongValue();
    }

    /** The body, bounded ({@code gatehouse.admin.max-body-size}). */
    byte[] body(InputStream in) {
        return Requests.read(in, maxBody);
    }

    /** {@code PUT /apps/{id}}: a create ({@code If-None-Match: *}) or a replace ({@code If-Match}). */
    public AppVersion put(String id, String ifMatch, String ifNoneMatch, String contentType, InputStream body,
                          AdminRequest who) {
        return audited(putAction(ifMatch, ifNoneMatch), id, who, () -> {
            byte[] bytes = body(body); // first: the rest of the checks may answer before the body would be read
            return putChecked(id, ifMatch, ifNoneMatch, () -> Requests.object(contentType, bytes), who);
        });
    }

    /**
     * The same create or replace for a document already read (the console's form): the same
     * checks, the same store write, the same audit entry.
     *
     * @param document the app as in the YAML, plus an optional {@code comment}; not modified
     */
    public AppVersion put(String id, String ifMatch, String ifNoneMatch, Map<String, Object> document,
                          AdminRequest who) {
        return audited(putAction(ifMatch, ifNoneMatch), id, who,
                () -> putChecked(id, ifMatch, ifNoneMatch, () -> new LinkedHashMap<>(document), who));
    }

    private static String putAction(String ifMatch, String ifNoneMatch) {
        return ifNoneMatch != null ? AppWrite.Kind.CREATE.action()
                : ifMatch != null ? AppWrite.Kind.REPLACE.action() : "app.write";
    }

    private AppVersion putChecked(String id, String ifMatch, String ifNoneMatch, Supplier<Map<String, Object>> body,
                                  AdminRequest who) {
        Requests.id(id);
        Long expected = Preconditions.expectedVersion(ifMatch, ifNoneMatch, true);
        refuseFileApp(id);
        Map<String, Object> doc = body.get();
        String comment = Requests.takeComment(doc);
        Object bodyId = doc.get("id");
        if (bodyId != null && !bodyId.equals(id)) {
            throw ApiProblem.invalid("The id in the body differs from the path.",
                    List.of(new AppDocument.Error("id", "must be '" + id + "' as in the path (or left out)")));
        }
        doc.put("id", id);
        AppConfig app = validate(doc);
        return write(new AppWrite(expected == null ? AppWrite.Kind.CREATE : AppWrite.Kind.REPLACE, id, expected,
                Json.canonical(doc), AppDocument.routeKey(app), comment, null, actor(who), who.clientAddress(),
                who.requestId()));
    }

    /** {@code DELETE /apps/{id}} with {@code If-Match}. */
    public AppVersion delete(String id, String ifMatch, String ifNoneMatch, AdminRequest who) {
        return delete(id, ifMatch, ifNoneMatch, null, who);
    }

    /** {@code DELETE /apps/{id}} with {@code If-Match} and a comment (the console asks for one). */
    public AppVersion delete(String id, String ifMatch, String ifNoneMatch, String comment, AdminRequest who) {
        return audited(AppWrite.Kind.DELETE.action(), id, who, () -> {
            Requests.id(id);
            Long expected = Preconditions.expectedVersion(ifMatch, ifNoneMatch, false);
            refuseFileApp(id);
            Map<String, Object> c = new LinkedHashMap<>();
            if (comment != null) {
                c.put("comment", comment);
            }
            return write(new AppWrite(AppWrite.Kind.DELETE, id, expected, null, null, Requests.takeComment(c), null,
                    actor(who), who.clientAddress(), who.requestId()));
        });
    }

    /** {@code POST /apps/{id}/rollback} {@code {"version": n, "comment": "..."}} with {@code If-Match}. */
    public AppVersion rollback(String id, String ifMatch, String ifNoneMatch, String contentType, InputStream in,
                               AdminRequest who) {
        return audited(AppWrite.Kind.ROLLBACK.action(), id, who, () -> {
            byte[] bytes = body(in);
            return rollbackChecked(id, ifMatch, ifNoneMatch, () -> Requests.object(contentType, bytes), who);
        });
    }

    /**
     * The same rollback for a request already read (the console's confirmation form).
     *
     * @param request {@code version} and an optional {@code comment}; not modified
     */
    public AppVersion rollback(String id, String ifMatch, Map<String, Object> request, AdminRequest who) {
        return audited(AppWrite.Kind.ROLLBACK.action(), id, who,
                () -> rollbackChecked(id, ifMatch, null, () -> new LinkedHashMap<>(request), who));
    }

    private AppVersion rollbackChecked(String id, String ifMatch, String ifNoneMatch,
                                       Supplier<Map<String, Object>> request, AdminRequest who) {
        Requests.id(id);
        Long expected = Preconditions.expectedVersion(ifMatch, ifNoneMatch, false);
        refuseFileApp(id);
        Map<String, Object> body = request.get();
        String comment = Requests.takeComment(body);
        long target = rollbackTarget(body);
        AppVersion old = store.version(id, target).orElseThrow(() -> new ApiProblem(404, "version-not-found",
                "App '" + id + "' has no version " + target + "."));
        if (old.deleted()) {
            throw new ApiProblem(400, "invalid-rollback", "Version " + target + " deleted the app; roll back to "
                    + "a version with content.");
        }
        Map<String, Object> doc = asMap(Json.parseStored(old.document()));
        AppConfig app = validate(doc);
        return write(new AppWrite(AppWrite.Kind.ROLLBACK, id, expected, old.document(), AppDocument.routeKey(app),
                comment, target, actor(who), who.clientAddress(), who.requestId()));
    }

    /**
     * The checks a write makes on a document, for {@code POST /validate}: errors of the config
     * reader, the admin host, and routes or ids another app has. Empty when the document is valid.
     */
    public List<AppDocument.Error> check(Map<String, Object> doc) {
        Requests.takeComment(doc);
        AppDocument.Result r = read(doc);
        if (!r.ok()) {
            return r.errors();
        }
        List<AppDocument.Error> errors = new ArrayList<>();
        String id = r.app().id();
        if (effective.fileApp(id).isPresent()) {
            errors.add(new AppDocument.Error("id", "the config file defines app '" + id + "': it is read-only here"));
        }
        String route = AppDocument.routeKey(r.app());
        String owner = effective.fileRouteOwner(route);
        if (owner == null) {
            owner = effective.apiRouteOwner(route, id);
        }
        if (owner != null) {
            errors.add(new AppDocument.Error("host", "app '" + owner + "' already serves this host and path prefix"));
        }
        return errors;
    }

    private AppVersion write(AppWrite w) {
        WriteResult r = store.write(w);
        switch (r.outcome()) {
            case OK -> {
                // in force here before the answer (the caller's next request sees it); every replica,
                // this one too, hears the notice and applies the same version through the same path
                // (EffectiveConfig.applied, which ignores a version it already has)
                effective.applied(r.written());
                events.publish(TOPIC, w.appId());
                return r.written();
            }
            case STALE -> throw new ApiProblem(412, "precondition-failed", w.kind() == AppWrite.Kind.PROMOTE
                    && r.current() == w.expected() ? "The candidate of app '" + w.appId() + "' changed or was removed "
                    + "since version " + w.rollbackFrom() + ": read it again." : w.kind() == AppWrite.Kind.CREATE
                    ? "App '" + w.appId() + "' exists (version " + r.current() + "): replace it with If-Match."
                    : r.current() == 0 ? "App '" + w.appId() + "' does not exist: create it with If-None-Match: *."
                    : "App '" + w.appId() + "' is at version " + r.current() + ", not " + w.expected()
                            + ": read it again and reapply your change.").alreadyAudited();
            case NOT_FOUND -> throw new ApiProblem(404, "not-found", "No app '" + w.appId() + "'.").alreadyAudited();
            case ROUTE_TAKEN -> throw new ApiProblem(409, "route-taken", "App '" + r.conflict()
                    + "' already serves this host and path prefix.").alreadyAudited();
            default -> throw new IllegalStateException(r.outcome().name());
        }
    }

    private AppConfig validate(Map<String, Object> doc) {
        AppDocument.Result r = read(doc);
        if (!r.ok()) {
            throw ApiProblem.invalid("The app is not valid; nothing was saved.", r.errors());
        }
        String owner = effective.fileRouteOwner(AppDocument.routeKey(r.app()));
        if (owner != null) {
            throw new ApiProblem(409, "route-taken", "App '" + owner + "' of the config file (origin: file) serves "
                    + "this host and path prefix; the file's apps keep their routes.");
        }
        return r.app();
    }

    /** The config reader's verdict plus the admin host, which no app may claim. */
    private AppDocument.Result read(Map<String, Object> doc) {
        AppDocument.Result r = AppDocument.read(doc, effective.fileConfig().idps());
        if (r.ok() && r.app().host().equals(effective.adminHost())) {
            return new AppDocument.Result(null, List.of(new AppDocument.Error("host",
                    "'" + effective.adminHost() + "' is the admin API's host (gatehouse.admin.host)")));
        }
        return r;
    }

    private void refuseFileApp(String id) {
        if (effective.fileApp(id).isPresent()) {
            throw new ApiProblem(409, "origin-file", "App '" + id + "' comes from the config file (origin: file) and "
                    + "is read-only in the API: change it in the file.");
        }
    }

    private static long rollbackTarget(Map<String, Object> body) {
        List<AppDocument.Error> errors = new ArrayList<>();
        body.keySet().stream().filter(k -> !k.equals("version"))
                .forEach(k -> errors.add(new AppDocument.Error("", "unknown field '" + k + "'")));
        Object v = body.get("version");
        boolean integral = v instanceof Integer || v instanceof Long;
        if (!integral || ((Number) v).longValue() < 1) {
            errors.add(new AppDocument.Error("version", v == null ? "is required" : "expected a version number"));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid("The rollback request is not valid.", errors);
        }
        return ((Number) v).longValue();
    }

    /**
     * {@code POST /apps/{id}/candidate/promote}: a new version of the app whose policy is its
     * candidate's ({@code candidateVersion}), which the same store transaction removes. Runs inside
     * the caller's {@link #audited} attempt.
     *
     * @param expected the app version the caller read ({@code If-Match})
     */
    AppVersion promote(String id, long expected, long candidateVersion, Object policy, String comment,
                       AdminRequest who) {
        AppVersion latest = store.latest(id).filter(v -> !v.deleted())
                .orElseThrow(() -> new ApiProblem(404, "not-found", "No app '" + id + "'."));
        Map<String, Object> doc = asMap(Json.parseStored(latest.document()));
        doc.put("policy", policy);
        AppConfig app = validate(doc);
        return write(new AppWrite(AppWrite.Kind.PROMOTE, id, expected, Json.canonical(doc), AppDocument.routeKey(app),
                comment, candidateVersion, actor(who), who.clientAddress(), who.requestId()));
    }

    /** Runs a write; an attempt refused before the store's transaction is audited here. */
    <T> T audited(String action, String id, AdminRequest who, Supplier<T> attempt) {
        try {
            return attempt.get();
        } catch (ApiProblem p) {
            if (!p.audited()) {
                ObjectNode detail = Responses.object().put("status", p.status()).put("detail", p.detail());
                if (!p.errors().isEmpty()) {
                    ArrayNode errors = detail.putArray("errors");
                    p.errors().stream().limit(20).forEach(e -> errors.addObject().put("path", e.path())
                            .put("message", e.message()));
                }
                audit.record(new AuditEvent(actor(who), action, id == null || id.length() > 255 ? null : id,
                        who.clientAddress(), who.requestId(), p.reason(), detail.toString()));
            }
            throw p;
        }
    }

    static Actor actor(AdminRequest who) {
        return new Actor(who.subject(), who.idp());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object tree) {
        return (Map<String, Object>) tree;
    }
}
