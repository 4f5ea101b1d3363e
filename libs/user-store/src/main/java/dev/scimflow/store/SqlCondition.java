package dev.scimflow.store;

import java.util.List;

/** A parameterized SQL boolean expression: the text with {@code ?} placeholders and their values in order. */
public record SqlCondition(String sql, List<Object> params) {

    public static final SqlCondition TRUE = new SqlCondition("true", List.of());
}
