package dev.gatehouse.admin.console;

import dev.gatehouse.admin.AdminContext;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The console's two static files: its stylesheet and htmx (from the mvnpm jar on the classpath),
 * served under {@code /console/assets/} behind the admin policy like every console path.
 */
@Path("/console/assets")
@Blocking
public class ConsoleAssets {
    /** htmx's path in the {@code org.mvnpm:htmx.org} jar; {@code ConsoleTest} fails when a version bump moves it. */
    static final String HTMX = "META-INF/resources/_static/htmx.org/2.0.2/dist/htmx.min.js";
    private static final Map<String, String[]> FILES = Map.of(
            "console.css", new String[] {"console/console.css", "text/css; charset=utf-8"},
            "htmx.min.js", new String[] {HTMX, "text/javascript; charset=utf-8"});

    private final AdminContext context;

    public ConsoleAssets(AdminContext context) {
        this.context = context;
    }

    @GET
    @Path("{name}")
    public Response get(@PathParam("name") String name) throws IOException {
        context.request();
        String[] file = FILES.get(name);
        if (file == null) {
            return Response.status(404).build();
        }
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(file[0])) {
            if (in == null) {
                return Response.status(404).build();
            }
            return Response.ok(in.readAllBytes()).type(file[1]).header("Cache-Control", "private, max-age=3600")
                    .header("X-Content-Type-Options", "nosniff").build();
        }
    }
}
