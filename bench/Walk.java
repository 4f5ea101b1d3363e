import java.net.URI;
import java.net.URLEncoder;
import java.net.http.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.regex.*;

/**
 * Measures a store seeded by Seed.java through the ingress: 1,000 sequential `externalId eq` and `userName eq`
 * lookups of random seeded users (after 100 warm-up requests each), a cursor-paged walk of every user (1,000 per
 * page, timed per page, reported by tenths of the walk) and five index-paged pages near the end, for contrast.
 * java bench/Walk.java SCIM_BASE_URL TOKEN SEEDED_USERS PAGES
 */
public class Walk {
  static HttpClient http = HttpClient.newHttpClient();
  static String base, token;
  static double get(String pathAndQuery, String[] body) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
    double ms = (System.nanoTime() - t0) / 1e6;
    if (r.statusCode() != 200) throw new IllegalStateException(r.statusCode() + " " + r.body());
    if (body != null) body[0] = r.body();
    return ms;
  }
  static String pct(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs); Collections.sort(s);
    return String.format("n=%d p50=%.1f p90=%.1f p99=%.1f max=%.1f ms", s.size(), s.get(s.size() / 2), s.get((int) (s.size() * 0.9)),
        s.get(Math.min(s.size() - 1, (int) (s.size() * 0.99))), s.get(s.size() - 1));
  }
  public static void main(String[] a) throws Exception {
    base = a[0]; token = a[1]; int users = Integer.parseInt(a[2]); int pages = Integer.parseInt(a[3]);
    Random random = new Random(42);
    for (String attr : List.of("externalId", "userName")) {
      List<Double> xs = new ArrayList<>();
      for (int i = 0; i < 1100; i++) {
        int n = random.nextInt(users);
        String value = attr.equals("externalId") ? "ext-" + n : "seed" + n + "@example.com";
        String[] body = new String[1];
        double ms = get("/Users?filter=" + URLEncoder.encode(attr + " eq \"" + value + "\"", StandardCharsets.UTF_8), body);
        if (!body[0].contains("\"totalResults\":1")) throw new IllegalStateException("not found: " + value);
        if (i >= 100) xs.add(ms);
      }
      System.out.println(attr + " eq, sequential, after 100 warm-up: " + pct(xs));
    }
    List<Double> walk = new ArrayList<>();
    String cursor = "";
    Pattern next = Pattern.compile("\"nextCursor\":\"([^\"]+)\"");
    for (int p = 0; p < pages; p++) {
      String[] body = new String[1];
      walk.add(get("/Users?count=1000&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8), body));
      Matcher m = next.matcher(body[0]);
      if (!m.find()) break;
      cursor = m.group(1);
    }
    int tenth = Math.max(1, walk.size() / 10);
    for (int d = 0; d < walk.size(); d += tenth) {
      System.out.println("cursor pages " + (d + 1) + "-" + Math.min(walk.size(), d + tenth) + ": " + pct(walk.subList(d, Math.min(walk.size(), d + tenth))));
    }
    List<Double> deep = new ArrayList<>();
    for (int i = 0; i < 5; i++) deep.add(get("/Users?count=1000&startIndex=" + (users - 1000 * (i + 1)), null));
    System.out.println("index paging near the end (startIndex ~" + (users - 5000) + "): " + pct(deep));
  }
}
