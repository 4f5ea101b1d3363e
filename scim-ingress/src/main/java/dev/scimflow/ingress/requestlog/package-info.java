/**
 * The request log: {@link dev.scimflow.ingress.requestlog.RequestLogging}, a step of the ingress filter, hands over
 * every SCIM request of a known tenant once it is answered, {@code RequestLogEntries} says what an entry keeps (no
 * bodies, no tokens), and {@code RequestLogPublisher} sends the entries to {@code scim.requests} without ever holding a
 * request up.
 */
package dev.scimflow.ingress.requestlog;
