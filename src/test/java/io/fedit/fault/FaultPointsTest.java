package io.fedit.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.lora.AdapterWeights;
import io.fedit.testing.SystemPropertyFaults;
import io.fedit.testing.TestPaths;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fault seam: the test classpath installs {@link SystemPropertyFaults}, the product's classes alone install
 * nothing ({@link FaultPoints#NONE}), and the switches do what the crash and failure tests rely on.
 */
class FaultPointsTest {
  @Test
  void theTestClasspathInstallsTheSystemPropertySwitches() {
    assertInstanceOf(SystemPropertyFaults.class, FaultPoints.installed());
  }

  @Test
  void theProductsClassesAloneInstallNothing() throws Exception {
    URL productClasses = TestPaths.root().resolve("target/classes").toUri().toURL();
    ClassLoader platform = ClassLoader.getPlatformClassLoader();
    try (URLClassLoader product = new URLClassLoader(new URL[] {productClasses}, platform)) {
      Class<?> seam = product.loadClass(FaultPoints.class.getName());
      Object installed = seam.getMethod("installed").invoke(null);
      assertSame(seam.getField("NONE").get(null), installed, "without test classes nothing is injected");
    }
  }

  @Test
  void noneChangesNothing() {
    AdapterWeights update = update();
    assertSame(update, FaultPoints.NONE.updateToSend("alpha", update));
    FaultPoints.NONE.clientStarts("alpha");
    for (FaultPoints.Point p : FaultPoints.Point.values()) FaultPoints.NONE.reached(p, 1);
  }

  @Test
  void clientSwitchesThrowAndPoisonOnlyTheNamedClients() {
    FaultPoints faults = new SystemPropertyFaults();
    AdapterWeights update = update();
    System.setProperty(SystemPropertyFaults.CLIENT_FAULT, "throw:alpha,nan:beta");
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> faults.clientStarts("alpha"));
      assertTrue(e.getMessage().contains("training of client alpha throws"), e.getMessage());
      faults.clientStarts("beta");
      assertSame(update, faults.updateToSend("alpha", update));
      AdapterWeights poisoned = faults.updateToSend("beta", update);
      assertTrue(Float.isNaN(poisoned.tensors().get("a").values()[0]));
      assertEquals(2f, poisoned.tensors().get("a").values()[1]);
      assertEquals(1f, update.tensors().get("a").values()[0], "the client's own update is left as it was");
    } finally {
      System.clearProperty(SystemPropertyFaults.CLIENT_FAULT);
    }
    assertSame(update, faults.updateToSend("beta", update), "unset, the switches do nothing");
  }

  private static AdapterWeights update() {
    Map<String, AdapterWeights.Tensor> t = new LinkedHashMap<>();
    t.put("a", new AdapterWeights.Tensor(new long[] {2}, new float[] {1f, 2f}));
    return new AdapterWeights(t);
  }
}
