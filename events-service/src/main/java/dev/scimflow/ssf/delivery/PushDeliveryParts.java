package dev.scimflow.ssf.delivery;

import org.springframework.stereotype.Component;

import dev.scimflow.ssf.stream.Streams;

/** What every {@link PushStream} works with, in one place. */
@Component
record PushDeliveryParts(EventsTopic topic, Streams streams, PendingSets pending, DeliveryFailures failures, StreamSets sets,
                         PushClient client, DeliveryMetrics metrics) {
}
