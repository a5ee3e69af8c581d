package dev.ganpipe.quality.classifier;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.ganpipe.common.image.ImageShape;
import dev.ganpipe.quality.Progress;
import dev.ganpipe.quality.data.RealData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Trains the domain classifier: softmax cross-entropy, Adam with a cosine learning-rate decay, shuffled
 * mini-batches, the held-out accuracy reported after every epoch.
 *
 * <p>Training opens a {@code GradientCollector}, and DJL allows one per JVM at a time: do not call this while a GAN
 * trains on another thread of the same JVM (see the package comment). Once trained, the classifier is cached, so
 * this runs once per data set.
 */
public final class ClassifierTrainer {

    /** A progress line at least this often during an epoch (30 s). */
    private static final long PROGRESS_INTERVAL_NANOS = 30_000_000_000L;

    private ClassifierTrainer() {
    }

    /**
     * Loads the classifier for {@code train} from {@code cacheDir}, or trains one and stores it there.
     *
     * @param heldOut for the accuracy reported while training (it does not change the weights, so not the cache key)
     * @throws java.io.UncheckedIOException when a new classifier cannot be written to {@code cacheDir}
     */
    public static DomainClassifier trainOrLoad(RealData train, RealData heldOut, ClassifierOptions options, Path cacheDir, Progress progress) {
        ClassifierArchitecture architecture = ClassifierArchitecture.defaultFor(train.shape(), train.classCount());
        Path entry = ClassifierCache.entry(cacheDir, train, architecture, options);
        Optional<DomainClassifier> cached = ClassifierCache.load(entry, architecture, train, progress);
        if (cached.isPresent()) {
            ClassifierInfo info = cached.get().info();
            progress.report(String.format(Locale.ROOT, "Loaded the classifier from %s (trained on %d images in %.0f s, held-out accuracy %.2f%%).",
                    entry, info.trainImages(), info.trainSeconds(), 100 * info.heldOutAccuracy()));
            if (!info.labelWarning().isEmpty()) {
                progress.report("WARNING: " + info.labelWarning());
            }
            return cached.get();
        }
        Trained trained = fit(train, heldOut, options, progress);
        try {
            ClassifierCache.store(entry, trained.network(), train.classNames(), trained.info());
        } catch (RuntimeException e) {
            trained.network().close();
            throw e;
        }
        progress.report("Saved the classifier to " + entry + "; later evaluations of this data set load it.");
        return new DomainClassifier(trained.network(), train.classNames(), trained.info().storedIn(entry.toString()));
    }

    /**
     * Trains a classifier on {@code train}, without any cache.
     *
     * @throws IllegalArgumentException when the two sets differ in shape or classes
     */
    public static DomainClassifier train(RealData train, RealData heldOut, ClassifierOptions options, Progress progress) {
        Trained trained = fit(train, heldOut, options, progress);
        return new DomainClassifier(trained.network(), train.classNames(), trained.info());
    }

