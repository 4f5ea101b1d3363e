package dev.scimflow.audit.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class DeactivationCsvTest {

    @Test
    void plainFieldsAreWrittenAsTheyAre() {
        assertThat(DeactivationCsv.cell("ada@example.com")).isEqualTo("ada@example.com");
        assertThat(DeactivationCsv.cell(null)).isEmpty();
        assertThat(DeactivationCsv.cell("")).isEmpty();
    }

    @Test
    void fieldsWithCommasQuotesOrLineBreaksAreQuoted() {
        assertThat(DeactivationCsv.cell("Lovelace, Ada")).isEqualTo("\"Lovelace, Ada\"");
        assertThat(DeactivationCsv.cell("Ada \"the Countess\"")).isEqualTo("\"Ada \"\"the Countess\"\"\"");
        assertThat(DeactivationCsv.cell("two\nlines")).isEqualTo("\"two\nlines\"");
    }

    @Test
    void fieldsASpreadsheetWouldRunAsAFormulaAreDefused() {
        assertThat(DeactivationCsv.cell("=HYPERLINK(\"http://evil\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assertThat(DeactivationCsv.cell("+1")).isEqualTo("'+1");
        assertThat(DeactivationCsv.cell("-2+3")).isEqualTo("'-2+3");
        assertThat(DeactivationCsv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(DeactivationCsv.cell("\tcmd")).isEqualTo("'\tcmd");
        assertThat(DeactivationCsv.cell("a=b")).isEqualTo("a=b");
    }

    @Test
    void aHeaderRowComesFirstAndLinesEndInCrLf() {
        StringWriter out = new StringWriter();
        new DeactivationCsv(out).row(new Deactivation("e1", "acme", "u1", "ada", "Ada, L.", "DEACTIVATED", "PATCH",
                "Okta SCIM Client", "tok-1", "req-1", "c1", "e1", Instant.parse("2026-03-04T05:06:07Z"),
                Instant.parse("2026-03-04T05:06:08Z"), "4bf92f3577b34da6a3ce929d0e0e4736"));
        assertThat(out.toString()).isEqualTo(DeactivationCsv.HEADER + "\r\n"
                + "e1,acme,u1,ada,\"Ada, L.\",DEACTIVATED,PATCH,Okta SCIM Client,tok-1,req-1,c1,e1,2026-03-04T05:06:07Z,2026-03-04T05:06:08Z\r\n");
    }
}
