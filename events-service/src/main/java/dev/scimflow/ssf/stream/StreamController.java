package dev.scimflow.ssf.stream;

import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.scimflow.ssf.delivery.PollDelivery;
import dev.scimflow.ssf.delivery.PollRequest;
import dev.scimflow.ssf.receiver.Receiver;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;

/**
 * The SSF endpoints a receiver calls with its tenant's token: stream configuration (create, read, update, replace,
 * delete; SSF 1.0 §8.1.1), status (§8.1.2), verification (§8.1.4), and the RFC 8936 poll endpoint of poll streams.
 * A receiver sees and changes only its own tenant's streams; another tenant's stream is 404.
 */
@RestController
class StreamController {

    private final StreamManagement management;
    private final PollDelivery poll;

    StreamController(StreamManagement management, PollDelivery poll) {
        this.management = management;
        this.poll = poll;
    }

    @PostMapping(path = "/ssf/streams", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> create(@RequestBody JsonNode body, HttpServletRequest request) {
        return ResponseEntity.status(201).body(management.create(Receiver.of(request), body));
    }

    @GetMapping(path = "/ssf/streams", produces = MediaType.APPLICATION_JSON_VALUE)
    Object read(@RequestParam(name = "stream_id", required = false) String streamId, HttpServletRequest request) {
        Receiver receiver = Receiver.of(request);
        return streamId == null ? management.list(receiver) : management.read(receiver, streamId);
    }

    @PatchMapping(path = "/ssf/streams", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> update(@RequestBody JsonNode body, HttpServletRequest request) {
        return management.update(Receiver.of(request), body, false);
    }

    @PutMapping(path = "/ssf/streams", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> replace(@RequestBody JsonNode body, HttpServletRequest request) {
        return management.update(Receiver.of(request), body, true);
    }

    @DeleteMapping("/ssf/streams")
    ResponseEntity<Void> delete(@RequestParam(name = "stream_id") String streamId, HttpServletRequest request) {
        management.delete(Receiver.of(request), streamId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping(path = "/ssf/status", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> status(@RequestParam(name = "stream_id") String streamId, HttpServletRequest request) {
        return management.status(Receiver.of(request), streamId);
    }

    @PostMapping(path = "/ssf/status", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> changeStatus(@RequestBody JsonNode body, HttpServletRequest request) {
        return management.changeStatus(Receiver.of(request), body);
    }

    @PostMapping("/ssf/verify")
    ResponseEntity<Void> verify(@RequestBody JsonNode body, HttpServletRequest request) {
        management.verify(Receiver.of(request), body);
        return ResponseEntity.noContent().build();
    }

    @PostMapping(path = "/ssf/poll/{streamId}", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> poll(@PathVariable String streamId, @RequestBody(required = false) JsonNode body,
                             HttpServletRequest request) {
        PollDelivery.PollAnswer answer = poll.poll(Receiver.of(request), streamId, PollRequest.parse(body));
        return Map.of("sets", answer.sets(), "moreAvailable", answer.moreAvailable());
    }
}
