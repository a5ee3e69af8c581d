/** Small file-system helpers shared by several modules. */
package dev.ganpipe.common.io;
