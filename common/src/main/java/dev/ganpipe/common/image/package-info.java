/**
 * The canonical image of DESIGN.md: fixed width, height and channels, 8-bit pixels, carried as PNG; conversion
 * to and from the model's [-1, 1] NCHW floats; sample grids; content hashes.
 */
package dev.ganpipe.common.image;
