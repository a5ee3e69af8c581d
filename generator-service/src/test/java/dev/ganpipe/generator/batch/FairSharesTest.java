package dev.ganpipe.generator.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FairSharesTest {

    @Test
    void aSmallCallGetsAllItNeedsAndLargeCallsShareTheRestEqually() {
        Call large = call(1024);
        Call small = call(4);
        Call other = call(1024);

        assertThat(rows(FairShares.of(List.of(large, small, other), 64))).containsExactly(30, 4, 30);
    }

    @Test
    void withMoreCallsThanRowsTheCallsFirstInTurnGetOneRowEach() {
        List<Call> calls = List.of(call(10), call(10), call(10), call(10), call(10));

        assertThat(rows(FairShares.of(calls, 3))).containsExactly(1, 1, 1);
    }

    @Test
    void aCallPartlyDoneIsSharedOnlyWhatItStillNeeds() {
        Call nearlyDone = call(100);
        nearlyDone.done = 98;

        assertThat(rows(FairShares.of(List.of(nearlyDone, call(1000)), 64))).containsExactly(2, 62);
    }

    private static Call call(int count) {
        // FairShares compares models by identity only; these calls share the null model.
        return new Call(null, new float[0], null, count);
    }

    private static List<Integer> rows(List<Share> pass) {
        return pass.stream().map(Share::rows).toList();
    }
}
