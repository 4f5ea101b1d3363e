package dev.scimflow.audit.requests;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The request log is always pruned on a schedule ({@link RequestLogRetention}), whatever the audit log's retention. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class RequestLogSchedule {
}
