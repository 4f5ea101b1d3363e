package dev.scimflow.ingress.requestlog;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The request log's side in the ingress: every SCIM request of a known tenant becomes one entry on
 * {@code scim.requests}, sent off the request thread.
 *
 * @param enabled       false publishes nothing
 * @param queueCapacity entries waiting to be sent, per instance; when the queue is full (broker slow or down), new
 *                      entries are dropped and counted in {@code scimflow.request.log.dropped}, never waited for
 * @param sendTimeout   how long the sending thread waits for the broker's metadata before dropping an entry
 * @param sendInterval  how long the sending thread gathers entries after the first before sending them together: at low
 *                      rates one wake-up of the producer and one request to the broker per interval, not per request
 */
@ConfigurationProperties("scimflow.ingress.request-log")
public record RequestLogProperties(@DefaultValue("true") boolean enabled, @DefaultValue("10000") int queueCapacity,
                                   @DefaultValue("2s") Duration sendTimeout, @DefaultValue("100ms") Duration sendInterval) {
}
