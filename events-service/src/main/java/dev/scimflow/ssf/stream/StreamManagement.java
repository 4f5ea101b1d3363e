package dev.scimflow.ssf.stream;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.scimflow.events.SecurityEventUris;
import dev.scimflow.ssf.EventsProperties;
import dev.scimflow.ssf.SsfException;
import dev.scimflow.ssf.delivery.EventsTopic;
import dev.scimflow.ssf.delivery.PendingSets;
import dev.scimflow.ssf.delivery.PollDelivery;
import dev.scimflow.ssf.delivery.PushDeliveries;
import dev.scimflow.ssf.delivery.StreamSets;
import dev.scimflow.ssf.receiver.Receiver;
import tools.jackson.databind.JsonNode;

/**
 * Stream configuration as SSF 1.0 §8.1 defines it, for one tenant's receivers. A new stream starts at the end of
 * {@code scim.events}: it gets what happens from then on. The receiver supplies the delivery (method, endpoint and
 * {@code authorization_header} for push), {@code events_requested} and a description; the service supplies the rest.
 * The authorization header is a secret of the receiver: stored, used, never shown again.
 */
@Service
class StreamManagement {

    private static final Logger log = LoggerFactory.getLogger(StreamManagement.class);

    private final Streams streams;
    private final PendingSets pending;
    private final EventsTopic topic;
    private final StreamSets sets;
    private final PollDelivery poll;
    private final PushDeliveries push;
    private final TransactionTemplate transaction;
    private final EventsProperties properties;

    StreamManagement(Streams streams, PendingSets pending, EventsTopic topic, StreamSets sets, PollDelivery poll,
                     PushDeliveries push, TransactionTemplate transaction, EventsProperties properties) {
        this.streams = streams;
        this.pending = pending;
        this.topic = topic;
        this.sets = sets;
        this.poll = poll;
        this.push = push;
        this.transaction = transaction;
        this.properties = properties;
    }

    Map<String, Object> create(Receiver receiver, JsonNode body) {
        requireObject(body);
        if (streams.count(receiver.tenant()) >= properties.maxStreamsPerTenant()) {
            throw new SsfException(409, "invalid_request", "the tenant already has " + properties.maxStreamsPerTenant()
                    + " streams, the most it may have");
        }
        Instant now = Instant.now();
        StreamConfig stream = configured(body, new StreamConfig(UUID.randomUUID().toString(), receiver.tenant(), null, null,
                null, null, StreamConfig.DEFAULT_EVENTS, StreamStatus.ENABLED, null, now, now), true);
        Map<Integer, Long> start = topic.ends();
        transaction.executeWithoutResult(status -> streams.create(stream, start));
        log.info("stream {} created for tenant {} ({}, {})", stream.id(), stream.tenant(), stream.method(), stream.eventsDelivered());
        return render(stream);
    }

    List<Map<String, Object>> list(Receiver receiver) {
        return streams.list(receiver.tenant()).stream().map(this::render).toList();
    }

    Map<String, Object> read(Receiver receiver, String streamId) {
        return render(existing(receiver, streamId));
    }

    /** PATCH changes what the body names; PUT replaces every receiver-supplied property. */
    Map<String, Object> update(Receiver receiver, JsonNode body, boolean replace) {
        requireObject(body);
        StreamConfig current = existing(receiver, text(body, "stream_id", true));
        StreamConfig base = replace
                ? new StreamConfig(current.id(), current.tenant(), null, null, null, null,
                        StreamConfig.DEFAULT_EVENTS, current.status(), current.reason(), current.createdAt(), current.updatedAt())
                : current;
        StreamConfig updated = configured(body, base, replace);
        streams.update(updated);
        push.release(current.id());
        return render(existing(receiver, current.id()));
    }

    void delete(Receiver receiver, String streamId) {
        if (!streams.delete(receiver.tenant(), streamId)) {
            throw SsfException.notFound("no stream " + streamId);
        }
        poll.forget(streamId);
        push.release(streamId);
        log.info("stream {} of tenant {} deleted", streamId, receiver.tenant());
    }

    Map<String, Object> status(Receiver receiver, String streamId) {
        return renderStatus(existing(receiver, streamId));
    }

    /** Pauses, disables or enables a stream; a disabled stream that is enabled again starts at the end of the log. */
    Map<String, Object> changeStatus(Receiver receiver, JsonNode body) {
        requireObject(body);
        StreamConfig stream = existing(receiver, text(body, "stream_id", true));
        StreamStatus status = StreamStatus.of(text(body, "status", true));
        String reason = text(body, "reason", false);
        Map<Integer, Long> ends = stream.status() == StreamStatus.DISABLED && status != StreamStatus.DISABLED ? topic.ends() : null;
        transaction.executeWithoutResult(tx -> {
            streams.lock(stream.id());
            streams.setStatus(stream.id(), status, reason);
            if (ends != null) {
                streams.savePositions(stream.id(), ends);
                pending.clear(stream.id());
            }
        });
        push.release(stream.id());
        log.info("stream {} of tenant {} is now {}", stream.id(), stream.tenant(), status.value());
        return renderStatus(existing(receiver, stream.id()));
    }

