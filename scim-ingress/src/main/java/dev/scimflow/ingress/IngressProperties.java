package dev.scimflow.ingress;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The ingress's settings.
 *
 * @param outcomeTimeout how long a write waits for the worker's outcome before answering 503
 * @param retryAfter     the Retry-After the ingress sends with a 503 or 429
 * @param maxPageSize    the largest page a list returns (the advertised filter maxResults)
 */
@ConfigurationProperties("scimflow.ingress")
public record IngressProperties(Duration outcomeTimeout, Duration retryAfter, int maxPageSize) {
}
