/** What the benchmarks print about the machine they ran on: cores, CPU, memory, OS, JVM and load average. */
package dev.ganpipe.common.host;
