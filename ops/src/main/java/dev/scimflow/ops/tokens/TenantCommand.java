package dev.scimflow.ops.tokens;

import java.util.concurrent.Callable;

import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.Progress;
import dev.scimflow.ops.TenantName;
import dev.scimflow.scim.RoleAttribute;
import dev.scimflow.store.TenantTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scimflow tenant}: tenants of the user store. */
@Command(name = "tenant", mixinStandardHelpOptions = true, description = "Manages tenants.", subcommands = {TenantCommand.Create.class,
        TenantCommand.Update.class})
public final class TenantCommand implements Runnable {

    public static final String ROLE_ATTRIBUTE_HELP = "Where responses carry Zulip's role: 'extension' (scimflow's extension schema"
            + " urn:scimflow:params:scim:schemas:extension:zulip:2.0:User, RFC-clean) or 'core' (a top-level \"role\", for an"
            + " IdP that imports role from the core namespace, e.g. Okta with Zulip's mapping). Requests may use either.";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = {
            "Creates a tenant and prints a new SCIM token for it, once: the database keeps only its hash."})
    static final class Create implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "1-63 lower-case letters, digits and dashes.")
        String name;

        @Option(names = "--label", defaultValue = "scimflow tenant create", description = "What the token is for (default: ${DEFAULT-VALUE}).")
        String label;

        @Option(names = "--role-attribute", paramLabel = "core|extension", defaultValue = "extension", converter = RoleAttributeOption.class, description = ROLE_ATTRIBUTE_HELP
                + " Default: ${DEFAULT-VALUE}.")
        RoleAttribute roleAttribute;

        @Option(names = "--json", description = "Print {\"tenant\",\"tokenId\",\"token\"} as JSON.")
        boolean json;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            TenantName.check(name);
            Progress progress = Progress.stderr();
            try (UserStoreTarget.UserStore store = target.open(progress)) {
                TenantTokens tokens = new TenantTokens(store.dataSource());
                if (!tokens.createTenant(name, roleAttribute)) {
                    throw new OperatorError("tenant '" + name + "' already exists; `scimflow token create --tenant " + name
                            + "` issues another token for it");
                }
                IssuedTokenOutput.print(spec.commandLine().getOut(), tokens.issue(name, label), json);
                progress.say("created tenant '" + name + "' (role attribute: " + roleAttribute.label()
                        + "); store the token now, it is not shown again");
            }
            return 0;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = {
            "Changes an existing tenant's settings. Ingress instances apply the change with the tenant's"
                    + " next authenticated request."})
    static final class Update implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "The tenant.")
        String name;

        @Option(names = "--role-attribute", paramLabel = "core|extension", required = true, converter = RoleAttributeOption.class, description = ROLE_ATTRIBUTE_HELP)
        RoleAttribute roleAttribute;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            Progress progress = Progress.stderr();
            try (UserStoreTarget.UserStore store = target.open(progress)) {
                TenantTokens tokens = new TenantTokens(store.dataSource());
                RoleAttribute before = tokens.roleAttribute(name)
                        .orElseThrow(() -> new OperatorError("there is no tenant '" + name + "'"));
                tokens.setRoleAttribute(name, roleAttribute);
                spec.commandLine().getOut().println("tenant '" + name + "': role attribute " + roleAttribute.label()
                        + (before == roleAttribute ? " (unchanged)" : " (was " + before.label() + ")"));
            }
            return 0;
        }
    }

    /** {@code core} or {@code extension}, case-insensitively. */
    public static final class RoleAttributeOption implements ITypeConverter<RoleAttribute> {
        @Override
        public RoleAttribute convert(String value) {
            return RoleAttribute.of(value);
        }
    }
}
