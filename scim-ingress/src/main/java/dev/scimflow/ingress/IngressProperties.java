package dev.scimflow.ingress;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The ingress's settings.
 *
 * @param outcomeTimeout how long a write waits for the worker's outcome before answering 503
 * @param retryAfter     the Retry-After the ingress sends with a 503 or 429
 * @param maxPageSize    the largest page a list returns (the advertised filter maxResults)
 * @param tokenCacheTtl  how long an instance trusts a token it authenticated without asking the store again: the bound
 *                       on how late a revocation or expiry takes effect on every instance
 */
@ConfigurationProperties("scimflow.ingress")
public record IngressProperties(Duration outcomeTimeout, Duration retryAfter, int maxPageSize, Duration tokenCacheTtl) {
}
