package dev.ganpipe.generator.batch;

/** The next {@code rows} rows of {@code call} in one forward pass. */
record Share(Call call, int rows) {
}
