package dev.scimflow.ingress;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.scimflow.scim.ScimException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * While the user store cannot be reached (database down, connections refused or cut), a request that needs it, from
 * the token check on, is answered 503 with Retry-After and a SCIM error at once: the IdP retries later, as it does for
 * any 503, instead of reading an internal error into a transient outage.
 */
@Component
@Order(BearerAuthentication.ORDER - 1)
class StoreOutageFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(StoreOutageFilter.class);

    private final ScimErrorWriter errors;

    StoreOutageFilter(ScimErrorWriter errors) {
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !ScimPaths.isScim(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
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
