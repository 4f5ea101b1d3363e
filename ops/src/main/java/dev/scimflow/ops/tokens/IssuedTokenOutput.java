package dev.scimflow.ops.tokens;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.scimflow.ops.Json;
import dev.scimflow.store.TenantTokens.IssuedToken;

/** How a newly issued token is shown: the only time its secret is ever printed. */
final class IssuedTokenOutput {

    private IssuedTokenOutput() {
    }

    static void print(PrintWriter out, IssuedToken issued, boolean json) {
        if (json) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("tenant", issued.tenant());
            fields.put("tokenId", issued.id());
            fields.put("token", issued.token());
            out.println(Json.line(fields));
        } else {
            out.println("tenant:   " + issued.tenant());
            out.println("token id: " + issued.id());
            out.println("token:    " + issued.token());
        }
        out.flush();
    }
}
