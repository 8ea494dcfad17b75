package dev.gatehouse.admin;

import dev.gatehouse.config.AppDocument;
import java.util.List;

/**
 * An admin-API answer that is not a success, rendered as {@code application/problem+json} by
 * {@link ProblemMappers}: a status, a kebab-case reason (also the audit log's outcome), a detail in
 * plain words and, for an invalid document, every error with its path.
 */
public class ApiProblem extends RuntimeException {
    private final int status;
    private final String reason;
    private final List<AppDocument.Error> errors;
    private final boolean audited;

    public ApiProblem(int status, String reason, String detail) {
        this(status, reason, detail, List.of(), false);
    }

    private ApiProblem(int status, String reason, String detail, List<AppDocument.Error> errors, boolean audited) {
        super(detail, null, false, false); // an answer, not a failure: no stack trace
        this.status = status;
        this.reason = reason;
        this.errors = List.copyOf(errors);
        this.audited = audited;
    }

    /** 400 {@code invalid-app}: the document has errors, each with its path. */
    public static ApiProblem invalid(String detail, List<AppDocument.Error> errors) {
        return new ApiProblem(400, "invalid-app", detail, errors, false);
    }

    /** 400 with the given reason (e.g. {@code invalid-policy}): every error with its path. */
    public static ApiProblem invalid(String reason, String detail, List<AppDocument.Error> errors) {
        return new ApiProblem(400, reason, detail, errors, false);
    }

    /** The same problem with every error of the request, each with its path (for any 400). */
    ApiProblem withErrors(List<AppDocument.Error> all) {
        return new ApiProblem(status, reason, getMessage(), all, audited);
    }

    /** The same problem, already recorded in the audit log (by the store's transaction). */
    ApiProblem alreadyAudited() {
        return new ApiProblem(status, reason, getMessage(), errors, true);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public String detail() {
        return getMessage();
    }

    public List<AppDocument.Error> errors() {
        return errors;
    }

    /** Whether the attempt it answers is in the audit log already. */
    boolean audited() {
        return audited;
    }
}
