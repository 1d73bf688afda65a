/**
 * Server optimizers that turn a round's mean delta into the next global adapter
 * ({@link io.fedit.federation.server.ServerOptimizer}: SGD, momentum, Adam / Yogi / Adagrad after Reddi et al. 2021),
 * with their state as named adapter-shaped tensors for the checkpoint. Pure: no I/O.
 */
package io.fedit.federation.server;
