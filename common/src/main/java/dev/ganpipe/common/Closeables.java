package dev.ganpipe.common;

/** Closing a resource on the way out of a failure, without losing either exception. */
public final class Closeables {

    private Closeables() {
    }

    /**
     * Closes {@code resource} after {@code primary} ended the work that used it. A failure to close is added to
     * {@code primary} as a suppressed exception, so the caller rethrows the cause and the close failure travels with it.
     */
    public static void closeAfter(AutoCloseable resource, Throwable primary) {
        try {
            resource.close();
        } catch (Exception closing) {
            primary.addSuppressed(closing);
        }
    }
}
