package dev.scimflow.audit.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.http.HttpHeaders;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The audit log as CSV (RFC 4180): a header row, then one row per entry, CRLF line ends, fields quoted when they
 * hold a comma, quote or line break. A field starting with {@code = + - @}, a tab or a carriage return gets a
 * leading apostrophe, so that a spreadsheet shows it as text instead of running it as a formula (CSV injection).
 */
public final class DeactivationCsv {

    public static final String MEDIA_TYPE = "text/csv";
    static final String HEADER = "id,tenant,userId,userName,displayName,action,cause,clientName,tokenId,requestId,"
            + "changeId,eventId,changedAt,recordedAt";

    private final Writer out;

    public DeactivationCsv(Writer out) {
        this.out = out;
        write(HEADER);
    }

    public void row(Deactivation entry) {
        write(Stream.of(entry.id(), entry.tenant(), entry.userId(), entry.userName(), entry.displayName(),
                entry.action(), entry.cause(), entry.clientName(), entry.tokenId(), entry.requestId(),
                entry.changeId(), entry.eventId(), Objects.toString(entry.changedAt(), null),
                Objects.toString(entry.recordedAt(), null))
                .map(DeactivationCsv::cell).collect(Collectors.joining(",")));
    }

    /** Answers with every entry of the query as a CSV download named deactivations.csv. */
    public static void download(DeactivationLog log, DeactivationQuery query, HttpServletResponse response) throws IOException {
        response.setContentType(MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"deactivations.csv\"");
        DeactivationCsv csv = new DeactivationCsv(response.getWriter());
        log.forEach(query, csv::row);
        response.getWriter().flush();
    }

    private void write(String line) {
        try {
            out.write(line);
            out.write("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String text = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
