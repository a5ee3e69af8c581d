package dev.ganpipe.generator.batch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Divides one forward pass between the calls waiting for the first call's model, max-min fair: every call gets an
 * equal share of the pass, a call that needs less gets what it needs, and what it leaves is shared among the others.
 * When there are more calls than rows, the calls earliest in turn order get one row each.
 */
final class FairShares {

    private FairShares() {
    }

    /**
     * @param calls unfinished calls in turn order, at least one
     * @param maxBatch rows in the pass at most
     * @return the calls that get rows, in turn order, each with its rows; at least one
     */
    static List<Share> of(Collection<Call> calls, int maxBatch) {
        Object model = calls.iterator().next().model;
        List<Call> eligible = new ArrayList<>();
        for (Call call : calls) {
            if (call.model == model) {
                eligible.add(call);
            }
        }
        int[] rows = new int[eligible.size()];
        int left = maxBatch;
        while (left > 0) {
            int unsatisfied = 0;
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] < need(eligible.get(i))) {
                    unsatisfied++;
                }
            }
            if (unsatisfied == 0) {
                break;
            }
            int share = Math.max(1, left / unsatisfied);
            for (int i = 0; i < rows.length && left > 0; i++) {
                int give = Math.min(Math.min(share, need(eligible.get(i)) - rows[i]), left);
                if (give > 0) {
                    rows[i] += give;
                    left -= give;
                }
            }
        }
        List<Share> pass = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] > 0) {
                pass.add(new Share(eligible.get(i), rows[i]));
            }
        }
        return pass;
    }

    private static int need(Call call) {
        return call.count - call.done;
    }
}
