package dev.scimflow.ingress.limits;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.springframework.stereotype.Component;

import dev.scimflow.ingress.IngressFilter;
import dev.scimflow.ingress.bulk.BulkController;
import dev.scimflow.ingress.errors.ScimErrorWriter;
import dev.scimflow.scim.ScimException;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Caps the size of SCIM request bodies (Tomcat's form-size limits do not cover JSON). A declared
 * Content-Length over the limit is answered 413 before a byte is read, and before authentication, so that
 * nobody can make the ingress buffer a large body; a chunked body is counted as it is read and fails with
 * {@link BodyTooLarge}, which {@link dev.scimflow.ingress.errors.ScimErrors} answers 413 too. A step of {@link IngressFilter}.
 */
@Component
public class RequestBodyLimit {

    private final RequestLimits limits;
    private final ScimErrorWriter errors;

    RequestBodyLimit(RequestLimits limits, ScimErrorWriter errors) {
        this.limits = limits;
        this.errors = errors;
    }

    /** The body went past the limit while it was read. */
    public static final class BodyTooLarge extends IOException {
        BodyTooLarge(long limit, boolean bulk) {
            super(bulk
                    ? "the bulk request is larger than maxPayloadSize, " + limit + " bytes"
                    : "the request body is larger than " + limit + " bytes");
        }
    }

    /** The SCIM request with its body held to the limit, or null when it was answered 413 for its declared length. */
    public HttpServletRequest limit(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // a bulk request carries many operations: RFC 7644 §3.7.4's maxPayloadSize, each operation then held to the body limit
        boolean bulk = request.getRequestURI().equals(request.getContextPath() + BulkController.PATH);
        long limit = bulk ? limits.maxBulkPayloadSize().toBytes() : limits.maxBodySize().toBytes();
        if (request.getContentLengthLong() > limit) {
            errors.write(request, response, ScimException.payloadTooLarge(new BodyTooLarge(limit, bulk).getMessage()));
            return null;
        }
        return new LimitedBody(request, limit, bulk);
    }

    private static final class LimitedBody extends HttpServletRequestWrapper {
        private final long limit;
        private final boolean bulk;
        private ServletInputStream stream;

        LimitedBody(HttpServletRequest request, long limit, boolean bulk) {
            super(request);
            this.limit = limit;
            this.bulk = bulk;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream(), limit, bulk);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class CountingStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private final boolean bulk;
        private long count;

        CountingStream(ServletInputStream in, long limit, boolean bulk) {
            this.in = in;
            this.limit = limit;
            this.bulk = bulk;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws BodyTooLarge {
            count += n;
            if (count > limit) {
                throw new BodyTooLarge(limit, bulk);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
