package dev.gatehouse.policy;

/**
 * The reason codes of policy decisions, kebab-case as the contract names them: only what a policy
 * decides. A bounded set: safe as a metric label. Each carries a plain-words explanation and what
 * the caller can do about it, used by the deny page and the problem+json body. Answers given
 * without a policy decision have their own codes ({@code dev.gatehouse.access.RequestReason}).
 */
public enum Reason implements ReasonCode {
    ACCEPT("accept", "The policy accepts every request.", ""),
    REJECT("reject", "The policy rejects every request.", "Ask the app's owner for access."),
    NO_ALLOW_RULE("no-allow-rule", "This app's policy allows nobody yet.", "Ask the app's owner to add an allow rule."),
    AUTHENTICATED_USER_OK("authenticated-user-ok", "You are signed in.", ""),
    USER_UNAUTHENTICATED("user-unauthenticated", "You are not signed in.", "Sign in and try again."),
    USER_OK("user-ok", "Your user id is allowed.", ""),
    USER_UNAUTHORIZED("user-unauthorized", "Your user id is not allowed here.", "Ask the app's owner for access."),
    EMAIL_OK("email-ok", "Your email address is allowed.", ""),
    EMAIL_UNAUTHORIZED("email-unauthorized", "Your email address is not allowed here.", "Ask the app's owner for access."),
    DOMAIN_OK("domain-ok", "Your email domain is allowed.", ""),
    DOMAIN_UNAUTHORIZED("domain-unauthorized", "Your email domain is not allowed here.", "Sign in with your company account."),
    GROUPS_OK("groups-ok", "Your group membership is allowed.", ""),
    GROUPS_UNAUTHORIZED("groups-unauthorized", "You are not in a group that may use this app.", "Ask your administrator to add you to the right group."),
    ROLES_OK("roles-ok", "Your role is allowed.", ""),
    ROLES_UNAUTHORIZED("roles-unauthorized", "You do not have a role that may use this app.", "Ask your administrator for the right role."),
    CLAIM_OK("claim-ok", "A required attribute of your account matches.", ""),
    CLAIM_UNAUTHORIZED("claim-unauthorized", "An attribute of your account does not match what this app requires.", "Ask your administrator to check your account."),
    DEVICE_OK("device-ok", "Your device meets the requirements.", ""),
    DEVICE_UNAUTHENTICATED("device-unauthenticated", "Your sign-in carries no device identity.", "Sign in from an enrolled company device."),
    DEVICE_UNAUTHORIZED("device-unauthorized", "Your device does not meet this app's requirements (not compliant, not managed or not trusted enough).", "Enrol your device or bring it into compliance, then sign in again."),
    DEVICE_POSTURE_STALE("device-posture-stale", "Your device's last security check is too old.", "Let your device management agent run its check, then sign in again."),
    MFA_OK("mfa-ok", "You signed in with a second factor.", ""),
    MFA_REQUIRED("mfa-required", "This app requires multi-factor sign-in.", "Sign out and sign in again with your second factor."),
    ACR_OK("acr-ok", "Your sign-in strength is sufficient.", ""),
    ACR_UNAUTHORIZED("acr-unauthorized", "Your sign-in method is not strong enough for this app.", "Sign in again with a stronger method."),
    AUTH_AGE_OK("auth-age-ok", "You signed in recently enough.", ""),
    REAUTH_REQUIRED("reauth-required", "Your sign-in is too old for this app.", "Sign in again."),
    HTTP_METHOD_OK("http-method-ok", "The request method is allowed.", ""),
    HTTP_METHOD_UNAUTHORIZED("http-method-unauthorized", "This request method is not allowed here.", ""),
    HTTP_PATH_OK("http-path-ok", "The path is allowed.", ""),
    HTTP_PATH_UNAUTHORIZED("http-path-unauthorized", "This path is not allowed for you.", "Ask the app's owner for access."),
    SOURCE_IP_OK("source-ip-ok", "Your network location is allowed.", ""),
    SOURCE_IP_UNAUTHORIZED("source-ip-unauthorized", "Access from your network location is not allowed.", "Connect from an allowed network."),
    TIME_OK("time-ok", "The current time is within the allowed window.", ""),
    TIME_UNAUTHORIZED("time-unauthorized", "This app cannot be used at this time.", "Try again within the allowed hours.");

    private final String code;
    private final String explanation;
    private final String remedy;

    Reason(String code, String explanation, String remedy) {
        this.code = code;
        this.explanation = explanation;
        this.remedy = remedy;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String explanation() {
        return explanation;
    }

    @Override
    public String remedy() {
        return remedy;
    }

    @Override
    public String toString() {
        return code;
    }
}
