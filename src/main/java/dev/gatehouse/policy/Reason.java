package dev.gatehouse.policy;

/**
 * The reason codes of policy decisions, kebab-case as the contract names them: only what a policy
 * decides. A bounded set: safe as a metric label. Each carries a plain-words explanation and what
 * the caller can do about it, used by the deny page and the problem+json body. Answers given
 * without a policy decision have their own codes ({@code dev.gatehouse.access.RequestReason}).
 *
 * <p>Some policy reasons are "unknown" reasons ({@link #unknown()}): they name a fact the request
 * does not establish (a claim missing, of the wrong type or marked incomplete). A criterion that
 * returns one is UNKNOWN rather than false, which never grants and blocks in a deny block.
 */
public enum Reason implements ReasonCode {
    ACCEPT("accept", "The policy accepts every request.", ""),
    REJECT("reject", "The policy rejects every request.", "Ask the app's owner for access."),
    NO_ALLOW_RULE("no-allow-rule", "This app's policy allows nobody yet.", "Ask the app's owner to add an allow rule."),
    AUTHENTICATED_USER_OK("authenticated-user-ok", "You are signed in.", ""),
    USER_UNAUTHENTICATED("user-unauthenticated", "You are not signed in.", "Sign in and try again.", true),
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
    DEVICE_UNAUTHENTICATED("device-unauthenticated", "Your sign-in carries no device identity.", "Sign in from an enrolled company device.", true),
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
    TIME_UNAUTHORIZED("time-unauthorized", "This app cannot be used at this time.", "Try again within the allowed hours."),
    USER_UNKNOWN("user-unknown", "Your sign-in does not say who you are (no user id).",
            "Sign in again; if it persists, ask your administrator to check the identity provider.", true),
    EMAIL_UNKNOWN("email-unknown", "Your sign-in does not include an email address.",
            "Ask your administrator to have the identity provider send your email address.", true),
    EMAIL_UNVERIFIED("email-unverified", "Your sign-in carries an email address that the identity provider has not verified.",
            "Verify your email address with your identity provider, then sign in again.", true),
    DOMAIN_UNKNOWN("domain-unknown", "Your sign-in does not include an email address with a domain.",
            "Ask your administrator to have the identity provider send your email address.", true),
    GROUPS_UNKNOWN("groups-unknown", "Your sign-in does not say which groups you are in (the claim is missing, malformed or incomplete).",
            "Ask your administrator to have the identity provider send your complete group list.", true),
    ROLES_UNKNOWN("roles-unknown", "Your sign-in does not say which roles you have (the claim is missing, malformed or incomplete).",
            "Ask your administrator to have the identity provider send your complete role list.", true),
    CLAIM_UNKNOWN("claim-unknown", "An attribute this app checks is missing from your sign-in or has an unexpected form.",
            "Ask your administrator to check your account.", true),
    DEVICE_UNKNOWN("device-unknown", "Your sign-in does not say whether your device meets this app's requirements (a device fact is missing or malformed).",
            "Let your device management agent report your device, then sign in again.", true),
    MFA_UNKNOWN("mfa-unknown", "Your sign-in does not say how you authenticated.",
            "Sign in again with your second factor; if it persists, ask your administrator.", true),
    ACR_UNKNOWN("acr-unknown", "Your sign-in does not state how strong it was.",
            "Sign in again with a stronger method; if it persists, ask your administrator.", true),
    AUTH_TIME_UNKNOWN("auth-time-unknown", "Your sign-in does not say when you signed in.", "Sign in again.", true),
    SOURCE_IP_UNKNOWN("source-ip-unknown", "Your network address could not be determined.",
            "Try again; if it persists, quote the request id to your administrator.", true),
    TIME_UNKNOWN("time-unknown", "The time of the request is unknown, so this app's time rules cannot be checked.",
            "Try again.", true);

    private final String code;
    private final String explanation;
    private final String remedy;
    private final boolean unknown;

    Reason(String code, String explanation, String remedy) {
        this(code, explanation, remedy, false);
    }

    Reason(String code, String explanation, String remedy, boolean unknown) {
        this.code = code;
        this.explanation = explanation;
        this.remedy = remedy;
        this.unknown = unknown;
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

    /**
     * Whether this reason names a fact the request does not establish (e.g. {@code groups-unknown},
     * {@code device-unauthenticated}): a criterion returning it is UNKNOWN, not false.
     */
    public boolean unknown() {
        return unknown;
    }

    @Override
    public String toString() {
        return code;
    }
}
