package dev.ganpipe.generator.model;

import dev.ganpipe.common.model.ModelManifest;
import dev.ganpipe.common.model.ModelSignature;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which published models this service believes came from its trainer (docs/security.md, "Model provenance"). The
 * models topic and folder can be written by more than the trainer, and a sha256 proves only that the bytes match the
 * manifest, so a replayed model with a made-up version would otherwise take over serving: a model must carry a
 * signature that verifies with the trainer's public key, unless the operator opted in to unsigned models. Either way, a
 * version far beyond the newest one accepted is refused rather than made live silently.
 *
 * @param verifyKey the trainer's Ed25519 public key; empty only when unsigned models are allowed
 * @param allowUnsigned whether a model without a signature is served ({@code --allow-unsigned-models})
 * @param maxVersionJump how far beyond the newest accepted version a new one may be ({@code --max-version-jump})
 */
public record ModelTrust(Optional<PublicKey> verifyKey, boolean allowUnsigned, long maxVersionJump) {

    /** The default {@code --max-version-jump}: the trainer counts up by one per export, so a thousand is generous. */
    public static final long DEFAULT_MAX_VERSION_JUMP = 1000;

    /** Why a model was refused: the {@code reason} tag of {@code gan_generator_model_untrusted_total}. */
    public enum Refusal { UNSIGNED, BAD_SIGNATURE, VERSION_JUMP }

    /** A refusal with its sentence. */
    public record Verdict(Refusal reason, String sentence) {
    }

    public ModelTrust {
        Objects.requireNonNull(verifyKey, "verifyKey");
        if (verifyKey.isEmpty() && !allowUnsigned) {
            throw new IllegalArgumentException("Without the trainer's public key no model can be verified: give --model-verify-key, or "
                    + "pass --allow-unsigned-models to serve models whose origin is not proven.");
        }
        if (maxVersionJump < 1) {
            throw new IllegalArgumentException("--max-version-jump must be at least 1, but was " + maxVersionJump + ".");
        }
    }

    /** Trusts every model, signed or not (tests and benchmarks that build a registry by hand). */
    public static ModelTrust unsignedAllowed() {
        return new ModelTrust(Optional.empty(), true, DEFAULT_MAX_VERSION_JUMP);
    }

    /**
     * Why {@code manifest} must not be served, or empty when it may be.
     *
     * @param signature the base64 signature the model came with, if any
     * @param newestAccepted the newest version this service accepted before, if any
     */
    public Optional<Verdict> refusal(ModelManifest manifest, Optional<String> signature, OptionalLong newestAccepted) {
        if (signature.isPresent() && verifyKey.isPresent()) {
            if (!ModelSignature.verifies(manifest, signature.get(), verifyKey.get())) {
                return Optional.of(new Verdict(Refusal.BAD_SIGNATURE, "its signature does not verify with the trainer's public key "
                        + "(--model-verify-key): it was not published by the holder of the trainer's signing key, or its name, version, "
                        + "sha256, step or shape were changed after signing"));
            }
        } else if (signature.isEmpty() && !allowUnsigned) {
            return Optional.of(new Verdict(Refusal.UNSIGNED, "it is unsigned (no gan.model.signature header or .sig file), so its origin "
                    + "is not proven; start the trainer with --model-signing-key, or this service with --allow-unsigned-models to "
                    + "serve unsigned models anyway"));
        }
        if (newestAccepted.isPresent() && manifest.version() > newestAccepted.getAsLong() + maxVersionJump) {
            return Optional.of(new Verdict(Refusal.VERSION_JUMP, "its version " + manifest.version() + " is more than " + maxVersionJump
                    + " beyond the newest version this service accepted (v" + newestAccepted.getAsLong() + "); the trainer counts up by "
                    + "one per export, so this looks like a replay with a made-up version. If the trainer's versions really jumped, "
                    + "raise --max-version-jump or restart this service"));
        }
        return Optional.empty();
    }
}
