/**
 * A short, compiled example of a data-augmentation consumer of {@code synthetic.images}:
 * {@link dev.ganpipe.generator.example.AugmentationConsumerExample}. docs/generator.md walks through it.
 */
package dev.ganpipe.generator.example;
