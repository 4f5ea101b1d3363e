package dev.scimflow.ssf.token;

import org.springframework.stereotype.Component;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;

import dev.scimflow.events.EventCodec;
import tools.jackson.databind.node.ObjectNode;

/** Signs SET claims as a compact JWS (ES256, {@code typ: secevent+jwt}, {@code kid} of the signing key). */
@Component
public class SetSigner {

    /** The media type of a SET (RFC 8417 §2.3), also the JWS {@code typ}. */
    public static final String TYPE = "secevent+jwt";

    private final SigningKeys keys;

    SetSigner(SigningKeys keys) {
        this.keys = keys;
    }

    public String sign(ObjectNode claims) {
        ECKey key = keys.signingKey();
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(new JOSEObjectType(TYPE)).build(), new Payload(EventCodec.mapper().writeValueAsString(claims)));
        try {
            jws.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a SET", e);
        }
        return jws.serialize();
    }
}