    /**
     * Trains a classifier of the evaluator's architecture and options on {@code train} for a fixed number of
     * optimiser steps (as many epochs as that takes, so a set of 100 images costs what a set of 10,000 does), with
     * no held-out pass and no label audit: the cheap form that scores a training set (CAS, augmentation uplift)
     * rather than one that is kept.
     *
     * @param steps optimiser steps of {@code options.batchSize()} images
     * @throws IllegalArgumentException when {@code steps} is below 1 or the set has fewer than 2 images
     */
    public static DomainClassifier trainForSteps(RealData train, ClassifierOptions options, int steps, Progress progress) {
        if (steps < 1) {
            throw new IllegalArgumentException("A classifier needs at least 1 training step, but " + steps + " were asked for.");
        }
        if (train.count() < 2) {
            throw new IllegalArgumentException("A classifier needs at least 2 training images, but " + train.name() + " has " + train.count() + ".");
        }
        int batch = Math.min(options.batchSize(), train.count());
        int perEpoch = stepsPerEpoch(train.count(), batch);
        ClassifierOptions sized = options.withEpochs(Math.min(1000, (steps + perEpoch - 1) / perEpoch));
        ClassifierArchitecture architecture = ClassifierArchitecture.defaultFor(train.shape(), train.classCount());
        long started = System.nanoTime();
        ClassifierNetwork network = ClassifierNetwork.initialised(architecture, options.seed());
        try {
            epochs(network, train, Optional.empty(), sized, progress, started);
            ClassifierInfo info = new ClassifierInfo(architecture.key(), train.sha256(), train.count(), sized.key(), Double.NaN, Double.NaN, "",
                    (System.nanoTime() - started) / 1e9, false, "");
            return new DomainClassifier(network, train.classNames(), info);
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    private record Trained(ClassifierNetwork network, ClassifierInfo info) {
    }

    private static Trained fit(RealData train, RealData heldOut, ClassifierOptions options, Progress progress) {
        if (!train.shape().equals(heldOut.shape()) || !train.classNames().equals(heldOut.classNames())) {
            throw new IllegalArgumentException("The training set (" + train.shape() + ", classes " + train.classNames() + ") and the held-out set ("
                    + heldOut.shape() + ", classes " + heldOut.classNames() + ") must have the same shape and classes.");
        }
        ClassifierArchitecture architecture = ClassifierArchitecture.defaultFor(train.shape(), train.classCount());
        long started = System.nanoTime();
        ClassifierNetwork network = ClassifierNetwork.initialised(architecture, options.seed());
        try {
            double accuracy = epochs(network, train, Optional.of(heldOut), options, progress, started);
            double seconds = (System.nanoTime() - started) / 1e9;
            progress.report("Checking the " + train.count() + " training labels against the classifier ...");
            int[] all = new int[train.count()];
            Arrays.setAll(all, i -> i);
            int[] predicted = network.extract(train, all).predicted();
            int hits = 0;
            for (int i = 0; i < predicted.length; i++) {
                hits += predicted[i] == train.label(i) ? 1 : 0;
            }
            double trainAccuracy = hits / (double) predicted.length;
            Optional<String> warning = LabelAudit.audit(predicted, train, accuracy);
            warning.ifPresent(w -> progress.report("WARNING: " + w));
            return new Trained(network, new ClassifierInfo(architecture.key(), train.sha256(), train.count(), options.key(), accuracy, trainAccuracy,
                    warning.orElse(""), seconds, false, ""));
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** Runs every epoch; returns the final held-out accuracy (NaN without a held-out set). */
    private static double epochs(ClassifierNetwork network, RealData train, Optional<RealData> heldOut, ClassifierOptions options, Progress progress,
            long started) {
        Engine engine = TorchThreads.engine();
        TorchThreads.gradModeOff();
        ImageShape shape = train.shape();
        int classes = train.classCount();
        int batch = Math.min(options.batchSize(), train.count());
        int stepsPerEpoch = stepsPerEpoch(train.count(), batch);
        float lr = (float) options.learningRate();
        Optimizer adam = Optimizer.adam()
                .optLearningRateTracker(Tracker.cosine().setBaseValue(lr).optFinalValue(lr / 20).setMaxUpdates(stepsPerEpoch * options.epochs()).build())
                .build();
        List<Parameter> trainable = new ArrayList<>();
        for (Parameter p : network.network().getParameters().values()) {
            if (p.requiresGradient()) {
                trainable.add(p);
            }
        }
        progress.report(String.format(Locale.ROOT, "Training the classifier %s on %d images (%d epochs of %d steps) ...",
                network.architecture().key(), train.count(), options.epochs(), stepsPerEpoch));
        Random random = new Random(options.seed() * 31 + 7);
        int[] order = new int[train.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double accuracy = Double.NaN;
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            shuffle(order, random);
            double lossSum = 0;
            long lastReport = System.nanoTime();
            for (int step = 0; step < stepsPerEpoch; step++) {
                int[] rows = Arrays.copyOfRange(order, step * batch, Math.min(order.length, (step + 1) * batch));
                lossSum += step(network, engine, adam, trainable, train.modelInput(rows), oneHot(train, rows, classes), rows.length, shape, classes);
                if (System.nanoTime() - lastReport > PROGRESS_INTERVAL_NANOS && step + 1 < stepsPerEpoch) {
                    lastReport = System.nanoTime();
                    progress.report(String.format(Locale.ROOT, "  epoch %d/%d: step %d/%d, loss %.4f, %.0f s", epoch, options.epochs(), step + 1,
                            stepsPerEpoch, lossSum / (step + 1), (lastReport - started) / 1e9));
                }
            }
            if (heldOut.isPresent()) {
                accuracy = network.accuracy(heldOut.get());
                progress.report(String.format(Locale.ROOT, "  epoch %d/%d: loss %.4f, held-out accuracy %.2f%% (%d images), %.0f s",
                        epoch, options.epochs(), lossSum / stepsPerEpoch, 100 * accuracy, heldOut.get().count(), (System.nanoTime() - started) / 1e9));
            }
        }
        return accuracy;
    }

    /** Full batches, plus the remainder when it holds at least 2 images (BatchNorm needs 2). */
    private static int stepsPerEpoch(int count, int batch) {
        return count / batch + (count % batch >= 2 ? 1 : 0);
    }

    /** One update on one mini-batch; returns its loss. */
    private static double step(ClassifierNetwork network, Engine engine, Optimizer adam, List<Parameter> trainable, float[] images,
            float[] targets, int n, ImageShape shape, int classes) {
        try (NDManager scope = network.manager().newSubManager()) {
            NDArray x = scope.create(images, new Shape(n, shape.channels(), shape.height(), shape.width()));
            NDArray y = scope.create(targets, new Shape(n, classes));
            for (Parameter p : trainable) {
                TorchThreads.zeroGradient(p.getArray()); // gradients accumulate across backward passes until zeroed
            }
            NDArray loss;
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray logits = network.network().forward(network.store(), new NDList(x), true).singletonOrThrow();
                loss = logits.logSoftmax(1).mul(y).sum(new int[] {1}).neg().mean();
                collector.backward(loss);
            }
            for (Parameter p : trainable) {
                NDArray weight = p.getArray();
                try (NDArray gradient = weight.getGradient()) { // a new handle in the weight's long-lived manager
                    adam.update(p.getId(), weight, gradient);
                }
            }
            float value = loss.getFloat();
            if (!Float.isFinite(value)) {
                throw new IllegalStateException("The classifier's loss became " + value + "; lower the learning rate and train again.");
            }
            return value;
        }
    }

    private static float[] oneHot(RealData data, int[] rows, int classes) {
        float[] out = new float[rows.length * classes];
        for (int i = 0; i < rows.length; i++) {
            out[i * classes + data.label(rows[i])] = 1f;
        }
        return out;
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
