package io.fedit.client;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * AdamW exactly as torch.optim.AdamW (decoupled weight decay, bias-corrected moments), updating parameters in
 * place. State (m, v per parameter) lives in the run's manager; per-step temporaries are attached to the
 * step's manager (an op's result belongs to its first operand's manager, docs/PLATFORM_NOTES.md pitfall 2). Call with grad
 * mode off. All scalars are long-lived 0-d arrays.
 *
 * <p>The moments and the update are float32 whatever the parameters' dtype (the trainer's LoRA master weights
 * are float32 anyway). In float16 state, eps = 1e-8 rounds to 0 and g·g underflows, so a zero gradient (every
 * A of round 1, where B = 0) gave m / (sqrt(v) + eps) = 0 / 0 = NaN.
 */
final class AdamW {
  private final NDArray[] m; // per parameter, its shape
  private final NDArray[] v;
  private final Scalar beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps;
  private final Scalar decayFactor, stepSize, sqrtBias2;
  private final double b1, b2, weightDecay;
  private int t;

  AdamW(NDManager run, NDList params, double b1, double b2, double eps, double weightDecay) {
    this.b1 = b1;
    this.b2 = b2;
    this.weightDecay = weightDecay;
    m = new NDArray[params.size()];
    v = new NDArray[params.size()];
    for (int i = 0; i < m.length; i++) {
      m[i] = run.zeros(params.get(i).getShape(), DataType.FLOAT32);
      v[i] = run.zeros(params.get(i).getShape(), DataType.FLOAT32);
    }
    beta1 = new Scalar(run, b1);
    oneMinusBeta1 = new Scalar(run, 1 - b1);
    beta2 = new Scalar(run, b2);
    oneMinusBeta2 = new Scalar(run, 1 - b2);
    this.eps = new Scalar(run, eps);
    decayFactor = new Scalar(run, 1);
    stepSize = new Scalar(run, 0);
    sqrtBias2 = new Scalar(run, 1);
  }

  /** One update with learning rate {@code lr}: params[i] -= lr * (mhat / (sqrt(vhat) + eps) + wd * p). */
  void step(NDList params, NDList grads, double lr, NDManager step) {
    t++;
    double bias1 = 1 - Math.pow(b1, t), bias2 = 1 - Math.pow(b2, t);
    decayFactor.set(1 - lr * weightDecay);
    stepSize.set(lr / bias1);
    sqrtBias2.set(Math.sqrt(bias2));
    for (int i = 0; i < m.length; i++) {
      NDArray p = params.get(i), g = float32(grads.get(i), step); // g is owned by step
      if (weightDecay > 0) p.muli(decayFactor.array);
      m[i].muli(beta1.array).addi(g.mul(oneMinusBeta1.array));
      v[i].muli(beta2.array).addi(g.mul(g).muli(oneMinusBeta2.array));
      NDArray denom = own(v[i].sqrt(), step).divi(sqrtBias2.array).addi(eps.array);
      NDArray update = own(m[i].div(denom), step).muli(stepSize.array);
      p.subi(p.getDataType() == DataType.FLOAT32 ? update : own(update.toType(p.getDataType(), false), step));
    }
  }

  private static NDArray float32(NDArray g, NDManager step) {
    return g.getDataType() == DataType.FLOAT32 ? g : own(g.toType(DataType.FLOAT32, false), step);
  }

  private static NDArray own(NDArray a, NDManager step) {
    a.attach(step);
    return a;
  }
}
