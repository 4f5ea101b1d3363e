package dev.scimflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The benchmark's JSON: the SCIM and audit replies it reads, and {@code results.json} (indented) it writes. */
final class BenchJson {

    static final JsonMapper MAPPER = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private static final JsonMapper FILES = MAPPER.rebuild().enable(SerializationFeature.INDENT_OUTPUT).build();

    private BenchJson() {
    }

    static String line(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    static void write(Path file, Object value) throws IOException {
        Files.writeString(file, FILES.writeValueAsString(value) + "\n");
    }
}
