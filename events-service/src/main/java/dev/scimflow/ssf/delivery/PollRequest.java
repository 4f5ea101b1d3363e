package dev.scimflow.ssf.delivery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.scimflow.ssf.SsfException;
import tools.jackson.databind.JsonNode;

/**
 * A poll request of RFC 8936 §2.4: acknowledgements ({@code ack}), SETs the receiver refused ({@code setErrs}), how
 * many SETs it wants ({@code maxEvents}; 0 only acknowledges) and whether to answer at once or long-poll
 * ({@code returnImmediately}, false by default).
 */
public record PollRequest(Integer maxEvents, boolean returnImmediately, List<String> ack, Map<String, SetError> setErrs) {

    /** A receiver's reason for refusing one SET. */
    public record SetError(String err, String description) {
    }

    public static PollRequest parse(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return new PollRequest(null, false, List.of(), Map.of());
        }
        if (!body.isObject()) {
            throw SsfException.invalidRequest("the poll request must be a JSON object");
        }
        Integer maxEvents = null;
        JsonNode max = body.get("maxEvents");
        if (max != null && !max.isNull()) {
            if (!max.isIntegralNumber() || max.asLong() < 0) {
                throw SsfException.invalidRequest("maxEvents must be a non-negative integer");
            }
            maxEvents = (int) Math.min(Integer.MAX_VALUE, max.asLong());
        }
        JsonNode immediately = body.get("returnImmediately");
        if (immediately != null && !immediately.isNull() && !immediately.isBoolean()) {
            throw SsfException.invalidRequest("returnImmediately must be a boolean");
        }
        List<String> ack = new ArrayList<>();
        JsonNode acks = body.get("ack");
        if (acks != null && !acks.isNull()) {
            if (!acks.isArray()) {
                throw SsfException.invalidRequest("ack must be an array of jti values");
            }
            acks.forEach(jti -> ack.add(jti.asString()));
        }
        Map<String, SetError> errors = new LinkedHashMap<>();
        JsonNode setErrs = body.get("setErrs");
        if (setErrs != null && !setErrs.isNull()) {
            if (!setErrs.isObject()) {
                throw SsfException.invalidRequest("setErrs must be an object of jti to {err, description}");
            }
            for (Map.Entry<String, JsonNode> entry : setErrs.properties()) {
                errors.put(entry.getKey(), new SetError(entry.getValue().path("err").asString(null),
                        entry.getValue().path("description").asString(null)));
            }
        }
        return new PollRequest(maxEvents, immediately != null && immediately.asBoolean(), List.copyOf(ack), errors);
    }
}
