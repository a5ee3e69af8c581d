package dev.ganpipe.quality.metrics;

/**
 * Eigen-decomposition {@code A = V diag(values) V^T} of a real symmetric matrix by the cyclic Jacobi method
 * (Golub and Van Loan, Matrix Computations, "The cyclic Jacobi algorithm"), in double precision. Jacobi is slower than QR for large matrices but
 * computes small eigenvalues to high relative accuracy and is short enough to check by eye; for the 128x128
 * covariances here it takes milliseconds.
 */
public final class SymmetricEigen {

    private static final int MAX_SWEEPS = 100;
    private static final double RELATIVE_TOLERANCE = 1e-15;
    private static final double ABSOLUTE_TOLERANCE = 1e-18;

    private final double[] values;
    private final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /**
     * Decomposes {@code a}, which is not modified.
     *
     * @throws IllegalArgumentException when {@code a} is not square, not symmetric (to 1e-9 relative) or not finite
     */
    public static SymmetricEigen of(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        double scale = 0;
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("An eigen-decomposition needs a square matrix, but row " + i + " has " + a[i].length
                        + " values and there are " + n + " rows.");
            }
            m[i] = a[i].clone();
            for (int j = 0; j < n; j++) {
                if (!Double.isFinite(a[i][j])) {
                    throw new IllegalArgumentException("The matrix holds " + a[i][j] + " at (" + i + ", " + j + "); it must be finite.");
                }
                scale = Math.max(scale, Math.abs(a[i][j]));
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (Math.abs(a[i][j] - a[j][i]) > 1e-9 * Math.max(scale, Double.MIN_NORMAL)) {
                    throw new IllegalArgumentException("The matrix is not symmetric: (" + i + ", " + j + ") is " + a[i][j] + " but ("
                            + j + ", " + i + ") is " + a[j][i] + "; symmetrise it first.");
                }
            }
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        double frobenius = 0;
        for (double[] row : m) {
            for (double x : row) {
                frobenius += x * x;
            }
        }
        double floor = ABSOLUTE_TOLERANCE * Math.sqrt(frobenius);
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    // Demmel-Veselic threshold: an entry small next to its diagonal pair no longer moves the eigenvalues.
                    double limit = Math.max(RELATIVE_TOLERANCE * Math.sqrt(Math.abs(m[p][p] * m[q][q])), floor);
                    if (Math.abs(m[p][q]) > limit) {
                        rotate(m, v, p, q);
                        rotated = true;
                    }
                }
            }
            if (!rotated) {
                return sorted(m, v);
            }
        }
        throw new IllegalStateException("The Jacobi eigen-decomposition did not converge in " + MAX_SWEEPS
                + " sweeps; the matrix is badly scaled (values up to " + scale + ").");
    }

    /** Zeroes {@code m[p][q]} with one Jacobi rotation J, replacing m by J^T m J and v by v J. */
    private static void rotate(double[][] m, double[][] v, int p, int q) {
        double apq = m[p][q];
        if (apq == 0) {
            return;
        }
        double tau = (m[q][q] - m[p][p]) / (2 * apq);
        double t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        double c = 1 / Math.sqrt(1 + t * t);
        double s = t * c;
        int n = m.length;
        for (int k = 0; k < n; k++) { // columns p and q: m J
            double mkp = m[k][p];
            double mkq = m[k][q];
            m[k][p] = c * mkp - s * mkq;
            m[k][q] = s * mkp + c * mkq;
        }
        for (int k = 0; k < n; k++) { // rows p and q: J^T m
            double mpk = m[p][k];
            double mqk = m[q][k];
            m[p][k] = c * mpk - s * mqk;
            m[q][k] = s * mpk + c * mqk;
        }
        m[p][q] = 0;
        m[q][p] = 0;
        for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
        }
    }

    /** Eigenvalues in ascending order, with their vectors as columns in the same order. */
    private static SymmetricEigen sorted(double[][] m, double[][] v) {
        int n = m.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(m[x][x], m[y][y]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int c = 0; c < n; c++) {
            values[c] = m[order[c]][order[c]];
            for (int r = 0; r < n; r++) {
                vectors[r][c] = v[r][order[c]];
            }
        }
        return new SymmetricEigen(values, vectors);
    }

    /** The eigenvalues, ascending (a copy). */
    public double[] values() {
        return values.clone();
    }

    /** The eigenvectors as the columns of a matrix, in the order of {@link #values()} (a copy). */
    public double[][] vectors() {
        double[][] out = new double[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            out[i] = vectors[i].clone();
        }
        return out;
    }

    /**
     * The principal square root {@code V diag(sqrt(max(values, 0))) V^T} of a positive semi-definite matrix; tiny
     * negative eigenvalues from rounding count as zero.
     */
    public double[][] sqrtPsd() {
        int n = values.length;
        double[] roots = new double[n];
        for (int i = 0; i < n; i++) {
            roots[i] = Math.sqrt(Math.max(values[i], 0));
        }
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += vectors[i][k] * roots[k] * vectors[j][k];
                }
                out[i][j] = sum;
                out[j][i] = sum;
            }
        }
        return out;
    }
}
