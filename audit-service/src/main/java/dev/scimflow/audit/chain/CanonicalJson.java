package dev.scimflow.audit.chain;

import java.util.Map;
import java.util.TreeMap;

import dev.scimflow.events.EventCodec;
import tools.jackson.databind.JsonNode;

/**
 * One text for one JSON value, whatever its spelling: object members sorted by name, no whitespace, numbers in
 * plain decimal without trailing zeros ({@code 1.0}, {@code 1} and {@code 1e0} are all {@code 1}). PostgreSQL's
 * jsonb reorders members and respells numbers, so a snapshot hashed as it arrived and the same snapshot read
 * back from the database must give the same text.
 */
final class CanonicalJson {

    private CanonicalJson() {
    }

    static String of(JsonNode value) {
        StringBuilder text = new StringBuilder();
        write(value, text);
        return text.toString();
    }

    private static void write(JsonNode value, StringBuilder text) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            text.append("null");
        } else if (value.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            value.properties().forEach(member -> sorted.put(member.getKey(), member.getValue()));
            text.append('{');
            String separator = "";
            for (Map.Entry<String, JsonNode> member : sorted.entrySet()) {
                text.append(separator).append(quoted(member.getKey())).append(':');
                write(member.getValue(), text);
                separator = ",";
            }
            text.append('}');
        } else if (value.isArray()) {
            text.append('[');
            String separator = "";
            for (JsonNode element : value.values()) {
                text.append(separator);
                write(element, text);
                separator = ",";
            }
            text.append(']');
        } else if (value.isNumber()) {
            text.append(value.decimalValue().stripTrailingZeros().toPlainString());
        } else if (value.isBoolean()) {
            text.append(value.booleanValue());
        } else if (value.isString()) {
            text.append(quoted(value.stringValue()));
        } else {
            text.append(quoted(value.toString()));
        }
    }

    private static String quoted(String value) {
        return EventCodec.mapper().writeValueAsString(value);
    }
}
