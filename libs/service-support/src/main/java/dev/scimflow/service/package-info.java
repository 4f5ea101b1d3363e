/**
 * The conventions every scimflow service shares, auto-configured in each service that depends on this module: Kafka in
 * the readiness group ({@link dev.scimflow.service.KafkaHealthIndicator}) and when spans are recorded
 * ({@link dev.scimflow.service.TracingAutoConfiguration}). A convention belongs here when every service must follow it
 * alike; what one service needs, or what services do differently on purpose, stays in the service (the module's
 * README says which and why).
 */
package dev.scimflow.service;
