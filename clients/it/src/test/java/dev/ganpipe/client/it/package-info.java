/**
 * The clients against real parts: an embedded KRaft broker and the generator service on random ports, serving the
 * small conditional test model, driven by the Java client ({@code JavaClientTest}) and the Python package
 * ({@code PythonClientTest}).
 */
package dev.ganpipe.client.it;
