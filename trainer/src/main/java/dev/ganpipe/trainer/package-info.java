/**
 * The trainer service: {@link dev.ganpipe.trainer.TrainerMain} parses {@link dev.ganpipe.trainer.TrainerConfig} and
 * wires {@link dev.ganpipe.trainer.TrainerService}; sub-packages hold the networks ({@code gan}), ONNX export
 * ({@code onnx}), the data path ({@code data}), the loop ({@code loop}), publishing ({@code publish}) and crash
 * safety ({@code checkpoint}).
 */
package dev.ganpipe.trainer;
