package io.warpengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** warp-api alone holds no engine: opening one fails with one sentence that says what to add. */
class NoEngineTest {

  @Test
  void openWithoutAnEngineModuleSaysWhatToAdd() {
    IllegalStateException e = assertThrows(IllegalStateException.class, Warp::open);
    assertEquals("No Warp engine found: add the io.warpengine:warp-core artifact"
        + " (module io.warpengine.core) to the module path or class path.", e.getMessage());
  }

  @Test
  void testsRunOnTheModulePath() {
    assertEquals("io.warpengine.api", Warp.class.getModule().getName());
  }
}
