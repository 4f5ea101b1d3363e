package dev.scimflow.ingress.errors;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.Host;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

import dev.scimflow.ingress.ScimJson;
import dev.scimflow.ingress.ScimMediaType;
import dev.scimflow.scim.ScimException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Errors Tomcat answers itself, before any filter or controller sees the request (a request line or headers over the
 * size limit, a malformed URI, a bad header), as SCIM errors instead of Tomcat's HTML page: the Host's error report
 * valve is replaced by {@link ScimErrorReportValve}. Errors raised inside the application go through
 * {@link ScimErrors} and {@link ScimErrorController}.
 */
@Component
class ContainerErrors implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            Host host = (Host) context.getParent();
            if (host instanceof StandardHost standardHost) {
                standardHost.setErrorReportValveClass(ScimErrorReportValve.class.getName());
            }
        });
    }

    /** Renders an error response that has no body yet as a SCIM Error (status as a string, no server details). */
    public static final class ScimErrorReportValve extends ErrorReportValve {

        private static final JsonMapper JSON = ScimJson.MAPPER;

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            // as Tomcat's own: nothing for 1xx-3xx, nothing when a body was written, each error reported once
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            try {
                response.setContentType(ScimMediaType.SCIM_JSON_VALUE);
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(JSON.writeValueAsString(new ScimException(status, null, detail(status)).toJson()));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // the connection is gone or the response was committed meanwhile: nothing more can be said
            }
        }

        private static String detail(int status) {
            return switch (status) {
                case 400 -> "the request is malformed (request line, URI or headers)";
                case 404 -> "no such resource";
                case 408 -> "the request took too long to arrive";
                case 413 -> "the request is too large";
                case 414 -> "the request URI is too long";
                case 431 -> "the request headers are too large";
                case 505 -> "the HTTP version is not supported";
                default -> status >= 500 ? "the request failed" : "the request cannot be served";
            };
        }
    }
}
