/**
 * What the ingress refuses, to protect itself and the store: bodies over the limit ({@code RequestBodyLimit}), filters
 * too complex ({@code FilterLimits}), a tenant over its rate ({@link dev.scimflow.ingress.limits.TenantRateLimiting}), and
 * requests during a store outage ({@code StoreOutages}); {@code RequestLimits} and {@code RateLimitProperties} hold the
 * settings, and {@code RefusedRequests} counts the 429s and 503s per tenant.
 */
package dev.scimflow.ingress.limits;
