package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.Response;
import java.util.regex.Pattern;

/**
 * Optimistic concurrency of the admin API, one implementation for every versioned resource (apps,
 * their history, candidate policies): a read answers its version as a strong ETag ({@code "3"}); a
 * write names the version it read ({@code If-Match: "3"}) or asks to create
 * ({@code If-None-Match: *}), and is answered with the new version's ETag, 201 when it created.
 * Refusals are {@link ApiProblem}s: 400 (both headers, or a wrong {@code If-None-Match}), 428 (no
 * usable precondition); 412 (stale) is the store's verdict, answered by the service that wrote.
 */
final class Preconditions {
    /** A version as an ETag: strong ({@code "3"}) or bare ({@code 3}); never {@code *} or weak. */
    private static final Pattern ETAG = Pattern.compile("\"([1-9][0-9]{0,17})\"|([1-9][0-9]{0,17})");

    private Preconditions() {
    }

    /**
     * The version a write expects: the number in {@code If-Match: "n"}; null for a create
     * ({@code If-None-Match: *}, allowed only when {@code createAllowed}).
     */
    static Long expectedVersion(String ifMatch, String ifNoneMatch, boolean createAllowed) {
        if (ifMatch != null && ifNoneMatch != null) {
            throw new ApiProblem(400, "invalid-precondition", "Send If-Match (replace) or If-None-Match: * (create), "
                    + "not both.");
        }
        if (ifNoneMatch != null) {
            if (!createAllowed || !ifNoneMatch.trim().equals("*")) {
                throw new ApiProblem(400, "invalid-precondition", createAllowed
                        ? "If-None-Match takes only *: create the app if it does not exist."
                        : "This write changes an existing app: send If-Match with its ETag.");
            }
            return null;
        }
        if (ifMatch == null) {
            throw new ApiProblem(428, "precondition-required", createAllowed
                    ? "Send If-None-Match: * to create the app, or If-Match with the ETag you read to replace it."
                    : "Send If-Match with the ETag you read (GET the app or its versions), so no change is lost.");
        }
        var m = ETAG.matcher(ifMatch.trim());
        if (!m.matches()) {
            throw new ApiProblem(428, "precondition-required", "If-Match must name the version you read, as its "
                    + "ETag (\"3\"); * and weak tags do not protect against lost updates.");
        }
        return Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2));
    }

    /**
     * The version a write to a resource that always exists expects ({@code If-Match: "n"}), for
     * resources other than apps; {@code readHint} says where the caller reads the ETag.
     */
    static long ifMatchVersion(String ifMatch, String ifNoneMatch, String readHint) {
        if (ifNoneMatch != null) {
            throw new ApiProblem(400, "invalid-precondition", "This write changes something that exists: send "
                    + "If-Match with the ETag of " + readHint + ", not If-None-Match.");
        }
        var m = ifMatch == null ? null : ETAG.matcher(ifMatch.trim());
        if (m == null || !m.matches()) {
            throw new ApiProblem(428, "precondition-required", "Send If-Match with the ETag of " + readHint
                    + " (\"3\"), so that two admins acting at once do not both act; * and weak tags are refused.");
        }
        return Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2));
    }

    /** The ETag of a version. */
    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** A JSON answer carrying {@code version} as its ETag. */
    static Response withEtag(ObjectNode body, long version, int status) {
        return Response.fromResponse(Responses.json(status, body)).header("ETag", etag(version)).build();
    }

    /**
     * The answer to a create-or-replace write that succeeded: 201 when it was a create (the request
     * carried {@code If-None-Match}, which {@link #expectedVersion} accepted only as {@code *}), else 200.
     */
    static Response written(ObjectNode body, long version, String ifNoneMatch) {
        return withEtag(body, version, ifNoneMatch != null ? 201 : 200);
    }
}
