/** Running a short child process (keytool, a Python probe, a load generator) to its end and reading what it printed. */
package dev.ganpipe.common.process;
