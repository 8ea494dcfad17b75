package dev.gatehouse.admin.console;

import dev.gatehouse.admin.AppCatalog;
import dev.gatehouse.admin.EffectiveConfig;
import dev.gatehouse.admin.console.PageModels.AppRow;
import dev.gatehouse.config.AppConfig;
import dev.gatehouse.observe.RecentTraffic;
import dev.gatehouse.route.SnapshotHolder;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The apps list: the API's list ({@link AppCatalog#all}) joined with what the running proxy
 * enforces (the snapshot: IdP, sign-in, policy version) and the last hour's traffic
 * ({@link RecentTraffic}).
 */
@ApplicationScoped
public class AppListing {
    private final AppCatalog catalog;
    private final EffectiveConfig effective;
    private final SnapshotHolder snapshots;
    private final RecentTraffic traffic;
    private final Clock clock;

    public AppListing(AppCatalog catalog, EffectiveConfig effective, SnapshotHolder snapshots, RecentTraffic traffic,
                      Clock clock) {
        this.catalog = catalog;
        this.effective = effective;
        this.snapshots = snapshots;
        this.traffic = traffic;
        this.clock = clock;
    }

    /** The rows, by id. */
    List<AppRow> rows() {
        Map<String, AppConfig> enforced = new HashMap<>();
        snapshots.current().config().apps().forEach(a -> enforced.put(a.id(), a));
        RecentTraffic.Window window = traffic.lastHour();
        List<AppRow> rows = new ArrayList<>();
        for (AppCatalog.Entry e : catalog.all()) {
            AppConfig a = enforced.get(e.id());
            // an API app whose id the file took is listed but not in force: the file's app is
            boolean inForce = a != null && (e.fromFile() || effective.fileApp(e.id()).isEmpty());
            Map<String, Object> doc = e.document();
            String prefix = inForce ? a.pathPrefix() : text(doc.get("path-prefix"), "/");
            RecentTraffic.Counts c = inForce ? window.of(e.id()) : new RecentTraffic.Counts(0, 0, 0);
            rows.add(new AppRow(e.id(), inForce ? a.host() : text(doc.get("host"), ""), prefix.equals("/") ? "" : prefix,
                    inForce ? a.idp() : text(doc.get("idp"), ""),
                    inForce ? a.login().name().toLowerCase(Locale.ROOT) : text(doc.get("login"), "bearer"),
                    inForce ? Long.toString(a.policy().version()) : "-", e.origin(), inForce, c.allowed(), c.denied(),
                    c.unauthenticated()));
        }
        return rows;
    }

    /** The window the counts cover, in words. */
    String since() {
        RecentTraffic.Window window = traffic.lastHour();
        Duration span = Duration.between(window.since(), clock.instant());
        return span.toMinutes() >= 59 ? "over the last hour"
                : "since " + ConsolePages.time(window.since()) + " UTC, when Gatehouse started (" + span.toMinutes()
                        + " min ago)";
    }

    private static String text(Object v, String otherwise) {
        return v == null ? otherwise : String.valueOf(v);
    }
}