    /** Queues a verification event (SSF 1.0 §8.1.4): delivered like the stream's other SETs, pushed or polled. */
    void verify(Receiver receiver, JsonNode body) {
        requireObject(body);
        StreamConfig stream = existing(receiver, text(body, "stream_id", true));
        StreamSets.SignedSet set = sets.verification(stream, text(body, "state", false));
        pending.add(stream.id(), set.jti(), set.jwt());
    }

    private StreamConfig existing(Receiver receiver, String streamId) {
        return streams.find(receiver.tenant(), streamId).orElseThrow(() -> SsfException.notFound("no stream " + streamId));
    }

    /** The stream with the receiver-supplied properties the body carries; a replacement must carry the delivery. */
    private StreamConfig configured(JsonNode body, StreamConfig base, boolean deliveryRequired) {
        String method = base.method();
        String endpoint = base.endpointUrl();
        String authorization = base.authorizationHeader();
        JsonNode delivery = body.get("delivery");
        if (delivery != null && !delivery.isNull()) {
            if (!delivery.isObject()) {
                throw SsfException.invalidRequest("delivery must be an object");
            }
            method = text(delivery, "method", true);
            if (StreamConfig.PUSH.equals(method)) {
                endpoint = text(delivery, "endpoint_url", true);
                requireHttpUrl(endpoint);
                String header = text(delivery, "authorization_header", false);
                authorization = header != null ? header : StreamConfig.PUSH.equals(base.method()) ? base.authorizationHeader() : null;
                if (authorization != null && (authorization.length() > 4096 || authorization.chars().anyMatch(c -> c < ' ' || c > '~'))) {
                    throw SsfException.invalidRequest("authorization_header must be printable ASCII of at most 4096 characters");
                }
            } else if (StreamConfig.POLL.equals(method)) {
                endpoint = null;
                authorization = null;
            } else {
                throw SsfException.invalidRequest("delivery.method must be " + StreamConfig.PUSH + " or " + StreamConfig.POLL);
            }
        } else if (deliveryRequired) {
            throw SsfException.invalidRequest("delivery with a method is required");
        }
        List<String> requested = base.eventsRequested();
        JsonNode events = body.get("events_requested");
        if (events != null && !events.isNull()) {
            if (!events.isArray() || events.size() > 100) {
                throw SsfException.invalidRequest("events_requested must be an array of event URIs");
            }
            requested = new ArrayList<>();
            for (JsonNode uri : events) {
                if (!uri.isString() || uri.asString().length() > 300) {
                    throw SsfException.invalidRequest("events_requested must be an array of event URIs");
                }
                requested.add(uri.asString());
            }
        }
        String description = body.has("description") ? text(body, "description", false) : base.description();
        if (description != null && description.length() > 1000) {
            throw SsfException.invalidRequest("description must have at most 1000 characters");
        }
        return new StreamConfig(base.id(), base.tenant(), description, method, endpoint, authorization, requested, base.status(),
                base.reason(), base.createdAt(), base.updatedAt());
    }

    private Map<String, Object> render(StreamConfig stream) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("stream_id", stream.id());
        config.put("iss", properties.issuer());
        config.put("aud", stream.audience(properties.issuer()));
        Map<String, Object> delivery = new LinkedHashMap<>();
        delivery.put("method", stream.method());
        delivery.put("endpoint_url", stream.push() ? stream.endpointUrl() : properties.issuer() + "/ssf/poll/" + stream.id());
        config.put("delivery", delivery);
        config.put("events_supported", SecurityEventUris.SUPPORTED);
        config.put("events_requested", stream.eventsRequested());
        config.put("events_delivered", List.copyOf(stream.eventsDelivered()));
        if (stream.description() != null) {
            config.put("description", stream.description());
        }
        return config;
    }

    private static Map<String, Object> renderStatus(StreamConfig stream) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("stream_id", stream.id());
        status.put("status", stream.status().value());
        if (stream.reason() != null) {
            status.put("reason", stream.reason());
        }
        return status;
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw SsfException.invalidRequest("the body must be a JSON object");
        }
    }

    private static String text(JsonNode node, String name, boolean required) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw SsfException.invalidRequest(name + " is required");
            }
            return null;
        }
        if (!value.isString()) {
            throw SsfException.invalidRequest(name + " must be a string");
        }
        return value.asString();
    }

    private static void requireHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw SsfException.invalidRequest("endpoint_url must be an absolute http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw SsfException.invalidRequest("endpoint_url must be an absolute http(s) URL");
        }
    }
}
