package dev.ganpipe.images.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;

/**
 * Hostile bytes on {@code images.raw}: whatever arrives, the normaliser answers with an accepted canonical image of
 * the configured shape or a rejection with a reason and a sentence, never an exception (which would stop the
 * stream thread), an out-of-memory (a decompression bomb) or a hang. Seeds and past findings are in
 * {@code ImageNormalizerFuzzTestInputs}.
 */
class ImageNormalizerFuzzTest {

    private static final ImageNormalizer NORMALIZER = new ImageNormalizer(NormalizerSettings.defaults());

    @FuzzTest(maxDuration = "10s")
    void everyInputIsAcceptedAsACanonicalImageOrRejectedWithAReason(byte[] bytes) {
        Outcome outcome = NORMALIZER.normalize(bytes, Optional.empty());
        switch (outcome) {
            case Outcome.Accepted accepted -> {
                assertThat(accepted.image().shape()).isEqualTo(NORMALIZER.settings().shape());
                assertThat(accepted.id()).hasSize(64);
            }
            case Outcome.Rejected rejected -> {
                assertThat(rejected.reason()).isNotEqualTo(ImageRejectReason.INTERNAL);
                assertThat(rejected.detail()).isNotBlank().endsWith(".");
            }
        }
    }
}
