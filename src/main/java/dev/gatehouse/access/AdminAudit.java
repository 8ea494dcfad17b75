package dev.gatehouse.access;

/**
 * Where the gateway reports admin-API requests it refused (401, 403) before anything reached the
 * API: the admin package records them in the audit log. Implementations must not block the caller
 * (an event loop).
 */
public interface AdminAudit {
    /**
     * @param request who asked
     * @param method  the HTTP method
     * @param path    the normalised path
     * @param status  401 or 403
     * @param reason  the deciding reason code
     */
    void refused(AdminRequest request, String method, String path, int status, String reason);
}
