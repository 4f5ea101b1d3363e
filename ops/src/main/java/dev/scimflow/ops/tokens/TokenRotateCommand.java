package dev.scimflow.ops.tokens;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.Progress;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.TenantTokens.IssuedToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scimflow token rotate}: replaces a token without a gap. The new token is printed once; the old one keeps
 * working for the overlap (so the IdP can be switched over at leisure), then every ingress refuses it.
 */
@Command(name = "rotate", mixinStandardHelpOptions = true, description = {
        "Issues a new token in place of an active one and prints it, once. The old token keeps working"
                + " for the overlap, then is refused; `token revoke` ends it at once."})
public final class TokenRotateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The token id (tok_...), as `token list` shows it.")
    String id;

    @Option(names = "--overlap", defaultValue = "24h", converter = Overlap.class, paramLabel = "DURATION", description = "How long the old token keeps working: e.g. 24h, 90m, 7d, 0 (default: ${DEFAULT-VALUE}).")
    Duration overlap;

    @Option(names = "--json", description = "Print {\"tenant\",\"tokenId\",\"token\"} as JSON.")
    boolean json;

    @Mixin
    UserStoreTarget target;

    @Override
    public Integer call() throws Exception {
        Progress progress = Progress.stderr();
        try (UserStoreTarget.UserStore store = target.open(progress)) {
            TenantTokens tokens = new TenantTokens(store.dataSource());
            IssuedToken issued = tokens.rotate(id, overlap).orElseThrow(() -> {
                boolean known = tokens.list(null).stream().anyMatch(token -> token.id().equals(id));
                return new OperatorError(known
                        ? "token " + id + " is revoked or expired; `scimflow token create` issues a new one"
                        : "unknown token id '" + id + "'");
            });
            IssuedTokenOutput.print(spec.commandLine().getOut(), issued, json);
            progress.say("token " + id + " keeps working until " + Instant.now().plus(overlap).truncatedTo(ChronoUnit.SECONDS)
                    + "; store the new token now, it is not shown again");
        }
        return 0;
    }

    /** A duration as operators write it: a number with s, m, h or d, 0, or ISO-8601 (PT24H). */
    static final class Overlap implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String text = value.trim().toLowerCase(Locale.ROOT);
            if (text.startsWith("p")) {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
            if (text.equals("0")) {
                return Duration.ZERO;
            }
            if (!text.matches("\\d{1,6}[smhd]")) {
                throw new IllegalArgumentException("'" + value + "' is not a duration such as 24h, 90m, 7d or 0");
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
    }
}
