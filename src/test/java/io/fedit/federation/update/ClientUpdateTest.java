package io.fedit.federation.update;

import static io.fedit.federation.update.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class ClientUpdateTest {
  @Test
  void survivesJavaSerializationAsSparkShipsIt() throws Exception {
    ClientUpdate u = new ClientUpdate(3, "c7", 1, 12, filled(0.25f), metrics(12, 1.5));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(u);
    }
    ClientUpdate back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (ClientUpdate) in.readObject();
    }
    assertEquals(u.adapter(), back.adapter());
    assertEquals(u.key(), back.key());
    assertEquals(12, back.exampleCount());
    assertEquals(1.5, back.metrics().meanLoss());
  }

  @Test
  void rejectsNegativeRoundAndAttempt() {
    assertThrows(IllegalArgumentException.class, () -> new ClientUpdate(-1, "c", 0, 1, filled(0), null));
    assertThrows(IllegalArgumentException.class, () -> new ClientUpdate(0, "c", -1, 1, filled(0), null));
    assertThrows(NullPointerException.class, () -> new ClientUpdate(0, null, 0, 1, filled(0), null));
  }
}
