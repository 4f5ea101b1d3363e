package dev.scimflow.ingress.limits;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

import dev.scimflow.ingress.IngressFilter;
import dev.scimflow.ingress.errors.ScimErrorWriter;
import dev.scimflow.scim.ScimException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * While the user store cannot be reached (database down, connections refused or cut), a request that needs it, from
 * the token check on, is answered 503 with Retry-After and a SCIM error at once: the IdP retries later, as it does for
 * any 503, instead of reading an internal error into a transient outage. A step of {@link IngressFilter}.
 */
@Component
public class StoreOutages {

    private static final Logger log = LoggerFactory.getLogger(StoreOutages.class);

    private final ScimErrorWriter errors;

    StoreOutages(ScimErrorWriter errors) {
        this.errors = errors;
    }

    /** The rest of the request's way, from the token check on. */
    public interface Steps {
        void run() throws ServletException, IOException;
    }

    /** Runs the steps; a store outage they meet before the response is committed is answered 503. */
    public void answerDuring(HttpServletRequest request, HttpServletResponse response, Steps steps) throws ServletException, IOException {
        try {
            steps.run();
        } catch (DataAccessResourceFailureException | TransientDataAccessException | CannotCreateTransactionException e) {
            if (response.isCommitted()) {
                throw e;
            }
            log.warn("user store unavailable, answering 503: {}", e.getMostSpecificCause().getMessage());
            response.resetBuffer();
            errors.write(request, response, new ScimException(503, null, "the service is temporarily unavailable; retry later"));
        }
    }
}
