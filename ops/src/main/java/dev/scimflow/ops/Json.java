package dev.scimflow.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The JSON the command reads and writes: one-line output, indented state files written atomically. */
public final class Json {

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final JsonMapper FILES = MAPPER.rebuild().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Json() {
    }

    public static String line(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    public static <T> T read(Path file, Class<T> type) {
        try {
            return MAPPER.readValue(Files.readString(file), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Replaces the file in one step, so that a reader never sees half of it; {@code ownerOnly} makes it readable by
     * its owner alone (mode 0600) from the moment it exists, for files that hold secrets.
     */
    public static void write(Path file, Object value, boolean ownerOnly) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = ownerOnly
                    ? Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
            Files.writeString(temporary, FILES.writeValueAsString(value) + "\n");
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
