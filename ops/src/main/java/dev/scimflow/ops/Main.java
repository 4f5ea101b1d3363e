package dev.scimflow.ops;

/** Entry point of {@code scimflow} ({@code java -cp scimflow.jar:lib/* dev.scimflow.ops.Main}): runs the command and exits with its exit code. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(ScimflowCommand.commandLine().execute(args));
    }
}
