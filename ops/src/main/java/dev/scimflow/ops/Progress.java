package dev.scimflow.ops;

/** Where a command reports what it is doing: stderr for people, so that stdout carries only the command's result. */
@FunctionalInterface
public interface Progress {

    void say(String line);

    static Progress stderr() {
        return line -> {
            System.err.println("scimflow: " + line);
            System.err.flush();
        };
    }

    static Progress silent() {
        return line -> {
        };
    }
}
