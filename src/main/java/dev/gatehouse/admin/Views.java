package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.store.AppVersion;
import dev.gatehouse.store.AuditEntry;
import java.util.Map;

/** The JSON shapes of the admin API's answers (the README's "Admin API" section shows them). */
final class Views {
    static final String FILE = "file";
    static final String API = "api";

    private Views() {
    }

    /** An app: its document as written (YAML's keys, in JSON) plus {@code version} and {@code origin}. */
    static ObjectNode app(Object document, long version, String origin) {
        ObjectNode node = Responses.JSON.valueToTree(document);
        return node.put("version", version).put("origin", origin);
    }

    /** A list item: {@code id, host, path-prefix, version, origin}. */
    static ObjectNode listItem(Map<?, ?> document, long version, String origin) {
        Object prefix = document.get("path-prefix");
        return Responses.object().put("id", String.valueOf(document.get("id")))
                .put("host", String.valueOf(document.get("host")))
                .put("path-prefix", prefix == null ? "/" : String.valueOf(prefix))
                .put("version", version).put("origin", origin);
    }

    /** One version: who, when, why, content hash, and the document when asked for. */
    static ObjectNode version(AppVersion v, boolean withDocument) {
        ObjectNode node = Responses.object().put("id", v.appId()).put("version", v.version())
                .put("deleted", v.deleted()).put("at", v.at().toString()).put("comment", v.comment())
                .put("content_hash", v.contentHash());
        node.putObject("author").put("sub", v.author().subject()).put("idp", v.author().idp());
        if (withDocument) {
            node.set("document", v.document() == null ? null : Responses.JSON.valueToTree(Json.parseStored(v.document())));
        }
        return node;
    }

    /** One audit entry, with its detail as JSON and its place in the chain. */
    static ObjectNode audit(AuditEntry e) {
        ObjectNode node = Responses.object().put("seq", e.seq()).put("at", e.at().toString());
        node.putObject("actor").put("sub", e.event().actor().subject()).put("idp", e.event().actor().idp());
        node.put("action", e.event().action()).put("app", e.event().appId())
                .put("client_address", e.event().clientAddress()).put("request_id", e.event().requestId())
                .put("outcome", e.event().outcome());
        node.set("detail", e.event().detail() == null ? null
                : Responses.JSON.valueToTree(Json.parseStored(e.event().detail())));
        return node.put("prev_hash", e.prevHash()).put("hash", e.hash());
    }
}
