package dev.scimflow.ops.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Exclusive use of a data directory by one process: a running stack, or a command that runs PostgreSQL from the
 * directory while the stack is down. It is an OS file lock, so it is released whenever the holder dies, however.
 */
public final class DataDirLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or returns empty when another process (or this one) holds it. */
    public static Optional<DataDirLock> tryAcquire(DataDir dataDir) {
        try {
            Files.createDirectories(dataDir.root());
            FileChannel channel = FileChannel.open(dataDir.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            return Optional.of(new DataDirLock(channel, lock));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dataDir.lockFile(), e);
        }
    }

    /** Whether some process uses the data directory right now. */
    public static boolean isHeld(DataDir dataDir) {
        if (!Files.exists(dataDir.lockFile())) {
            return false;
        }
        Optional<DataDirLock> probe = tryAcquire(dataDir);
        probe.ifPresent(DataDirLock::close);
        return probe.isEmpty();
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
