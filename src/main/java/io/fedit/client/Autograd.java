package io.fedit.client;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Autograd on the calling thread only, straight through DJL PyTorch's JNI utilities. DJL's
 * {@code GradientCollector} is a JVM-wide lock (a static flag: a second collector throws "already
 * collecting", and its zeroGradients() walks every array of the system manager), but libtorch's grad mode is
 * thread-local and backward() only touches the graph of the loss it is given. So each trainer switches grad
 * mode on for its own thread, calls backward on its own loss and reads/zeroes its own parameters' gradients:
 * several trainers run at once in one JVM without sharing anything.
 */
final class Autograd {
  private Autograd() {}

  /** Sets grad mode for this thread; returns the previous mode. */
  static boolean enable(boolean on) {
    boolean prev = JniUtils.isGradMode();
    JniUtils.setGradMode(on);
    return prev;
  }

  /** d(loss)/d(leaves) accumulated into the leaves' gradients; frees the graph. {@code one}: 0-d 1.0. */
  static void backward(NDArray loss, NDArray one) {
    JniUtils.backward((PtNDArray) loss, (PtNDArray) one, false, false);
  }

  /** The gradient of a leaf (sharing its storage), as an array owned by {@code into} (never the leaf's manager). */
  static NDArray gradient(NDArray leaf, NDManager into) {
    PtNDArray g = JniUtils.getGradient((PtNDArray) leaf);
    g.attach(into);
    return g;
  }

  static void zeroGradient(NDArray leaf) {
    JniUtils.zeroGrad((PtNDArray) leaf);
  }
}
