package dev.scimflow.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.scimflow.ops.Json;
import tools.jackson.databind.JsonNode;

class ReportTest {

    private final BenchResults results = Fixtures.results();

    @Test
    void theTableHasOneRowPerOperationAndATotal() {
        String text = TextReport.render(results);
        List<String> lines = text.lines().toList();

        assertThat(lines).anySatisfy(line -> assertThat(line)
                .matches("operation\\s+count\\s+req/s\\s+errors\\s+p50 ms\\s+p90 ms\\s+p99 ms\\s+p99.9 ms\\s+max ms\\s+statuses"));
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .matches("create\\s+1000\\s+100\\s+3\\s+500\\s+900\\s+990\\s+999\\s+1000\\s+201:997 429:2 timeout:1"));
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .matches("get\\s+1000\\s+100\\s+0\\s+5\\.00\\s+9\\.01\\s+9\\.90\\s+9\\.99\\s+10\\.0\\s+200:1000"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("all\\s+2000\\s+200\\s+3\\s+.*"));
        assertThat(text).contains("load: open loop at 200 req/s for 10 s, mix create=1,get=1, 4 tenants")
                .contains("2 cores").contains("load average 1.50 at start, 3.25 at end")
                .contains("preload: 498 users created in 2.5 s = 199.2 creates/s (64 in flight, 2 errors, 7 retried after 429)")
                .contains("apply lag (20 deactivations sampled, 19 seen in the audit log, 1 missed)")
                .contains("note: a note with <markup> & more");
    }

    @Test
    void rulesFrameTheOperationsAndSetOffTheTotal() {
        List<String> lines = TextReport.render(results).lines().toList();
        int header = lines.indexOf(lines.stream().filter(line -> line.startsWith("operation")).findFirst().orElseThrow());
        int total = lines.indexOf(lines.stream().filter(line -> line.startsWith("all ")).findFirst().orElseThrow());

        assertThat(lines.get(header + 1)).matches("-+").hasSize(lines.get(total).length());
        assertThat(lines.get(total - 1)).isEqualTo(lines.get(header + 1));
        assertThat(lines.subList(header + 2, total - 1)).extracting(line -> line.split("\\s+")[0]).containsExactly("create", "get");
    }

    @Test
    void theHtmlPageStandsAloneWithTableBarsAndCurves() {
        String html = HtmlReport.render(results);

        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain(" src=").doesNotContain("@import");
        assertThat(html).contains("<td>create</td><td class=\"l\"><code>POST /Users</code></td><td>1000</td><td>100</td>"
                + "<td class=\"err\">3</td>");
        assertThat(html).contains("201:997 429:2 timeout:1");
        assertThat(html).contains("<svg").contains("</svg>");
        assertThat(html.split("<polyline", -1)).hasSize(3);
        assertThat(html).contains("<title>create</title>").contains("<title>get</title>");
        assertThat(html).contains("class=\"bar\"").contains("498 users created in 2.5 s: <b>199 creates/s</b>");
        assertThat(html).contains("box &lt;1&gt;").contains("a note with &lt;markup&gt; &amp; more")
                .doesNotContain("<markup>");
    }

    @Test
    void theCurveSpreadsPercentilesByNines() {
        assertThat(HtmlReport.nines(0)).isZero();
        assertThat(HtmlReport.nines(90)).isCloseTo(1, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(HtmlReport.nines(99.9)).isCloseTo(3, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(HtmlReport.nines(99.999)).isEqualTo(4.0);
        assertThat(HtmlReport.nines(100)).isGreaterThan(4.0);
    }

    @Test
    void resultsJsonHasTheDocumentedShape() {
        JsonNode json = Json.MAPPER.readTree(Json.line(results));

        assertThat(json.propertyNames()).containsExactly("startedAt", "machine", "settings", "preload", "run", "applyLag", "notes");
        assertThat(json.path("settings").path("mode").asString()).isEqualTo("rate");
        assertThat(json.path("settings").path("rate").asDouble()).isEqualTo(200.0);
        assertThat(json.path("preload").path("createsPerSecond").asDouble()).isEqualTo(199.2);
        JsonNode create = json.path("run").path("operations").get(0);
        assertThat(create.path("operation").asString()).isEqualTo("create");
        assertThat(create.path("statuses").path("429").asLong()).isEqualTo(2);
        assertThat(create.path("latencyMs").propertyNames())
                .containsExactly("samples", "mean", "p50", "p90", "p99", "p999", "max", "curve");
        assertThat(create.path("latencyMs").path("p99").asDouble()).isBetween(989.0, 991.0);
        assertThat(create.path("latencyMs").path("curve").get(0).propertyNames()).containsExactly("percentile", "ms");
        assertThat(json.path("run").path("total").path("count").asLong()).isEqualTo(2000);
        assertThat(json.path("applyLag").path("acceptToAuditMs").path("samples").asLong()).isEqualTo(19);
        assertThat(json.path("machine").path("cores").asInt()).isEqualTo(2);
    }

    @Test
    void numbersAreShortButKeepTheirPrecisionWhereItMatters() {
        assertThat(TextReport.number(1234.6)).isEqualTo("1235");
        assertThat(TextReport.number(12.345)).isEqualTo("12.3");
        assertThat(TextReport.number(1.2345)).isEqualTo("1.23");
        assertThat(TextReport.number(7)).isEqualTo("7");
    }
}
