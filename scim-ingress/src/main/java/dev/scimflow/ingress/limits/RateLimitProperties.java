package dev.scimflow.ingress.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The per-tenant request rate, as a token bucket: a tenant may send {@code capacity} requests at once and
 * {@code refillPerSecond} a second after that; beyond it, 429 with Retry-After. The bucket lives in each
 * ingress instance: with N instances behind a load balancer a tenant gets up to N times this.
 *
 * @param enabled         false turns rate limiting off
 * @param capacity        the burst a tenant may send at once
 * @param refillPerSecond the sustained requests per second per tenant
 */
@ConfigurationProperties("scimflow.ingress.rate-limit")
public record RateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("400") long capacity,
                                  @DefaultValue("200") long refillPerSecond) {
}
