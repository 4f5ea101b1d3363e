import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * A local HTTP proxy for compliance suites whose client speaks only Basic auth (SAP's SCIMono): every request is
 * forwarded to the ingress with its Authorization header replaced by {@code Bearer <token>}, and with its Host header
 * kept, so that the URLs the ingress builds (meta.location, $ref, Location) point back at the proxy.
 * Run with -Djdk.httpclient.allowRestrictedHeaders=host:
 *   java -Djdk.httpclient.allowRestrictedHeaders=host conformance/BearerProxy.java LISTEN_PORT INGRESS_BASE_URL TOKEN
 */
public class BearerProxy {

  private static final Set<String> NOT_FORWARDED = Set.of("authorization", "connection", "content-length", "expect",
      "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: BearerProxy LISTEN_PORT INGRESS_BASE_URL TOKEN");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    String upstream = args[1].replaceAll("/+$", "");
    String token = args[2];
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/", exchange -> forward(exchange, upstream, token));
    server.start();
    System.out.println("BearerProxy listening on 127.0.0.1:" + port + " for " + upstream);
  }

  private static void forward(HttpExchange exchange, String upstream, String token) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI().toString()))
          .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body))
          .header("Authorization", "Bearer " + token);
      for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
        if (!NOT_FORWARDED.contains(header.getKey().toLowerCase())) {
          header.getValue().forEach(value -> request.header(header.getKey(), value));
        }
      }
      HttpResponse<byte[]> response;
      try {
        response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      } catch (IOException e) {
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      response.headers().map().forEach((name, values) -> {
        if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
          exchange.getResponseHeaders().put(name, values);
        }
      });
      byte[] responseBody = response.body();
      boolean noBody = response.statusCode() == 204 || response.statusCode() == 304 || responseBody.length == 0
          || exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : responseBody.length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(responseBody);
        }
      }
    }
  }
}
