package dev.gatehouse.gateway;

import dev.gatehouse.policy.ReasonCode;

/** The HTML page a person sees when Gatehouse answers instead of the app. */
final class DenyPage {
    private DenyPage() {
    }

    static String render(int status, ReasonCode reason, String appId, String requestId) {
        return render(status, reason, appId, requestId, null, null);
    }

    /**
     * @param signedInAs    who the person is signed in as, or null
     * @param switchUserUrl where "sign in as someone else" leads, or null for no link
     */
    static String render(int status, ReasonCode reason, String appId, String requestId, String signedInAs,
                         String switchUserUrl) {
        String title = DenyResponder.title(status);
        StringBuilder sb = new StringBuilder(1024);
        sb.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" - Gatehouse</title>")
                .append("<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}")
                .append("h1{font-size:1.5rem}.what{font-size:1.1rem}.todo{background:#f3f6fa;padding:1rem;border-radius:6px}")
                .append("small{color:#666}</style></head><body>")
                .append("<h1>").append(esc(title)).append("</h1>")
                .append("<p class=\"what\">").append(esc(reason.explanation())).append("</p>");
        if (!reason.remedy().isEmpty()) {
            sb.append("<p class=\"todo\"><strong>What to do:</strong> ").append(esc(reason.remedy())).append("</p>");
        }
        if (signedInAs != null) {
            sb.append("<p class=\"who\">You are signed in as <strong>").append(esc(signedInAs)).append("</strong>.");
            if (switchUserUrl != null) {
                sb.append(" <a id=\"switch-user\" href=\"").append(esc(switchUserUrl))
                        .append("\">Sign in as someone else</a>");
            }
            sb.append("</p>");
        }
        sb.append("<p><small>Reason: <code>").append(esc(reason.code())).append("</code>");
        if (AdminRoutes.APP_ID.equals(appId)) {
            // the admin host's internal app id means nothing to a person: name what they tried to reach
            sb.append(" &middot; App: the Gatehouse admin console and API");
        } else if (appId != null) {
            sb.append(" &middot; App: <code>").append(esc(appId)).append("</code>");
        }
        sb.append(" &middot; Request id: <code>").append(esc(requestId)).append("</code>")
                .append("<br>Quote the request id when you ask for help.</small></p></body></html>");
        return sb.toString();
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
