/**
 * A write's way to {@code scim.changes} and back: {@link dev.scimflow.ingress.changes.SubmitChange} publishes the change
 * and waits, bounded, for its outcome, which {@code OutcomeReader} reads from {@code scim.outcomes} and
 * {@code OutcomeResponses} turns into the answer. Also the validation of request bodies ({@code ChangeBodies}),
 * {@code Idempotency-Key} ({@code IdempotencyKeys}) and {@code Prefer: respond-async} ({@code AsyncRequests}).
 */
package dev.scimflow.ingress.changes;
