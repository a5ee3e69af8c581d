package dev.ganpipe.common.model;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Base64;
import java.util.Locale;

/**
 * The trainer's Ed25519 signature of a published model (DESIGN.md, models.generator; docs/security.md). It signs the
 * manifest, not the bytes: the manifest carries the bytes' sha256, which the generator checks against the bytes, so
 * one signature proves the bytes, the version, the name and the shape came from the holder of the trainer's key, and
 * a replayed model with a new version fails. The quality metrics are not signed: they inform, they decide nothing.
 */
public final class ModelSignature {

    private static final String ALGORITHM = "Ed25519";

    private ModelSignature() {
    }

    /**
     * What is signed: one line per field, in this order, UTF-8. Changing it breaks every signature already
     * published, so the first line names the layout.
     */
    static byte[] payload(ModelManifest m) {
        String text = "gan-model-signature-v1\n"
                + "name=" + m.name() + "\n"
                + "version=" + m.version() + "\n"
                + "sha256=" + m.sha256().toLowerCase(Locale.ROOT) + "\n"
                + "step=" + m.step() + "\n"
                + "created=" + m.createdAt() + "\n"
                + "image_shape=" + m.imageShape() + "\n"
                + "noise_dim=" + m.noiseDim() + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The base64 signature of a manifest. */
    public static String sign(ModelManifest manifest, PrivateKey key) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(payload(manifest));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("The model signing key is not an Ed25519 private key (" + key.getAlgorithm()
                    + "); generate one with 'keytool -genkeypair -keyalg Ed25519' or 'openssl genpkey -algorithm ed25519'.", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JDK cannot sign with Ed25519 (" + e.getMessage() + "); run on JDK 15 or newer.", e);
        }
    }

    /** Whether {@code signature} (base64) is the signature of this manifest by the holder of {@code key}'s private half. */
    public static boolean verifies(ModelManifest manifest, String signature, PublicKey key) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(signature.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(payload(manifest));
            return verifier.verify(raw);
        } catch (SignatureException e) {
            // A signature of the wrong length or form is simply not a valid one.
            return false;
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("The model verify key is not an Ed25519 public key (" + key.getAlgorithm()
                    + "); give the public half of the trainer's --model-signing-key.", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JDK cannot verify Ed25519 signatures (" + e.getMessage() + "); run on JDK 15 or newer.", e);
        }
    }
}
