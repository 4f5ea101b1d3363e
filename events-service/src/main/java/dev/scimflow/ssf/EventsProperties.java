package dev.scimflow.ssf;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The events service's settings.
 *
 * @param issuer              the base URL receivers reach the service at: {@code iss} of every SET and the prefix of
 *                            every SSF endpoint
 * @param maxStreamsPerTenant how many streams one tenant may have
 * @param supervisorInterval  how often push streams are (re)assigned to this instance and status changes noticed
 */
@ConfigurationProperties("scimflow.events")
public record EventsProperties(String issuer, int maxStreamsPerTenant, Duration supervisorInterval, Push push, Poll poll,
                               Keys keys) {

    public EventsProperties {
        issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }

    /**
     * Push delivery: back-off while a receiver is down, how long one POST may take, how many SETs of one stream are
     * in flight at once (each of a different resource: one resource's SETs are sent one after the other, in order), how
     * many may be read ahead of what the receiver took, and how often the stream's position is saved while it moves.
     */
    public record Push(Duration initialBackoff, Duration maxBackoff, Duration timeout, int inFlight, int maxUnacknowledged,
                       Duration saveInterval) {

        public Push {
            inFlight = inFlight <= 0 ? 16 : inFlight;
            maxUnacknowledged = maxUnacknowledged <= 0 ? 2_000 : maxUnacknowledged;
            saveInterval = saveInterval == null ? Duration.ofMillis(500) : saveInterval;
        }
    }

    /** Poll delivery: the most SETs one answer carries, and how long a long poll waits. */
    public record Poll(int maxEvents, Duration longPollTimeout) {
    }

    /** How often every instance reloads the signing keys. */
    public record Keys(Duration reloadInterval) {
    }
}
