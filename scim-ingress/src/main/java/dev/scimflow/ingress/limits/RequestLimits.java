package dev.scimflow.ingress.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.scimflow.ingress.ScimJson;

/**
 * How much one SCIM request may carry. Over-limit requests are answered with a SCIM error (413 for the body,
 * 400 tooMany for members) before anything is parsed further or published. The limits that protect parsers
 * rather than express policy are fixed in code: JSON depth and lengths ({@link ScimJson}), filter length and
 * nesting ({@link FilterLimits}), PATCH operations ({@code UserPatch.MAX_OPERATIONS}).
 *
 * @param maxBodySize          the largest request body, counted as it is read (Content-Length or chunked). Keep it
 *                             well under half of Kafka's {@code max.request.size} (1 MB by default): a change is one
 *                             record, and the event of an applied change carries the resource twice (before, after)
 * @param maxMembersPerRequest the most group members one POST, PUT or PATCH of a group may name
 * @param maxBulkOperations    the most operations one bulk request may hold (advertised as {@code bulk.maxOperations})
 * @param maxBulkPayloadSize   the largest bulk request body (advertised as {@code bulk.maxPayloadSize}); each of its
 *                             operations is still held to {@code maxBodySize}, as it becomes one Kafka record
 */
@ConfigurationProperties("scimflow.ingress.limits")
public record RequestLimits(@DefaultValue("256KB") DataSize maxBodySize, @DefaultValue("1000") int maxMembersPerRequest,
                            @DefaultValue("1000") int maxBulkOperations, @DefaultValue("1MB") DataSize maxBulkPayloadSize) {
}
