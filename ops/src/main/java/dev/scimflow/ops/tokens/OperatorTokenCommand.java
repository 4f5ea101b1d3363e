package dev.scimflow.ops.tokens;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.scimflow.ops.Json;
import dev.scimflow.ops.OperatorToken;
import dev.scimflow.ops.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scimflow operator-token}: a new credential for the audit API, for configuring a deployment. */
@Command(name = "operator-token", mixinStandardHelpOptions = true, description = {
        "Prints a new random operator token for the audit API and its SHA-256.",
        "Give the audit service the SHA-256 (SCIMFLOW_AUDIT_OPERATOR_TOKEN_SHA256, comma-separated for several);"
                + " operators send the token as a bearer token."})
public final class OperatorTokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print {\"token\",\"sha256\"} as JSON.")
    boolean json;

    @Override
    public Integer call() {
        String token = OperatorToken.generate();
        String sha256 = OperatorToken.sha256Hex(token);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("token", token);
            fields.put("sha256", sha256);
            out.println(Json.line(fields));
        } else {
            out.println("token:  " + token);
            out.println("sha256: " + sha256);
        }
        out.flush();
        Progress.stderr().say("configure the audit service with SCIMFLOW_AUDIT_OPERATOR_TOKEN_SHA256=" + sha256);
        return 0;
    }
}
