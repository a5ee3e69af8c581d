/**
 * The PyTorch reference as a child process, as both the trainer bench and the quality study run it:
 * {@link dev.ganpipe.bench.child.ChildOutput} copies its stderr to the bench's log and reads its one JSON result line
 * from stdout.
 */
package dev.ganpipe.bench.child;
