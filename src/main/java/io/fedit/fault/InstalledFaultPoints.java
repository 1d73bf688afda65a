package io.fedit.fault;

import java.util.Iterator;
import java.util.ServiceLoader;

/** Finds the one {@link FaultPoints} implementation on the classpath, or {@link FaultPoints#NONE} without one. */
final class InstalledFaultPoints {
  static final FaultPoints INSTANCE = lookUp();

  private InstalledFaultPoints() {}

  private static FaultPoints lookUp() {
    Iterator<FaultPoints> found = ServiceLoader.load(FaultPoints.class, FaultPoints.class.getClassLoader()).iterator();
    if (!found.hasNext()) return FaultPoints.NONE;
    FaultPoints first = found.next();
    if (found.hasNext()) {
      throw new IllegalStateException("more than one io.fedit.fault.FaultPoints on the classpath: "
          + first.getClass().getName() + " and " + found.next().getClass().getName());
    }
    return first;
  }
}
