package dev.scimflow.audit.page;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.springframework.stereotype.Component;

/** Times as the page shows them, in UTC to the second; templates call it as {@code @times}. */
@Component("times")
class PageTimes {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    public String utc(Instant time) {
        return time == null ? "" : FORMAT.format(time);
    }
}
