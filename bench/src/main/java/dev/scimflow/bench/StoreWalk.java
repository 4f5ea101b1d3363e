package dev.scimflow.bench;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a store seeded by {@link SeedEvents} through the ingress ({@code scimflow bench walk}): 1,000 sequential
 * {@code externalId eq} and {@code userName eq} lookups of random seeded users (after 100 warm-up requests each), a
 * cursor-paged walk of every user (1,000 per page, timed per page, reported by tenths of the walk) and five
 * index-paged pages near the end, for contrast. One request at a time: it measures latency, not throughput.
 */
public final class StoreWalk {

    private static final Pattern NEXT_CURSOR = Pattern.compile("\"nextCursor\":\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String token;

    public StoreWalk(String scimBaseUrl, String token) {
        this.base = scimBaseUrl;
        this.token = token;
    }

    /** Walks a store of {@code users} seeded users, at most {@code pages} cursor pages, and prints a line per figure. */
    public void run(int users, int pages, PrintWriter out) throws Exception {
        Random random = new Random(42);
        for (String attribute : List.of("externalId", "userName")) {
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < 1100; i++) {
                int n = random.nextInt(users);
                String value = attribute.equals("externalId") ? "ext-" + n : "seed" + n + "@example.com";
                String[] body = new String[1];
                double ms = get("/Users?filter=" + URLEncoder.encode(attribute + " eq \"" + value + "\"", StandardCharsets.UTF_8),
                        body);
                if (!body[0].contains("\"totalResults\":1")) {
                    throw new BenchError("not found: " + value + " (is the store seeded with at least " + users + " users?)");
                }
                if (i >= 100) {
                    times.add(ms);
                }
            }
            out.println(attribute + " eq, sequential, after 100 warm-up: " + percentiles(times));
            out.flush();
        }
        List<Double> walk = new ArrayList<>();
        String cursor = "";
        for (int p = 0; p < pages; p++) {
            String[] body = new String[1];
            walk.add(get("/Users?count=1000&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8), body));
            Matcher next = NEXT_CURSOR.matcher(body[0]);
            if (!next.find()) {
                break;
            }
            cursor = next.group(1);
        }
        int tenth = Math.max(1, walk.size() / 10);
        for (int d = 0; d < walk.size(); d += tenth) {
            out.println("cursor pages " + (d + 1) + "-" + Math.min(walk.size(), d + tenth) + ": "
                    + percentiles(walk.subList(d, Math.min(walk.size(), d + tenth))));
        }
        List<Double> deep = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            deep.add(get("/Users?count=1000&startIndex=" + Math.max(1, users - 1000 * (i + 1)), null));
        }
        out.println("index paging near the end (startIndex ~" + Math.max(1, users - 5000) + "): " + percentiles(deep));
        out.flush();
    }

    private double get(String pathAndQuery, String[] body) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (response.statusCode() != 200) {
            throw new BenchError("GET " + pathAndQuery + " answered " + response.statusCode() + " " + response.body());
        }
        if (body != null) {
            body[0] = response.body();
        }
        return ms;
    }

    /** {@code n=… p50=… p90=… p99=… max=… ms} of the times (ms), each the nearest rank below. */
    static String percentiles(List<Double> times) {
        List<Double> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        int n = sorted.size();
        return String.format(Locale.ROOT, "n=%d p50=%.1f p90=%.1f p99=%.1f max=%.1f ms", n, sorted.get(n / 2),
                sorted.get((int) (n * 0.9)), sorted.get(Math.min(n - 1, (int) (n * 0.99))), sorted.get(n - 1));
    }
}
