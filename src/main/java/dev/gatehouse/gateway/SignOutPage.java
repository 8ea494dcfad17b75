package dev.gatehouse.gateway;

/** The sign-out pages: the confirmation form and "you are signed out". */
final class SignOutPage {
    private SignOutPage() {
    }

    static String confirm(String action, String csrf, String user) {
        return head("Sign out") + "<h1>Sign out?</h1><p>You are signed in as <strong>" + DenyPage.esc(user)
                + "</strong>.</p><form method=\"post\" action=\"" + DenyPage.esc(action) + "\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + DenyPage.esc(csrf) + "\">"
                + "<button type=\"submit\" id=\"sign-out\">Sign out</button></form></body></html>";
    }

    static String signedOut(String home) {
        return head("Signed out") + "<h1>You are signed out</h1><p><a id=\"sign-in\" href=\"" + DenyPage.esc(home)
                + "\">Sign in again</a></p></body></html>";
    }

    private static String head(String title) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" + title
                + " - Gatehouse</title><style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;"
                + "padding:0 1rem;color:#222}button{font-size:1rem;padding:.5rem 1rem}</style></head><body>";
    }
}
