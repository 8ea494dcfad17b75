package dev.gatehouse.admin.console;

import dev.gatehouse.admin.console.PageModels.AppRow;
import dev.gatehouse.admin.console.PageModels.AuditFilter;
import dev.gatehouse.admin.console.PageModels.AuditRow;
import dev.gatehouse.admin.console.PageModels.CandidateView;
import dev.gatehouse.admin.console.PageModels.ChainStatus;
import dev.gatehouse.admin.console.PageModels.Chrome;
import dev.gatehouse.admin.console.PageModels.Conflict;
import dev.gatehouse.admin.console.PageModels.DenialRow;
import dev.gatehouse.admin.console.PageModels.DiffView;
import dev.gatehouse.admin.console.PageModels.DisagreementRow;
import dev.gatehouse.admin.console.PageModels.KeyView;
import dev.gatehouse.admin.console.PageModels.RevocationRow;
import dev.gatehouse.admin.console.PageModels.TryResult;
import dev.gatehouse.admin.console.PageModels.VersionRow;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import java.util.List;

/** The console's pages ({@code src/main/resources/templates/console/}), checked when Gatehouse is built. */
@CheckedTemplate(basePath = "console")
final class ConsoleTemplates {
    private ConsoleTemplates() {
    }

    static native TemplateInstance apps(Chrome c, List<AppRow> apps, String since, String notice);

    static native TemplateInstance app(Chrome c, AppForm form, boolean isNew, boolean fromFile, List<String> idps,
                                       Conflict conflict, String notice);

    static native TemplateInstance check(List<AppForm.FieldError> errors);

    static native TemplateInstance delete(Chrome c, String id, long version);

    static native TemplateInstance history(Chrome c, String id, List<VersionRow> versions, long from, long to,
                                           DiffView diff, String notice, String older);

    static native TemplateInstance rollback(Chrome c, String id, long current, long target, DiffView diff);

    static native TemplateInstance audit(Chrome c, AuditFilter filter, List<AuditRow> rows, ChainStatus chain,
                                         String older, String problem);

    static native TemplateInstance tryIt(Chrome c, String id, TryForm form, boolean hasCandidate, TryResult result);

    static native TemplateInstance shadow(Chrome c, String id, boolean fromFile, CandidateView candidate,
                                          List<DisagreementRow> recent, AppForm form, String notice);

    static native TemplateInstance promote(Chrome c, String id, long version, long candidateVersion, DiffView diff,
                                           CandidateView candidate);

    static native TemplateInstance discard(Chrome c, String id, CandidateView candidate);

    static native TemplateInstance people(Chrome c, RevokeForm form, List<String> idps,
                                          List<RevocationRow> revocations, String user, String app,
                                          List<DenialRow> denials, int capacity, String notice);

    static native TemplateInstance withdraw(Chrome c, RevocationRow r);

    static native TemplateInstance keys(Chrome c, KeyView keys, String notice);

    static native TemplateInstance retire(Chrome c, String kid, int version);

    static native TemplateInstance error(Chrome c, int status, String title, String message);
}
