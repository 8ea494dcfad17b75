package dev.gatehouse.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.AdminClient;
import dev.gatehouse.testing.Http;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Walks the console as a browser without JavaScript would: GETs pages with a bearer token, reads
 * them as HTML, and submits their forms with the fields the page rendered (hidden ones included,
 * the form token among them) plus what a person typed, from the console's own origin.
 */
final class ConsoleBrowser {
    static final String ORIGIN = "http://" + AdminClient.HOST;

    private final String token;

    ConsoleBrowser(String token) {
        this.token = token;
    }

    /** A page: the answer and its HTML. */
    record Page(HttpResponse<String> response, Document html) {
        int status() {
            return response.statusCode();
        }

        String location() {
            return response.headers().firstValue("Location").orElse("");
        }

        /** The form whose action ends with {@code action}. */
        Element form(String action) {
            Element f = html.select("form").stream().filter(e -> e.attr("action").endsWith(action)).findFirst()
                    .orElseThrow(() -> new AssertionError("no form " + action + " in " + html.title()));
            return f;
        }
    }

    Page get(String path) {
        HttpRequest.Builder b = Http.to(AdminClient.HOST, path).header("Accept", "text/html");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = Http.send(b.GET().build());
        return new Page(r, Jsoup.parse(r.body(), ORIGIN + path));
    }

    /** Submits {@code form} with its fields, {@code typed} replacing or adding values. */
    Page submit(Element form, Map<String, String> typed) {
        return post(form.attr("action"), fields(form, typed), ORIGIN, null);
    }

    /** The fields a browser would send for {@code form} (the first submit button's unless typed says). */
    static Map<String, String> fields(Element form, Map<String, String> typed) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Element e : form.select("input, textarea, select")) {
            String name = e.attr("name");
            if (name.isEmpty() || e.attr("type").equals("radio") && !e.hasAttr("checked")) {
                continue;
            }
            if (e.tagName().equals("textarea")) {
                out.put(name, e.wholeText());
            } else if (e.tagName().equals("select")) {
                Element selected = e.selectFirst("option[selected]");
                out.put(name, selected == null ? "" : selected.attr("value"));
            } else {
                out.put(name, e.attr("value"));
            }
        }
        out.putAll(typed);
        return out;
    }

    /** A raw form POST: {@code origin} and {@code fetchSite} are sent when not null. */
    Page post(String path, Map<String, String> fields, String origin, String fetchSite) {
        String body = fields.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = Http.to(AdminClient.HOST, path).header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        if (fetchSite != null) {
            b.header("Sec-Fetch-Site", fetchSite);
        }
        HttpResponse<String> r = Http.send(b.build());
        return new Page(r, Jsoup.parse(r.body(), ORIGIN + path));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * The page's structure as WCAG asks: one h1, headings that do not skip a level, a skip link to
     * the main region, every visible field with a label, every error link pointing at a field.
     */
    static void assertAccessible(Document html) {
        assertThat(html.select("h1")).as("one h1").hasSize(1);
        int previous = 1;
        for (Element h : html.select("h1, h2, h3, h4, h5, h6")) {
            int level = h.tagName().charAt(1) - '0';
            assertThat(level).as("heading '%s' after h%d", h.text(), previous).isLessThanOrEqualTo(previous + 1);
            previous = level;
        }
        Element skip = html.selectFirst("a.skip");
        assertThat(skip).as("skip link").isNotNull();
        assertThat(skip.attr("href")).isEqualTo("#main");
        assertThat(html.getElementById("main")).isNotNull();
        assertThat(html.select("a[href], button, input:not([type=hidden]), select, textarea").first())
                .as("the skip link comes first in the focus order").isEqualTo(skip);
        assertThat(html.selectFirst("html").attr("lang")).isEqualTo("en");
        List<String> unlabelled = new ArrayList<>();
        for (Element field : html.select("input:not([type=hidden]), select, textarea")) {
            String id = field.id();
            if (id.isEmpty() || html.select("label[for=" + id + "]").isEmpty() && !field.hasAttr("aria-label")) {
                unlabelled.add(field.outerHtml());
            }
        }
        assertThat(unlabelled).as("fields without a label").isEmpty();
        for (Element link : html.select(".error-summary a[href^=#]")) {
            assertThat(html.getElementById(link.attr("href").substring(1))).as("target of %s", link.text()).isNotNull();
        }
        for (Element described : html.select("[aria-describedby]")) {
            for (String ref : described.attr("aria-describedby").split(" ")) {
                assertThat(html.getElementById(ref)).as("aria-describedby %s", ref).isNotNull();
            }
        }
    }
}
