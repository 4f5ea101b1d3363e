package dev.scimflow.ingress.users;

import java.util.concurrent.CompletableFuture;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.scimflow.events.ChangeOperation;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.ingress.ResourceLinks;
import dev.scimflow.ingress.ScimJson;
import dev.scimflow.ingress.auth.BearerAuthentication;
import dev.scimflow.ingress.changes.AsyncRequests;
import dev.scimflow.ingress.changes.ChangeBodies;
import dev.scimflow.ingress.changes.IdempotencyKeys;
import dev.scimflow.ingress.changes.OutcomeResponses;
import dev.scimflow.ingress.changes.SubmitChange;
import dev.scimflow.ingress.reads.ListRequest;
import dev.scimflow.scim.AttributeProjection;
import dev.scimflow.scim.RoleAttribute;
import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimUsers;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;

/**
 * {@code /scim/v2/Users}: reads are answered from the user store; writes are validated, published as changes
 * and answered with the worker's outcome.
 */
@RestController
@RequestMapping("/scim/v2/Users")
class UsersController {

    private final SubmitChange submitChange;
    private final UserReads reads;
    private final OutcomeResponses responses;
    private final AsyncRequests async;
    private final ChangeBodies bodies;

    UsersController(SubmitChange submitChange, UserReads reads, OutcomeResponses responses, AsyncRequests async,
                    ChangeBodies bodies) {
        this.bodies = bodies;
        this.submitChange = submitChange;
        this.reads = reads;
        this.responses = responses;
        this.async = async;
    }

    @GetMapping("/{id}")
    ResponseEntity<JsonNode> get(@PathVariable String id,
                                 @RequestParam(required = false) String attributes,
                                 @RequestParam(required = false) String excludedAttributes,
                                 @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
                                 HttpServletRequest request) {
        return reads.get(BearerAuthentication.principal(request), id,
                AttributeProjection.of(attributes, excludedAttributes), ifNoneMatch);
    }

    @GetMapping
    ResponseEntity<JsonNode> list(@RequestParam(required = false) String filter,
                                  @RequestParam(required = false) String sortBy,
                                  @RequestParam(required = false) String sortOrder,
                                  @RequestParam(required = false) String startIndex,
                                  @RequestParam(required = false) String count,
                                  @RequestParam(required = false) String cursor,
                                  @RequestParam(required = false) String attributes,
                                  @RequestParam(required = false) String excludedAttributes,
                                  HttpServletRequest request) {
        return reads.list(BearerAuthentication.principal(request),
                new ListRequest(filter, sortBy, sortOrder, startIndex, count, cursor, attributes, excludedAttributes));
    }

    @PostMapping("/.search")
    ResponseEntity<JsonNode> search(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        return reads.list(BearerAuthentication.principal(request), ListRequest.fromSearchBody(ScimJson.parse(body)));
    }

    @PostMapping
    CompletableFuture<ResponseEntity<JsonNode>> create(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        JsonNode user = bodies.user(ScimJson.parse(body));
        String tenant = BearerAuthentication.principal(request).tenant();
        return submit(request, IdempotencyKeys.newResourceId(request, tenant), ChangeOperation.CREATE, user, null);
    }

    @PutMapping("/{id}")
    CompletableFuture<ResponseEntity<JsonNode>> replace(@PathVariable String id, @RequestBody(required = false) byte[] body,
                                                        @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                        HttpServletRequest request) {
        JsonNode user = bodies.user(ScimJson.parse(body));
        return submit(request, id, ChangeOperation.REPLACE, user, ifMatch);
    }

    @PatchMapping("/{id}")
    CompletableFuture<ResponseEntity<JsonNode>> patch(@PathVariable String id, @RequestBody(required = false) byte[] body,
                                                      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                      HttpServletRequest request) {
        JsonNode patch = bodies.userPatch(ScimJson.parse(body));
        return submit(request, id, ChangeOperation.PATCH, patch, ifMatch);
    }

    @DeleteMapping("/{id}")
    CompletableFuture<ResponseEntity<JsonNode>> delete(@PathVariable String id,
                                                       @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                       HttpServletRequest request) {
        return submit(request, id, ChangeOperation.DELETE, null, ifMatch);
    }

    private CompletableFuture<ResponseEntity<JsonNode>> submit(HttpServletRequest request, String id, ChangeOperation operation,
                                                               JsonNode body, String ifMatch) {
        if (!UserReads.isWellFormedId(id)) {
            throw ScimException.notFound("User " + id + " not found");
        }
        ScimChange change = SubmitChange.changeOf(request, ResourceType.USER, id, operation, body, ifMatch);
        String location = ResourceLinks.current().user(id);
        if (AsyncRequests.requested(request)) {
            return async.accept(change, location);
        }
        RoleAttribute roleAttribute = BearerAuthentication.principal(request).roleAttribute();
        // the worker renders role at the top; the caller's tenant may want it in the extension
        return submitChange.submit(change).thenApply(outcome -> responses.toResponse(outcome, location,
                resource -> ScimUsers.withRoleAttribute(resource, roleAttribute)));
    }
}
