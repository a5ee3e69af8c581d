package dev.ganpipe.bench.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganpipe.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-op times of a few training steps, from PyTorch's own profiler, in milliseconds per step: the same numbers for
 * our trainer (libtorch's profiler through DJL, a Chrome trace) and for the Python reference
 * ({@code torch.autograd.profiler}), so the two sides compare op by op.
 *
 * @param wallMs wall-clock time per profiled step (profiler overhead included, on both sides)
 * @param insideOpsMs time per step inside top-level aten ops; the rest is the framework around them (Java, JNI and
 *     DJL on our side, the Python interpreter on the other)
 * @param topLevelOps top-level aten ops per step: roughly the framework's calls into libtorch
 * @param ops per op name: self time, total time (children included) and calls, per step
 */
record OpProfile(double wallMs, double insideOpsMs, double topLevelOps, Map<String, OpTime> ops) {

    /** Times of one op name, per step. */
    record OpTime(double selfMs, double totalMs, double calls) {
    }

    /** Forward ops of nearest-neighbour upsampling, either way it is computed (their totals include what they call). */
    static final List<String> UPSAMPLE_FORWARD_OPS = List.of("aten::repeat_interleave", "aten::upsample_nearest2d");
    /**
     * Backward nodes of the same, by name prefix (the suffix is a version number). The trainer's repeat_interleave is
     * an expand plus a copy in libtorch 2.x, so its backward is the only ExpandBackward of a step.
     */
    static final List<String> UPSAMPLE_BACKWARD_PREFIXES = List.of("autograd::engine::evaluate_function: ExpandBackward",
            "autograd::engine::evaluate_function: UpsampleNearest2DBackward");

    /** Forward and backward convolutions (self time). */
    double convolutionMs() {
        return sumSelf(name -> name.contains("conv"));
    }

    /** Upsampling with everything it calls, forward and backward. */
    double upsampleMs() {
        double total = 0;
        for (Map.Entry<String, OpTime> e : ops.entrySet()) {
            if (UPSAMPLE_FORWARD_OPS.contains(e.getKey()) || UPSAMPLE_BACKWARD_PREFIXES.stream().anyMatch(e.getKey()::startsWith)) {
                total += e.getValue().totalMs();
            }
        }
        return total;
    }

    double batchNormMs() {
        return sumSelf(name -> name.contains("batch_norm"));
    }

    double linearMs() {
        return sumSelf(name -> name.equals("aten::mm") || name.equals("aten::addmm"));
    }

    /** Time inside ops that none of the groups above covers (element-wise ops, Adam, losses, copies). */
    double otherOpsMs() {
        return insideOpsMs - convolutionMs() - upsampleMs() - batchNormMs() - linearMs();
    }

    /** The {@code n} ops with the most self time. */
    List<Map.Entry<String, OpTime>> top(int n) {
        return ops.entrySet().stream().sorted(Comparator.comparingDouble((Map.Entry<String, OpTime> e) -> -e.getValue().selfMs()))
                .limit(n).toList();
    }

    private double sumSelf(java.util.function.Predicate<String> names) {
        return ops.entrySet().stream().filter(e -> names.test(e.getKey())).mapToDouble(e -> e.getValue().selfMs()).sum();
    }

    /**
     * Reads a Chrome trace written by libtorch's legacy profiler ({@code JniUtils.stopProfile}): complete events
     * ({@code "ph": "X"}) with start and duration in microseconds, nested per thread.
     */
    static OpProfile fromChromeTrace(Path trace, int steps, double wallMs) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(trace.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the profiler trace " + trace + "; run with --profile again.", e);
        }
        record Event(String name, double start, double end) {
        }
        Map<Long, List<Event>> byThread = new HashMap<>();
        for (Iterator<JsonNode> it = root.elements(); it.hasNext(); ) {
            JsonNode e = it.next();
            if ("X".equals(e.path("ph").asText())) {
                double ts = e.path("ts").asDouble();
                byThread.computeIfAbsent(e.path("tid").asLong(), k -> new ArrayList<>())
                        .add(new Event(e.path("name").asText(), ts, ts + e.path("dur").asDouble()));
            }
        }
        record Open(Event event, double[] self) {
        }
        Map<String, double[]> sums = new LinkedHashMap<>(); // total us, calls
        List<Map.Entry<String, double[]>> selves = new ArrayList<>(); // self us of each event, final once it closes
        double inside = 0;
        long topLevel = 0;
        for (List<Event> events : byThread.values()) {
            // Parents first: earlier start, and the longer one when two start together.
            events.sort(Comparator.comparingDouble(Event::start).thenComparingDouble(e -> -e.end()));
            Deque<Open> stack = new ArrayDeque<>();
            for (Event e : events) {
                while (!stack.isEmpty() && stack.peek().event().end() <= e.start()) {
                    stack.pop();
                }
                double duration = e.end() - e.start();
                if (stack.isEmpty()) {
                    inside += duration;
                    topLevel++;
                } else {
                    stack.peek().self()[0] -= duration;
                }
                double[] sum = sums.computeIfAbsent(e.name(), k -> new double[2]);
                // Count a name's total once where it nests in itself.
                if (stack.stream().noneMatch(o -> o.event().name().equals(e.name()))) {
                    sum[0] += duration;
                }
                sum[1]++;
                double[] self = {duration};
                selves.add(Map.entry(e.name(), self));
                stack.push(new Open(e, self));
            }
        }
        Map<String, Double> selfByName = new HashMap<>();
        selves.forEach(e -> selfByName.merge(e.getKey(), e.getValue()[0], Double::sum));
        Map<String, OpTime> ops = new LinkedHashMap<>();
        sums.forEach((name, sum) -> ops.put(name, new OpTime(selfByName.get(name) / 1000 / steps, sum[0] / 1000 / steps, sum[1] / steps)));
        return new OpProfile(wallMs, inside / 1000 / steps, topLevel / (double) steps, ops);
    }

    /** Reads the {@code profile} object the Python reference prints with {@code --profile}. */
    static OpProfile fromReference(JsonNode profile) {
        Map<String, OpTime> ops = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : profile.path("ops").properties()) {
            JsonNode v = e.getValue();
            ops.put(e.getKey(), new OpTime(v.path(0).asDouble(), v.path(1).asDouble(), v.path(2).asDouble()));
        }
        return new OpProfile(profile.path("wall_ms_per_step").asDouble(), profile.path("inside_top_level_ops_ms_per_step").asDouble(),
                profile.path("top_level_ops_per_step").asDouble(), ops);
    }
}
