package dev.scimflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

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
        assertThat(text)
                .contains("load: open loop at 200 req/s for 10 s, after 5 s of the same load unmeasured, mix create=1,get=1, 4 tenants")
                .contains("2 cores").contains("load average 1.50 at start, 3.25 at end")
                .contains("preload: 498 users created in 2.5 s = 199.2 creates/s (64 in flight, 2 errors, 7 retried after 429)")
                .contains("apply lag (20 deactivations sampled, 19 seen in the audit log, 1 missed)")
                .contains("note: a note with <markup> & more");
    }

    @Test
    void theCpuTableHasEachProcessThenTheTotalsPerRequest() {
        List<String> lines = TextReport.render(results).lines().toList();

        assertThat(lines).contains("cpu during the run (from /proc, 10 s, 2000 requests answered):");
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .matches("  process\\s+pid\\s+procs\\s+cpu s\\s+cores\\s+cpu ms/request"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("  postgres\\s+100\\s+5\\s+3\\s+0\\.30\\s+1\\.50"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("  provisioning-worker\\s+200\\s+1\\s+5\\s+0\\.50\\s+2\\.50"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches(
                "  scim-ingress\\s+301\\s+1\\s+-\\s+-\\s+-\\s+restarted during the run \\(pid 300 -> 301\\): not counted"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("  stack without scim-ingress\\s+8\\s+0\\.80\\s+4"));
        assertThat(lines)
                .anySatisfy(line -> assertThat(line).matches("  scimflow bench \\(load generator\\)\\s+400\\s+1\\s+2\\s+0\\.20\\s+1"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("  stack and load generator\\s+10\\s+1\\s+5"));
        int stack = lines.indexOf(lines.stream().filter(line -> line.startsWith("  stack without")).findFirst().orElseThrow());
        assertThat(lines.get(stack - 1)).as("a rule sets off the totals").matches("  -+");
    }

    @Test
    void aCpuTableWithoutANoteInAnyRowIsPrinted() {
        CpuSample before = new CpuSample(0, Fixtures.parts(new CpuSample.Part("postgres", 100, 7, 5, 1_000),
                new CpuSample.Part(CpuPerRequest.BENCH, 400, 10, 1, 50)));
        CpuSample after = new CpuSample(10_000_000_000L, Fixtures.parts(new CpuSample.Part("postgres", 100, 7, 5, 1_300),
                new CpuSample.Part(CpuPerRequest.BENCH, 400, 10, 1, 250)));
        BenchResults withoutNotes = new BenchResults(results.startedAt(), results.machine(), results.settings(),
                results.preload(), results.run(), CpuPerRequest.between(before, after, List.of("postgres"), 2_000, 100, List.of()),
                results.applyLag(), results.notes());

        assertThat(TextReport.render(withoutNotes).lines().toList())
                .anySatisfy(line -> assertThat(line).matches("  postgres\\s+100\\s+5\\s+3\\s+0\\.30\\s+1\\.50"));
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
        assertThat(html).contains("<h2>CPU per request</h2>")
                .contains("<tr><td class=\"l\">postgres</td><td>100</td><td>5</td><td>3</td><td>0.30</td><td>1.50</td>")
                .contains("<tr><th class=\"l\">stack and load generator</th><th></th><th></th><th>10</th><th>1</th><th>5</th>")
                .contains("restarted during the run (pid 300 -&gt; 301): not counted");
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
        JsonNode json = BenchJson.MAPPER.readTree(BenchJson.line(results));

        assertThat(json.propertyNames()).containsExactly("startedAt", "machine", "settings", "preload", "run", "cpu", "applyLag",
                "notes");
        assertThat(json.path("cpu").propertyNames())
                .containsExactly("seconds", "requests", "ticksPerSecond", "processes", "stack", "all", "notes");
        assertThat(json.path("cpu").path("processes").get(0).propertyNames())
                .containsExactly("name", "pid", "processes", "cpuSeconds", "cores", "msPerRequest", "note");
        assertThat(json.path("cpu").path("processes").get(0).path("msPerRequest").asDouble()).isEqualTo(1.5);
        assertThat(json.path("cpu").path("all").path("msPerRequest").asDouble()).isEqualTo(5.0);
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
