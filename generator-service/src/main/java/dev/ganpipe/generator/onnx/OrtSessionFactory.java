package dev.ganpipe.generator.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds ONNX Runtime sessions with one execution provider, chosen once when the factory is created and logged in
 * exactly one line that says which and why. Thread-safe.
 */
public final class OrtSessionFactory {

    private static final Logger LOG = LoggerFactory.getLogger(OrtSessionFactory.class);
    // Trying CUDA makes ONNX Runtime unpack a 350 MB provider library first; on Linux we skip that when no driver is loaded.
    private static final Path NVIDIA_DRIVER = Path.of("/proc/driver/nvidia/version");
    private static final int CUDA_DEVICE = 0;

    private final OrtEnvironment environment;
    private final OrtSettings settings;
    private final boolean cuda;

    /**
     * Decides the execution provider.
     *
     * @throws IllegalStateException when {@code cuda} was demanded and the CUDA provider does not load
     */
    public OrtSessionFactory(OrtSettings settings) {
        this.environment = OrtEnvironment.getEnvironment();
        this.settings = settings;
        this.cuda = decide(settings);
    }

    /** Whether sessions run on the CUDA execution provider. */
    public boolean cuda() {
        return cuda;
    }

    /** {@code CUDA} or {@code CPU}, for logs and the models list. */
    public String provider() {
        return cuda ? "CUDA" : "CPU";
    }

    /** The process-wide ONNX Runtime environment (owned by ONNX Runtime; never closed by us). */
    public OrtEnvironment environment() {
        return environment;
    }

    /**
     * Creates a session for a serialised ONNX model; the caller closes it.
     *
     * @throws OrtException when ONNX Runtime refuses the model
     */
    public OrtSession create(byte[] model) throws OrtException {
        try (SessionOptions options = options(cuda)) {
            return environment.createSession(model, options);
        }
    }

    private SessionOptions options(boolean withCuda) throws OrtException {
        SessionOptions options = new SessionOptions();
        try {
            options.setOptimizationLevel(settings.optimization());
            if (settings.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(settings.intraOpThreads());
            }
            // ONNX Runtime's documented session config keys: "allow_spinning" 0 makes idle intra-op threads sleep at
            // once; "force_spinning_stop" 1 lets them spin within a pass and stops them when the pass returns.
            options.addConfigEntry("session.intra_op.allow_spinning", settings.spinWait() == OrtSettings.SpinWait.OFF ? "0" : "1");
            if (settings.spinWait() == OrtSettings.SpinWait.DURING_PASS) {
                options.addConfigEntry("session.force_spinning_stop", "1");
            }
            // Same seed, same bytes: ask for deterministic kernels where ONNX Runtime has a choice.
            options.setDeterministicCompute(true);
            if (withCuda) {
                try (OrtCUDAProviderOptions cudaOptions = new OrtCUDAProviderOptions(CUDA_DEVICE)) {
                    // A fixed convolution algorithm and no TF32, so an image does not depend on the batch it ran in.
                    cudaOptions.add("cudnn_conv_algo_search", "DEFAULT");
                    cudaOptions.add("use_tf32", "0");
                    options.addCUDA(cudaOptions);
                }
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private boolean decide(OrtSettings s) {
        String threads = s.intraOpThreads() == 0 ? "automatic" : Integer.toString(s.intraOpThreads());
        String tail = " (intra-op threads " + threads + ", optimisation " + s.optimization() + ", spin-wait " + s.spinWait().optionValue() + ")";
        switch (s.provider()) {
            case CPU -> {
                LOG.info("ONNX Runtime {} runs generators on CPU because --ort-provider is cpu{}", environment.getVersion(), tail);
                return false;
            }
            case CUDA -> {
                String failure = probeCuda();
                if (failure != null) {
                    throw new IllegalStateException("--ort-provider is cuda, but the CUDA execution provider did not load: " + failure
                            + ". Install the CUDA 12 runtime and cuDNN 9 that ONNX Runtime " + environment.getVersion()
                            + " needs, or run with --ort-provider auto to fall back to CPU.");
                }
                LOG.info("ONNX Runtime {} runs generators on CUDA device {} because --ort-provider is cuda{}", environment.getVersion(), CUDA_DEVICE, tail);
                return true;
            }
            default -> {
                String reason;
                if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                    reason = "this ONNX Runtime build has no CUDA provider";
                } else if (isLinux() && !Files.exists(NVIDIA_DRIVER)) {
                    reason = "no NVIDIA driver is loaded (" + NVIDIA_DRIVER + " is absent)";
                } else {
                    String failure = probeCuda();
                    if (failure == null) {
                        LOG.info("ONNX Runtime {} runs generators on CUDA device {}: the CUDA provider loaded{}", environment.getVersion(), CUDA_DEVICE, tail);
                        return true;
                    }
                    reason = "the CUDA provider did not load (" + failure + ")";
                }
                LOG.info("ONNX Runtime {} runs generators on CPU because {}{}", environment.getVersion(), reason, tail);
                return false;
            }
        }
    }

    /** Null when the CUDA provider can be added to session options, else why not. */
    private String probeCuda() {
        try {
            options(true).close();
            return null;
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        }
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }
}
