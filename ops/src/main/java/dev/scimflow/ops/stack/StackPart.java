package dev.scimflow.ops.stack;

import java.time.Duration;

/** One process of the local stack, as {@link SupervisedPart} starts, watches and stops it. */
interface StackPart {

    String name();

    /** Starts the process and returns it once it runs (not necessarily ready). */
    ProcessHandle start() throws Exception;

    /** Stops the process started last, waiting at most about {@code grace} before killing it. */
    void stop(ProcessHandle process, Duration grace);
}
