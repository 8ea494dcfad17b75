package dev.gatehouse.admin.console;

import dev.gatehouse.admin.AdminContext;
import dev.gatehouse.admin.ApiProblem;
import dev.gatehouse.admin.AssertionKeyControl;
import dev.gatehouse.admin.AssertionKeyService;
import dev.gatehouse.admin.console.PageModels.KeyView;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * The keys that sign {@code X-Gatehouse-Assertion}: which signs and which are published, rotating
 * ({@code POST /api/v1/assertion-keys/rotate}) and retiring an older one after a confirmation
 * ({@code DELETE /api/v1/assertion-keys/{kid}}), both through {@link AssertionKeyService} with the
 * version the page showed as the precondition, so a change made meanwhile is refused, not undone.
 */
@Path("/console/keys")
@Blocking
public class KeyPages {
    /** What a key id looks like (the base64url of a SHA-256 thumbprint, or a file key's name). */
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final ConsolePages pages;
    private final AdminContext context;
    private final FormGuard guard;
    private final AssertionKeyService service;

    public KeyPages(ConsolePages pages, AdminContext context, FormGuard guard, AssertionKeyService service) {
        this.pages = pages;
        this.context = context;
        this.guard = guard;
        this.service = service;
    }

    @GET
    public Response page(@QueryParam("rotated") String rotated, @QueryParam("retired") String retired) {
        String notice = valid(rotated) ? "Key " + rotated + " signs on every replica now (each switches within "
                + "seconds); the older keys stay published until you retire them."
                : valid(retired) ? "Key " + retired + " is retired: no replica publishes it any more." : null;
        return pages.html(200, ConsoleTemplates.keys(pages.chrome("keys"), view(service.current()), notice));
    }

    @POST
    @Path("rotate")
    public Response rotate(@HeaderParam("Content-Type") String contentType, InputStream body) {
        Form in = guard.check(context, contentType, body, null);
        AssertionKeyControl.KeySet now = service.rotate(ifMatch(in), null, context.request());
        return ConsolePages.seeOther("/console/keys?rotated=" + now.published().get(0));
    }

    @GET
    @Path("{kid}/retire")
    public Response confirmRetire(@PathParam("kid") String kid) {
        KeyView keys = view(service.current());
        if (!valid(kid) || !keys.older().contains(kid)) {
            throw new ApiProblem(404, "not-found", kid.equals(keys.signing())
                    ? "Key " + kid + " signs the assertions now: rotate first, then retire it."
                    : "No published key " + kid + " that could be retired.");
        }
        return pages.html(200, ConsoleTemplates.retire(pages.chrome("keys"), kid, keys.version()));
    }

    @POST
    @Path("{kid}/retire")
    public Response retire(@PathParam("kid") String kid, @HeaderParam("Content-Type") String contentType,
                           InputStream body) {
        Form in = guard.check(context, contentType, body, null);
        service.retire(kid, ifMatch(in), null, context.request());
        return ConsolePages.seeOther("/console/keys?retired=" + kid);
    }

    /** The version the page showed, as the API's {@code If-Match} (none: the API's 428). */
    private static String ifMatch(Form in) {
        String version = in.trimmed("version");
        return version == null ? null : "\"" + version + "\"";
    }

    private static boolean valid(String kid) {
        return kid != null && KID.matcher(kid).matches();
    }

    static KeyView view(AssertionKeyControl.KeySet set) {
        var published = set.published();
        return new KeyView(set.rotatable(), set.version(), published.isEmpty() ? "" : published.get(0),
                published.size() <= 1 ? java.util.List.of() : published.subList(1, published.size()));
    }
}
