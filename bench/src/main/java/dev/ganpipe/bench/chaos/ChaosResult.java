package dev.ganpipe.bench.chaos;

import java.util.Locale;

/**
 * What one scenario counted.
 *
 * @param scenario its number and name, e.g. {@code 1-leader-kill}
 * @param lost images acknowledged (a broker ack, or an HTTP 202) that never reached {@code images.train}
 * @param duplicated images that reached {@code images.train} more than once
 * @param failedRequests requests that got an error other than a 503 refusal while the cluster could not store them
 * @param refused uploads refused with 503 while the cluster could not store them: the right answer, reported apart
 * @param observed what the services showed meanwhile (readiness, metrics), for docs/reliability.md
 */
record ChaosResult(String scenario, long lost, long duplicated, long failedRequests, long refused, String observed) {

    /** The line the issue asks for, then the refusals and what was observed. */
    String line() {
        return String.format(Locale.ROOT, "chaos %s lost %d duplicated %d failed_requests %d refused_503 %d | %s", scenario, lost, duplicated,
                failedRequests, refused, observed);
    }
}
