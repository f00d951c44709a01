package io.warpengine.physics.quantum.internal;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.SyncPolicy;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.quantum.Entanglement;
import java.nio.file.Path;

/**
 * The child JVM of {@link QuantumDurabilityTest}: on a durable engine in {@code ALWAYS} mode,
 * entangles {@code n<i>} with {@code n<i+1>} for i = first, first + 1, … and prints i once each
 * {@code entangle} returned, until it is killed.
 */
public final class QuantumCrashChild {

  private QuantumCrashChild() {}

  public static void main(String[] args) {
    WarpOptions options = WarpOptions.builder().dataDirectory(Path.of(args[0]))
        .syncPolicy(SyncPolicy.ALWAYS).build();
    try (WarpEngine engine = Warp.open(options)) {
      Entanglement q = engine.plugin(Entanglement.class).orElseThrow();
      for (int i = Integer.parseInt(args[1]); ; i++) {
        q.entangle("n" + i, "n" + (i + 1), QuantumDurabilityTest.strength(i));
        System.out.println(i);
        System.out.flush();
      }
    }
  }
}
