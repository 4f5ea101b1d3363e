package dev.scimflow.ingress.groups;

import java.util.List;
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
import dev.scimflow.events.ChangeOutcome;
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
import dev.scimflow.scim.MemberType;
import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimGroups;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /scim/v2/Groups}: reads are answered from the user store (members streamed); writes are validated,
 * published as changes keyed by group and answered with the worker's outcome. Write responses carry the
 * members only for groups of at most {@link ScimGroups#MAX_INLINE_MEMBERS}; GET always lists them all.
 */
@RestController
@RequestMapping("/scim/v2/Groups")
class GroupsController {

    private final SubmitChange submitChange;
    private final AsyncRequests async;
    private final GroupReads reads;
    private final OutcomeResponses responses;
    private final ChangeBodies bodies;

    GroupsController(SubmitChange submitChange, GroupReads reads, OutcomeResponses responses, ChangeBodies bodies,
                     AsyncRequests async) {
        this.async = async;
        this.submitChange = submitChange;
        this.reads = reads;
        this.responses = responses;
        this.bodies = bodies;
    }

    @GetMapping("/{id}")
    void get(@PathVariable String id,
             @RequestParam(required = false) String attributes,
             @RequestParam(required = false) String excludedAttributes,
             @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
             HttpServletRequest request, HttpServletResponse response) {
        reads.get(BearerAuthentication.principal(request).tenant(), id, AttributeProjection.of(attributes, excludedAttributes),
                ifNoneMatch, response);
    }

    @GetMapping
    void list(@RequestParam(required = false) String filter,
              @RequestParam(required = false) String sortBy,
              @RequestParam(required = false) String sortOrder,
              @RequestParam(required = false) String startIndex,
              @RequestParam(required = false) String count,
              @RequestParam(required = false) String cursor,
              @RequestParam(required = false) String attributes,
              @RequestParam(required = false) String excludedAttributes,
              HttpServletRequest request, HttpServletResponse response) {
        reads.list(BearerAuthentication.principal(request).tenant(),
                new ListRequest(filter, sortBy, sortOrder, startIndex, count, cursor, attributes, excludedAttributes), response);
    }

    @PostMapping("/.search")
    void search(@RequestBody(required = false) byte[] body, HttpServletRequest request, HttpServletResponse response) {
        reads.list(BearerAuthentication.principal(request).tenant(), ListRequest.fromSearchBody(ScimJson.parse(body)), response);
    }

    @PostMapping
    CompletableFuture<ResponseEntity<JsonNode>> create(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
        JsonNode group = bodies.group(ScimJson.parse(body));
        String tenant = BearerAuthentication.principal(request).tenant();
        return submit(request, IdempotencyKeys.newResourceId(request, tenant), ChangeOperation.CREATE, group, null);
    }

    @PutMapping("/{id}")
    CompletableFuture<ResponseEntity<JsonNode>> replace(@PathVariable String id, @RequestBody(required = false) byte[] body,
                                                        @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                        HttpServletRequest request) {
        JsonNode group = bodies.group(ScimJson.parse(body));
        return submit(request, id, ChangeOperation.REPLACE, group, ifMatch);
    }

    @PatchMapping("/{id}")
    CompletableFuture<ResponseEntity<JsonNode>> patch(@PathVariable String id, @RequestBody(required = false) byte[] body,
                                                      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                      HttpServletRequest request) {
        JsonNode patch = bodies.groupPatch(ScimJson.parse(body));
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
        if (!GroupReads.isWellFormedId(id)) {
            throw ScimException.notFound("Group " + id + " not found");
        }
        ScimChange change = SubmitChange.changeOf(request, ResourceType.GROUP, id, operation, body, ifMatch);
        ResourceLinks links = ResourceLinks.current();
        if (AsyncRequests.requested(request)) {
            return async.accept(change, links.group(id));
        }
        return submitChange.submit(change)
                .thenApply(outcome -> responses.toResponse(withMemberRefs(outcome, links), links.group(id)));
    }

    /** The worker does not know the base URL: each member's $ref is added here, as meta.location is. */
    private static ChangeOutcome withMemberRefs(ChangeOutcome outcome, ResourceLinks links) {
        if (outcome.resource() == null || !(outcome.resource().get("members") instanceof ArrayNode members)) {
            return outcome;
        }
        ObjectNode resource = (ObjectNode) outcome.resource().deepCopy();
        List<JsonNode> withRefs = members.valueStream()
                .map(member -> {
                    String id = member.get("value").asString();
                    MemberType type = MemberType.of(member.path("type").asString("User")).orElse(MemberType.USER);
                    return (JsonNode) ScimGroups.member(id, member.hasNonNull("display") ? member.get("display").asString() : null,
                            links.member(id, type), type);
                })
                .toList();
        resource.remove("members");
        return new ChangeOutcome(outcome.changeId(), outcome.tenant(), outcome.resourceId(), outcome.status(), outcome.version(),
                ScimGroups.withMembers(resource, withRefs), outcome.scimType(), outcome.detail());
    }
}
