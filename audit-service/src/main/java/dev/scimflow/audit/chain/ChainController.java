package dev.scimflow.audit.chain;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;

/** Lets operators (and {@code scimflow audit verify}) recompute the hash chains; behind the operator token. */
@RestController
class ChainController {

    private final ChainVerifier verifier;

    ChainController(ChainVerifier verifier) {
        this.verifier = verifier;
    }

    @Operation(summary = "Recompute the hash chain of one tenant, or of every tenant", description = "Always 200 when the verification ran; intact tells whether every chain holds, and each "
            + "broken tenant names its first broken link.")
    @GetMapping(path = "/api/v1/chain/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    ChainVerification verify(@Parameter(description = "the tenant to verify; every tenant when absent") @RequestParam(required = false) String tenant) {
        return tenant == null || tenant.isBlank() ? verifier.verifyAll() : verifier.verify(tenant.strip());
    }
}
