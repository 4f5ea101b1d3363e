package dev.scimflow.ops.audit;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import dev.scimflow.ops.Json;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.stack.Credentials;
import dev.scimflow.ops.stack.DataDir;
import dev.scimflow.ops.stack.StackFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code scimflow audit}: the deactivation audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Works with the deactivation audit log.", subcommands = AuditCommand.Verify.class)
public final class AuditCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /**
     * Recomputes the hash chains of the audit log (the audit service does it: {@code GET /api/v1/chain/verify})
     * and reports the first broken link of each broken tenant; exit 0 when every chain holds, 1 otherwise.
     */
    @Command(name = "verify", mixinStandardHelpOptions = true, description = {
            "Recomputes the audit log's hash chains and reports the first broken link; exit code 1 if any is broken."})
    static final class Verify implements Callable<Integer> {

        static final String TOKEN_VARIABLE = "SCIMFLOW_OPERATOR_TOKEN";

        @Spec
        CommandSpec spec;

        @Option(names = "--tenant", description = "Only this tenant's chain (default: every tenant).")
        String tenant;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "The running local stack (default: ./.scimflow).")
        Path dataDir;

        @Option(names = "--audit-url", paramLabel = "URL", description = "A deployment's audit service instead of a local stack; the operator token comes from $"
                + TOKEN_VARIABLE + ".")
        String auditUrl;

        @Override
        public Integer call() throws Exception {
            String url;
            String token;
            if (auditUrl != null) {
                url = auditUrl;
                token = System.getenv(TOKEN_VARIABLE);
                if (token == null || token.isBlank()) {
                    throw new OperatorError("set $" + TOKEN_VARIABLE + " to an operator token to use --audit-url");
                }
            } else {
                DataDir dir = new DataDir(dataDir != null ? dataDir : Path.of(".scimflow"));
                url = StackFile.read(dir).map(StackFile::auditUrl)
                        .orElseThrow(() -> new OperatorError("no running stack in " + dir.root() + "; start it with `scimflow up`"));
                token = Credentials.load(dir.credentials()).auditToken();
            }
            JsonNode report = fetch(url, token);
            spec.commandLine().getOut().println(report.toPrettyString());
            return report.path("intact").asBoolean(false) ? 0 : 1;
        }

        private JsonNode fetch(String url, String token) throws InterruptedException {
            String query = tenant == null ? "" : "?tenant=" + URLEncoder.encode(tenant, StandardCharsets.UTF_8);
            HttpRequest request = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/api/v1/chain/verify" + query))
                    .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                    .timeout(Duration.ofMinutes(5)).build();
            try {
                HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new OperatorError("the audit service answered " + response.statusCode() + " to the verification request");
                }
                return Json.MAPPER.readTree(response.body());
            } catch (IOException e) {
                throw new OperatorError("cannot reach the audit service at " + url + ": " + e.getMessage());
            }
        }
    }
}
