package dev.scimflow.events;

import java.time.Instant;

/**
 * One SCIM request as the tenant's request log keeps it, published to {@link Topics#REQUESTS} by the ingress after the
 * response was written, keyed by tenant. What the IdP asked and what it was answered, never what it sent: no body,
 * no header but the client's User-Agent, no query parameter values, no token.
 *
 * @param tenant    the tenant the bearer token belongs to
 * @param at        when the request arrived
 * @param client    the client's User-Agent, shortened; null when it sent none
 * @param method    the HTTP method
 * @param path      the request path, then the names (never the values) of its query parameters, e.g.
 *                  {@code /scim/v2/Users?filter&count}
 * @param status    the HTTP status of the response
 * @param scimType  the SCIM error's scimType when the response was a SCIM error that has one
 * @param detail    the SCIM error's detail, as the client got it, shortened; null on success
 * @param latencyMs from the request's arrival until its response was complete
 * @param requestId the request id (X-Request-Id), as in the response and the services' logs
 */
public record ScimRequest(
                          String tenant,
                          Instant at,
                          String client,
                          String method,
                          String path,
                          int status,
                          String scimType,
                          String detail,
                          long latencyMs,
                          String requestId) {
}
