/**
 * A short, compiled example of a data-augmentation consumer of {@code synthetic.images} built on the client jar alone:
 * {@link dev.ganpipe.client.example.AugmentationConsumer}. docs/generator.md walks through it.
 */
package dev.ganpipe.client.example;
