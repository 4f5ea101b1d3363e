/**
 * RFC 7644 §4 discovery ({@code /ServiceProviderConfig}, {@code /ResourceTypes}, {@code /Schemas}):
 * {@link dev.scimflow.ingress.discovery.DiscoveryController}, with the resource types as a tenant sees them from
 * {@code DiscoveryConfiguration}.
 */
package dev.scimflow.ingress.discovery;
